"""Full-text search across every kind of content, in Dutch and English.

See ``analysis`` for the analyzer chain (tokens, lemmas, compounds, folding,
common-word pairs).
"""
