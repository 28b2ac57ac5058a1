"""The hooks page tells an integrator, for every hook, which adapters use what it registers."""

from __future__ import annotations

import re
from pathlib import Path

from pqrs_core.hookspecs import HOOK_NAMES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def test_every_hook_section_says_which_adapters_use_it() -> None:
    text = PAGE.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### `(pqrs_\w+)`\n(.*?)(?=^##|\Z)", text, re.DOTALL | re.MULTILINE))

    assert sorted(sections) == sorted(HOOK_NAMES)
    assert [name for name, body in sections.items() if not body.lstrip().startswith("**Used by:** ")] == []
