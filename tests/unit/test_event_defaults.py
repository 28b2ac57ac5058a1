"""The stored events leave out every attribute equal to its default (``event_codec``, migration 0041), so
reading an old event gives back today's defaults: a default that changed would silently change the history
of every case. This test freezes them; a default may never change (add a new attribute instead)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from pqrs_core.domain.events import EVENT_TYPES

FROZEN = Path(__file__).resolve().parents[1] / "data" / "event_defaults.json"


def _default(field: attrs.Attribute) -> Any:  # type: ignore[type-arg]
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()  # type: ignore[union-attr]
    return repr(default)


def current_defaults() -> dict[str, dict[str, str]]:
    return {name: {field.name: _default(field) for field in attrs.fields(cls)
                   if field.default is not attrs.NOTHING}
            for name, cls in sorted(EVENT_TYPES.items())}


def test_no_event_default_changed() -> None:
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    now = current_defaults()
    changed = {f"{name}.{attribute}": (value, now[name][attribute])
               for name, attributes in frozen.items() if name in now
               for attribute, value in attributes.items()
               if attribute in now[name] and now[name][attribute] != value}
    removed = sorted(f"{name}.{attribute}" for name, attributes in frozen.items()
                     for attribute in attributes if attribute not in now.get(name, {}))
    assert not changed, f"event defaults changed (stored events would replay differently): {changed}"
    assert not removed, f"event attributes with a default removed or made required: {removed}"


def test_every_default_is_frozen() -> None:
    """A new attribute with a default joins the frozen list: ``python tests/unit/test_event_defaults.py``."""
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    missing = sorted(f"{name}.{attribute}" for name, attributes in current_defaults().items()
                     for attribute in attributes if attribute not in frozen.get(name, {}))
    assert not missing, f"add these to {FROZEN.name}: {missing}"


if __name__ == "__main__":  # adds new attributes' defaults; never rewrites a frozen one
    frozen = json.loads(FROZEN.read_text(encoding="utf-8")) if FROZEN.exists() else {}
    for name, attributes in current_defaults().items():
        for attribute, value in attributes.items():
            frozen.setdefault(name, {}).setdefault(attribute, value)
    text = json.dumps(frozen, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    FROZEN.write_text(text, encoding="utf-8")
