"""``/reportes``: the reports for supervisors, quality, administrators and consultants (``reports.view``),
each over the cases the reader may see (a consultant sees her network's figures only).

Every report page shares the layout ``reports/report.html``: the list of reports (``pages.REPORT_PAGES``,
to which each report adds itself), the common filters (``filters``), and its sections: a chart drawn
on the server (``charts``) followed by its data table, each downloadable as CSV or Excel
(``?tabla=<section>&formato=csv|xlsx``, ``exports``). Satisfaction, root causes and productivity
(``satisfaction``, ``causes``, ``productivity``) read their own tables (``page``).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reportes")

# The reports register themselves on ``bp``, and in the list of reports in the order imported.
# isort: off
from . import views  # noqa: E402,F401
from . import satisfaction, causes, productivity  # noqa: E402,F401
from . import characterisation  # noqa: E402,F401
# isort: on
