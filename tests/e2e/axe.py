"""axe-core in the browser tests: the file from the npm package kept in ``assets/axe-core`` (no network),
added to every page of a browser context, and a check that returns what it finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"

# Every rule of the WCAG 2.0, 2.1 and 2.2 levels A and AA, and axe's best practices.
_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary.split("\\n")[1]),
  }));
}"""


def add_axe(context: Any) -> None:
    """Make ``axe`` available in every page ``context`` opens (the pages' CSP does not apply to it)."""
    context.add_init_script(path=str(AXE))


def violations(page: Any) -> list[dict[str, Any]]:
    """What axe finds wrong in ``page`` as it is now."""
    assert page.evaluate("typeof axe !== 'undefined' && axe.version") == AXE_VERSION
    found: list[dict[str, Any]] = page.evaluate(_RUN)
    return found
