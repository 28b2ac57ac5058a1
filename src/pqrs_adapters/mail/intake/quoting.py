"""The new text of a reply, without the quoted history and the signature, for the case's timeline (the
full text stays in the raw message kept as evidence).

mail-parser-reply does the work (Outlook's «De: / Enviado: / Para:» and «-----Original Message-----»
blocks, signatures, «Enviado desde mi iPhone», in Spanish and English). Its Spanish attribution pattern
wants two spaces before «escribió:», so Gmail's and Apple Mail's «El 5 dic 2026, a las 10:00, Ana
<ana@…> escribió:» is cut here first, as is a trailing block of «>» quoted lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ATTRIBUTION = re.compile(r"^\s*(El|On|Le|Am)\s.+(escribió|wrote|a écrit|schrieb)\s*:\s*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^\s*(El|On)\s.*\d", re.IGNORECASE)
# RFC 3676 §4.3's signature separator, and what phones add below a message.
_SIGNATURE = re.compile(r"^(-- ?|Enviado desde mi .*|Sent from my .*|Obtener Outlook para .*"
                        r"|Get Outlook for .*)$")


@lru_cache(maxsize=1)
def _parser() -> object:
    from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

    return EmailReplyParser(languages=["es", "en"])


def _cut_quoted(text: str) -> str:
    """``text`` up to the first attribution line, signature or trailing block of «>» quoted lines (the
    blank lines among them included); one pass over the lines, however long the message."""
    lines = text.split("\n")
    # The trailing quoted block starts after the last line that is neither blank nor quoted.
    last_unquoted = max((i for i, x in enumerate(lines) if x.strip() and not x.startswith(">")), default=-1)
    for i, line in enumerate(lines):
        joined = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if _ATTRIBUTION.match(line) or (_ATTRIBUTION_START.match(line) and _ATTRIBUTION.match(joined)):
            return "\n".join(lines[:i])
        if _SIGNATURE.match(line.strip()) and i > 0:
            return "\n".join(lines[:i])
        if line.startswith(">") and i > last_unquoted:
            return "\n".join(lines[:i])
    return text


def new_text(text: str) -> str:
    """What the sender wrote in this message; the whole ``text`` when nothing is left after trimming."""
    cut = _cut_quoted(text).strip()
    try:
        reply = _parser().parse_reply(text=cut)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a trimming failure keeps the text whole
        reply = None
    reply = (reply or "").strip() or cut
    return reply or text.strip()
