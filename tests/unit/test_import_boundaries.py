"""pqrs_core is a headless library: importing all of it pulls in no web framework, ORM, schema
library, migration tool, database driver or CLI toolkit."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pqrs_core

FORBIDDEN = ("flask", "sqlalchemy", "marshmallow", "alembic", "psycopg", "psycopg2", "werkzeug", "click",
             "pqrs_adapters")

PROGRAM = """
import importlib, json, pkgutil, sys
import pqrs_core
names = sorted(m.name for m in pkgutil.walk_packages(pqrs_core.__path__, "pqrs_core."))
for name in names:
    importlib.import_module(name)
forbidden = set(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps({"imported": names, "forbidden_loaded": loaded}))
"""


def test_pqrs_core_imports_no_adapter_library() -> None:
    src = str(Path(pqrs_core.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    result = subprocess.run([sys.executable, "-c", PROGRAM, *FORBIDDEN], capture_output=True, text=True,
                            env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # The walk really visited the package (so an empty walk cannot pass silently).
    assert {"pqrs_core.domain.case", "pqrs_core.services.messagebus", "pqrs_core.memory",
            "pqrs_core.serialization", "pqrs_core.plugins"} <= set(report["imported"])
    assert report["forbidden_loaded"] == []


DOMAIN = Path(pqrs_core.__file__).resolve().parent / "domain"


def _is_type_checking_block(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of a module that run when it is imported or called: everything but the
    ones under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if _is_type_checking_block(node):
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _imports_case(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name == "pqrs_core.domain.case" for alias in node.names)
    if node.level == 1:
        return node.module == "case" or (node.module is None and any(a.name == "case" for a in node.names))
    if node.level == 0:
        return node.module == "pqrs_core.domain.case" or (
            node.module == "pqrs_core.domain" and any(a.name == "case" for a in node.names))
    return False


def test_the_case_aggregate_imports_its_rules_and_no_rule_imports_the_case_at_run_time() -> None:
    """``case.py`` applies the rules of the helper modules beside it (terms, legal, field changes,
    quality...), which take the case as an argument: the helpers name ``Case`` only for type checkers,
    so ``case.py`` imports every helper at the top of the module, never inside a method."""
    modules = {path.name: ast.parse(path.read_text(encoding="utf-8")) for path in DOMAIN.glob("*.py")}
    assert "case.py" in modules and "field_changes.py" in modules

    importing_case = sorted(name for name, tree in modules.items() if name != "case.py"
                            and any(_imports_case(node) for node in _runtime_imports(tree)))
    assert importing_case == []

    case_tree = modules["case.py"]
    top_level = {id(node) for node in case_tree.body}
    late = [node.lineno for node in _runtime_imports(case_tree) if id(node) not in top_level]
    assert late == []
