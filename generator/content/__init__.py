"""Building each document's content: validated model -> one context per document (texts, totals, charts).

May import: `generator.source` and the foundation modules.
"""
