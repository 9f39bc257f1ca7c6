"""Marketplace search on an embedded engine (issue 15). PostgreSQL stays the source of truth: the engine holds
only what ranking and filtering need and answers with ids; callers read the cards by id and re-check liveness."""
