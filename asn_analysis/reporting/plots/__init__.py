"""Figures: the plots of each domain, one module per domain."""
