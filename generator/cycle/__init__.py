"""The yearly cycle: a new year's source from the last one.

May import: `generator.render`, `generator.content`, `generator.source` and the foundation modules.
"""
