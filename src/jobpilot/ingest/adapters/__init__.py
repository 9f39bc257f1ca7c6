"""One module per source kind. Each defines `KIND`, `LABEL` and `fetch(source, http) -> Iterator[RawJob |
Rejected]`, which reads the source's URL through `http` (an `ingest.fetch.Http`) and yields its items as they
are parsed, raising `FetchFailed` when the source cannot be read. Adding a source kind is adding a module here
and its name to `KINDS`."""

import importlib
from functools import cache
from types import ModuleType

KINDS = (
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "recruitee",
    "personio",
    "rss",
    "jsonld",
    "xml",
)


@cache
def adapter(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise KeyError(kind)
    return importlib.import_module(f"jobpilot.ingest.adapters.{kind}")


def board_name(url: str) -> str:
    """The board's name in its URL (`.../boards/acme`, `.../postings/acme`): the company, when the source says
    nothing else."""
    from urllib.parse import urlsplit

    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").title() if path else ""


def text(value) -> str:
    """A field that should be text: None, numbers and nested values become "" or their string."""
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)
