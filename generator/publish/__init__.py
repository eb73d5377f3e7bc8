"""Publishing the built documents: tagged PDF through LibreOffice, page previews, accessibility checks.

May import: `generator.render`, `generator.content`, `generator.source` and the foundation modules.
"""
