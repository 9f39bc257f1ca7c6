"""Streaming XML for feed adapters: one element at a time, each cleared after use, so memory stays bounded
whatever the feed's size. No entities are resolved and nothing is fetched from the network (XXE)."""

from lxml import etree

from jobpilot.ingest.records import FetchFailed


def iter_elements(file, tag: str, *, url: str):
    """Yield each complete `<tag>` element of the XML in `file`; a syntax error ends the feed as a failed
    (partial) fetch, keeping what came before it."""
    context = etree.iterparse(
        file,
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=False,
    )
    try:
        for _event, element in context:
            yield element
            element.clear(keep_tail=False)
            # Drop the siblings already read, or the tree would keep every element's empty shell.
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise FetchFailed(f"{url}: malformed XML: {error}") from error


def child_text(element, name: str) -> str:
    child = element.find(name)
    return (child.text or "").strip() if child is not None and child.text else ""
