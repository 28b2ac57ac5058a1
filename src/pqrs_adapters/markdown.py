"""Knowledge-base articles from Markdown to safe HTML, and to plain text for quoting in an answer.

markdown-it-py parses CommonMark (plus tables and strikethrough) with raw HTML switched off, so what an
editor types as ``<script>`` is shown as text; nh3 (ammonia) then cleans the result anyway, keeping
only harmless tags and attributes and marking links ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
    .enable(["table", "strikethrough"])
_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(source: str) -> Markup:
    """``source`` as HTML safe to put in a page."""
    html = _PARSER.render(source)
    return Markup(nh3.clean(html, url_schemes=_SCHEMES, link_rel="noopener noreferrer"))  # noqa: S704


def plain_text(source: str) -> str:
    """``source`` as readable plain text (for a response e-mail): the rendered HTML's text, one blank
    line between blocks, list items with a dash."""
    html = nh3.clean(_PARSER.render(source), tags={"p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                                                   "tr", "pre"}, attributes={})
    html = re.sub(r"<li>", "- ", html)
    html = re.sub(r"</(p|li|h\d|tr|pre)>|<br>", "\n", html)
    text = re.sub(r"<[^>]+>", "", html)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'") \
        .replace("&amp;", "&")
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return re.sub(r"\n\n- ", "\n- ", text).replace(":\n- ", ":\n\n- ")
