"""Sphinx configuration of the reference documentation (``make docs``): the Markdown pages through
MyST, the API from the docstrings through autodoc. It builds offline; warnings are errors."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

project = "pqrs"
author = "pqrs contributors"
language = "es"
extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "screenshots"]
myst_heading_anchors = 3
html_theme = "alabaster"

# Show the API as a reader imports it (``pqrs_core.Pqrs``), in source order, with type hints in the
# description instead of long signatures.
add_module_names = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
# The docstrings name types as a reader writes them; cross-references that Sphinx cannot resolve are
# not errors (nitpicky mode stays off).
