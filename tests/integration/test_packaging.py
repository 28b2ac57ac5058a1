"""How pqrs is packaged: under a distribution name of its own (``pqrs`` on PyPI is an unrelated project),
which the first-party plugins and the plugin guide depend on with a version range; typed packages, its
licence, and ``pqrs --version``. ``scripts/check_wheel.py`` (``make wheel-check``) checks the built wheel
installed away from the repository."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import distribution, packages_distributions
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pqrs_adapters.cli import main

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "openpqrs"
PLUGIN_PROJECTS = sorted(ROOT.glob("plugins/*/pyproject.toml"))
PACKAGES = ("pqrs_core", "pqrs_adapters", "pqrs_legal_co")


def _project(pyproject: Path) -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return project


def _assert_depends_on_the_distribution_within_a_range(dependencies: list[str], where: str) -> None:
    requirements = [Requirement(dependency) for dependency in dependencies]
    names = {canonicalize_name(r.name) for r in requirements}
    assert "pqrs" not in names, f"{where} depends on the unrelated PyPI project «pqrs»"
    [ours] = [r for r in requirements if canonicalize_name(r.name) == DISTRIBUTION]
    installed = distribution(DISTRIBUTION).version
    assert ours.specifier.contains(installed), (where, str(ours))
    assert not ours.specifier.contains("1.0"), f"{where} must bound openpqrs below 1: {ours}"


def test_pqrs_is_installed_under_a_name_of_its_own_with_its_command() -> None:
    assert _project(ROOT / "pyproject.toml")["name"] == DISTRIBUTION
    assert set(packages_distributions()["pqrs_core"]) == {DISTRIBUTION}
    assert set(packages_distributions()["pqrs_adapters"]) == {DISTRIBUTION}
    scripts = distribution(DISTRIBUTION).entry_points.select(group="console_scripts")
    assert scripts["pqrs"].value == "pqrs_adapters.cli:main"


@pytest.mark.parametrize("pyproject", PLUGIN_PROJECTS, ids=lambda p: p.parent.name)
def test_first_party_plugins_depend_on_it_by_that_name_within_a_range(pyproject: Path) -> None:
    _assert_depends_on_the_distribution_within_a_range(_project(pyproject)["dependencies"], str(pyproject))


def test_the_plugin_guide_tells_authors_to_depend_on_it_by_that_name_within_a_range() -> None:
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    blocks = [tomllib.loads(block) for block in re.findall(r"```toml\n(.*?)```", guide, re.S)]
    dependencies = [d for block in blocks for d in block.get("project", {}).get("dependencies", [])]
    assert dependencies, "docs/plugins.md shows no pyproject.toml with dependencies"
    _assert_depends_on_the_distribution_within_a_range(dependencies, "docs/plugins.md")


def test_pqrs_version_prints_the_installed_distribution_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output == f"pqrs, versión {distribution(DISTRIBUTION).version}\n"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_is_marked_typed_and_ships_the_marker(package: str) -> None:
    assert (ROOT / "src" / package / "py.typed").is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"][package]


def test_the_licence_is_the_full_apache_2_text_the_distribution_declares() -> None:
    project = _project(ROOT / "pyproject.toml")
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text and "APPENDIX: How to apply the Apache License" in text
