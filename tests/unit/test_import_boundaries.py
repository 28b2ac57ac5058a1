"""pqrs_core is a headless library: importing all of it pulls in no web framework, ORM, schema
library, migration tool, database driver or CLI toolkit."""

from __future__ import annotations

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
