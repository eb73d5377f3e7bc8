"""Regenerate the RIEC Den Haag's planning and accountability documents from one source.

The subpackages are the pipeline's stages; imports go one way, from the top of this list down:
    __main__.py                  `python -m generator`: runs the command line
    cli.py                       the command line, thin over `pipeline`
    pipeline.py                  the library API every command and test shares
    publish/ review/ intake/ cycle/   what users do with documents and data (none imports another)
    render/                      document kinds, docxtpl rendering, atomic writing
    content/                     one context per document: texts, totals, charts
    source/                      files -> validated model
    errors.py format.py cache.py i18n.py staleness.py   the foundation, importable from anywhere
`tests/test_layers.py` keeps this direction.
"""

__version__ = "0.1.0"
