"""Which plugin hooks the tests in ``tests/plugins`` exercise — datasette's
``test_plugin_hooks_have_tests``, with an explicit decorator instead of test-name matching.

Mark a test that exercises a hook::

    @exercises("pqrs_register_channels")
    def test_a_plugin_adds_a_channel(): ...

``test_plugin_hooks.py::test_plugin_hooks_have_tests`` fails while a hook of
``pqrs_core.hookspecs.HOOK_NAMES`` is exercised by no test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pqrs_core.hookspecs import HOOK_NAMES

F = TypeVar("F", bound=Callable[..., object])

EXERCISED: dict[str, list[str]] = {}
"""Hook name → the tests that exercise it (``module::function``)."""


def exercises(*hook_names: str) -> Callable[[F], F]:
    """Record that the decorated test exercises ``hook_names``; unknown names fail at import."""
    unknown = sorted(set(hook_names) - set(HOOK_NAMES))
    if unknown:
        raise ValueError(f"not hooks of pqrs_core.hookspecs: {', '.join(unknown)}")

    def mark(test: F) -> F:
        for name in hook_names:
            EXERCISED.setdefault(name, []).append(f"{test.__module__}::{test.__name__}")
        return test

    return mark
