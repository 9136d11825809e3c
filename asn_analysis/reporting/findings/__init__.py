"""Findings: the plain-language sentences of each domain, one module per domain."""
