"""The machine-facing side: the versioned REST API, its tokens, and signed webhooks.

docs/API.md shows a session from creating a token to a status change.
"""
