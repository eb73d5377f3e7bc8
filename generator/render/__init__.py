"""Rendering and writing: the document kinds, docxtpl in memory (sandboxed), deterministic and atomic writes.

May import: `generator.content`, `generator.source` and the foundation modules.
"""
