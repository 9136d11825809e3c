"""Everything a reader gets: bilingual text, findings, figures and exports."""
