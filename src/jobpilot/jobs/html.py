"""Employer-written rich text. Postings and company profiles are shown on every portal and the marketplace, so
their HTML is cleaned on the way in (nh3, a maintained Rust sanitizer) and stored clean."""

import html
import re

import nh3

# What a job description needs: paragraphs, lists, emphasis, headings, links. No images, tables, styles or
# scripts: those are how pasted HTML breaks a page or attacks its reader.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "code",
        "pre",
        "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def sanitize_html(value: str) -> str:
    """Clean HTML: only the tags above survive, `<script>`/`<style>` lose their content too, links get
    `rel="nofollow noopener noreferrer"` and only http(s)/mailto targets."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(value: str) -> str:
    """Plain text of already-sanitized HTML, for search and summaries. Tags become spaces so that the words of
    two paragraphs do not run together."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()


def summarize(text: str, length: int = 280) -> str:
    """The first `length` characters of `text`, cut at a word boundary."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",.;:")
    return f"{cut}…"
