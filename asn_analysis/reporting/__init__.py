"""Bilingual reporting: findings sentences, figures, exports and summaries."""
