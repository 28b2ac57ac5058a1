"""Charts drawn on the server as SVG (pygal), inlined in the page: no JavaScript, nothing fetched from
elsewhere. Each chart is an image with a text alternative (``role="img"`` and its title) and is followed
by its data in a table (``data_table``), which is what screen readers, printing and copying use.

pygal writes a small ``<script>`` with its tooltip settings into every chart; the application's
Content-Security-Policy forbids inline scripts, so it is removed, as are pygal's comments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 760, 340
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# The organisation's palette first (accessible contrast on white), then pygal's.
COLOURS = ("#1f5f8b", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e", "#455a64", "#d81b60", "#00838f")


def _style() -> Any:
    from pygal.style import Style

    return Style(background="white", plot_background="white", foreground="#222", foreground_strong="#111",
                 foreground_subtle="#555", colors=COLOURS, font_family="system-ui, sans-serif",
                 title_font_size=16, label_font_size=12, major_label_font_size=12, legend_font_size=12,
                 value_font_size=11)


def _config(**extra: Any) -> dict[str, Any]:
    return {"js": [], "disable_xml_declaration": True, "width": WIDTH, "height": HEIGHT, "style": _style(),
            "print_values": False, "show_legend": True, "legend_at_bottom": True, "truncate_label": 28,
            "x_label_rotation": 0, "no_data_text": "Sin datos", "margin": 12, **extra}


def _finish(chart: Any, title: str) -> Markup:
    svg: str = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    label = str(escape(title))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return Markup(f'<figure class="chart">{svg}<figcaption class="visually-hidden">{label}'  # noqa: S704
                  "</figcaption></figure>")


def bar_chart(title: str, labels: list[str], series: dict[str, list[float]], *,
              horizontal: bool = False) -> Markup:
    """A bar chart of one or more series over ``labels`` (horizontal bars for long labels)."""
    import pygal

    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    many = len(labels) > 8 and not horizontal
    chart = kind(**_config(show_legend=len(series) > 1, x_label_rotation=30 if many else 0,
                           height=max(HEIGHT, 40 + 28 * len(labels)) if horizontal else HEIGHT))
    chart.title = title
    # pygal draws a horizontal chart's first label at the bottom: reversed, it reads top-down like its table.
    order = (lambda items: list(reversed(items))) if horizontal else list
    chart.x_labels = order(labels)
    for name, values in series.items():
        chart.add(name, order(values))
    return _finish(chart, title)


def line_chart(title: str, labels: list[str], series: dict[str, list[float]]) -> Markup:
    """Series over time (one point per period)."""
    import pygal

    chart = pygal.Line(**_config(show_legend=len(series) > 1, x_label_rotation=30 if len(labels) > 8 else 0,
                                 dots_size=3, show_minor_x_labels=len(labels) <= 16,
                                 x_labels_major_every=max(1, len(labels) // 12)))
    chart.title = title
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, list(values))
    return _finish(chart, title)


def pareto_chart(title: str, labels: list[str], values: list[float]) -> Markup:
    """Bars in decreasing order with the cumulative share (0-100 %) as a line on a secondary axis."""
    import pygal

    pairs = sorted(zip(labels, values, strict=True), key=lambda p: -p[1])
    total = sum(v for _l, v in pairs) or 1
    running, cumulative = 0.0, []
    for _label, value in pairs:
        running += value
        cumulative.append(round(100 * running / total, 1))
    chart = pygal.Bar(**_config(x_label_rotation=30 if len(pairs) > 6 else 0))
    chart.title = title
    chart.x_labels = [label for label, _v in pairs]
    chart.add("Casos", [v for _l, v in pairs])
    chart.add("% acumulado", cumulative, secondary=True, stroke=True, fill=False)
    return _finish(chart, title)


def data_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str = "") -> Markup:
    """The data of a chart (or any figures) as an HTML table: the first column heads each row,
    numbers are right-aligned."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None else value
            if i == 0:
                cells.append(f'<th scope="row">{escape(text)}</th>')
            else:
                numeric = ' class="num"' if isinstance(value, int | float) else ""
                cells.append(f"<td{numeric}>{escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    return Markup(f'<div class="table-wrap"><table class="report-table">{caption_html}'  # noqa: S704
                  f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
