"""HTML mail as text: sanitised first (nh3, the Ammonia sanitiser: scripts, styles, event handlers and
remote references go), then laid out as plain text by inscriptis, which keeps paragraphs, lists and
table rows readable. A mail's HTML is never stored or shown as HTML.

Both libraries are imported when a message needs them, not when the web application imports the
intake's modules."""

from __future__ import annotations


def sanitise(html: str) -> str:
    """The HTML with only harmless markup left."""
    import nh3

    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


def html_to_text(html: str) -> str:
    """The text a person reads in ``html``."""
    from inscriptis import get_text  # type: ignore[import-untyped]

    cleaned = sanitise(html)
    if not cleaned.strip():
        return ""
    return str(get_text(cleaned)).strip()
