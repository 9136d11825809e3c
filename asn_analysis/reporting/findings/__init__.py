"""Findings: the plain-language sentences of every domain, one module per domain."""
