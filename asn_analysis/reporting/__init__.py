"""Reporting: findings text, figures and exports built on the estimators' results."""
