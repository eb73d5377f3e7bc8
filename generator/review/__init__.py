"""Serving the reviewers: what changed between two versions (git, document text, redlines).

May import: `generator.render`, `generator.content`, `generator.source` and the foundation modules.
"""
