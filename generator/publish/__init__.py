"""Publishing: tagged PDF through LibreOffice, page previews, accessibility checks, the website edition (HTML).

May import: `generator.render`, `generator.content`, `generator.source` and the foundation modules.
"""
