"""Plain-language findings (Bahasa Indonesia and English), one module per domain."""
