"""asn_analysis."""
