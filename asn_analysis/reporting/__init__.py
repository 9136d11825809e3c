"""Everything a reader sees: bilingual text, findings sentences, figures, the brief and the export.

- :mod:`~asn_analysis.reporting.text`: numbers in each language's style, text by language.
- :mod:`~asn_analysis.reporting.summaries`: the numbers behind the brief (``collect``).
- :mod:`~asn_analysis.reporting.findings`: plain-language findings and actions, per domain.
- :mod:`~asn_analysis.reporting.brief`: the brief's sections, in reading order.
- :mod:`~asn_analysis.reporting.plots`: every figure the notebooks and the brief draw.
- :mod:`~asn_analysis.reporting.notebook`: what every notebook opens with (the data banner).
- :mod:`~asn_analysis.reporting.export`: the workbook, the brief (Markdown, HTML) and figures.

Reporting reads the estimators' results; estimator modules never import it. Submodules are
imported on demand, so loading the wording does not load matplotlib.
"""
