"""Data entering from outside: partners' progress workbooks and the financial administration's exports.

May import: `generator.render`, `generator.content`, `generator.source` and the foundation modules.
"""
