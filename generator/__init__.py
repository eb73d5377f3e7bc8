"""Regenerate the RIEC Den Haag's planning and accountability documents from one source."""

__version__ = "0.1.0"
