"""Tags on cases (etiquetas): short labels people and rules put on a case to find it again. A tag is
free text or one of the organisation's catalogued tags; two tags that differ only in case or accents
are the same tag (the first spelling is kept)."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Problems
from .text import fold, forbidden_characters

MAX_TAG = 60
MAX_TAGS = 30


def clean_tag(tag: str) -> str:
    """The tag without surrounding or repeated spaces."""
    return " ".join(tag.split())


def tag_key(tag: str) -> str:
    """What two spellings of one tag share (stored in ``case_tags``, searched by)."""
    return fold(clean_tag(tag))


def plan_tags(current: tuple[str, ...], add: Iterable[str], remove: Iterable[str]) -> tuple[
        tuple[str, ...], tuple[str, ...]]:
    """``(added, removed)``: the tags of ``add`` the case lacks and those of ``remove`` it has, after
    checking each (``ValidationError`` naming ``tags.<i>``)."""
    problems = Problems()
    have = {tag_key(t): t for t in current}
    added: list[str] = []
    removed: list[str] = []
    for i, raw in enumerate(add):
        tag = clean_tag(raw)
        why = "es obligatoria" if not tag else (
            f"admite como máximo {MAX_TAG} caracteres" if len(tag) > MAX_TAG else forbidden_characters(tag))
        if why:
            problems.add(f"tags.{i}", why)
        elif tag_key(tag) not in have:
            have[tag_key(tag)] = tag
            added.append(tag)
    for raw in remove:
        key = tag_key(raw)
        if key in have and key not in {tag_key(t) for t in added}:
            removed.append(have.pop(key))
    if len(have) > MAX_TAGS:
        problems.add("tags", f"un caso admite como máximo {MAX_TAGS} etiquetas")
    problems.raise_if_any()
    return tuple(added), tuple(removed)
