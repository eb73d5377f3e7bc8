"""Reading and validating the source: files -> located raw data -> validated model (agenda, progress, results).

May import: the foundation modules (`generator.errors`, `generator.format`, `generator.cache`) only.
"""
