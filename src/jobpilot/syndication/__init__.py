"""Syndication from one record: the canonical posting (`canonical.py`) and the forms made from it, the JSON-LD of a
job page, the Indeed and LinkedIn XML feeds and the sitemap, plus the Google for Jobs check (docs/adr/0013)."""
