"""The two tests that keep the plugin API honest (after datasette and llm): every hook is documented,
in its docstring and in docs/plugins.md, and every hook is exercised by a test."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pluggy
import pytest
from hook_coverage import EXERCISED

from pqrs_core import hookspecs
from pqrs_core.hookspecs import HOOK_NAMES

HERE = Path(__file__).parent
PLUGINS_DOC = HERE.parent.parent / "docs" / "plugins.md"
# An example is a literal block (``::``) or an inline literal showing a call: ``register(...)``.
EXAMPLE = re.compile(r"::\s*\n|``[^`]*\w\([^`]*\)[^`]*``")


def test_hook_names_are_exactly_the_hookspecs():
    pm = pluggy.PluginManager("pqrs")
    pm.add_hookspecs(hookspecs)
    specified = {name for name in dir(pm.hook) if name.startswith("pqrs_")}
    assert set(HOOK_NAMES) == specified
    assert len(HOOK_NAMES) == len(set(HOOK_NAMES))


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_plugin_hooks_are_documented(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert doc, f"{hook} has no docstring"
    assert ":param " in doc, f"{hook}: the docstring documents no :param"
    assert ":return:" in doc, f"{hook}: the docstring has no :return:"
    assert EXAMPLE.search(doc), f"{hook}: the docstring has no example"

    documented = PLUGINS_DOC.read_text(encoding="utf-8")
    assert re.search(rf"^#+ .*`{hook}`", documented, re.MULTILINE), (
        f"{hook} has no section in {PLUGINS_DOC.name}")


def test_plugin_hooks_have_tests():
    # Import every test module of this folder, so that the check holds whichever tests were selected.
    for module in sorted(HERE.glob("test_*.py")):
        importlib.import_module(module.stem)
    missing = [hook for hook in HOOK_NAMES if not EXERCISED.get(hook)]
    assert not missing, (f"plugin hooks no test exercises: {', '.join(missing)}; mark the test that "
                         f"does with @exercises(...) from tests/plugins/hook_coverage.py")
