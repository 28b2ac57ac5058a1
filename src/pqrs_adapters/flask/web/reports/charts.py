"""Charts drawn on the server as SVG (pygal): no script, no CDN; each chart has a title and a
description for screen readers, and its page shows the same figures as a table beside it."""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

STYLE = Style(background="transparent", plot_background="transparent", font_family="inherit",
              colors=("#3e6ea8", "#d98c1f", "#4a9a5b", "#b8463e", "#7d5ba6", "#6b7785"),
              title_font_size=16, label_font_size=12, major_label_font_size=12, legend_font_size=12)


def _options() -> dict[str, object]:
    return {"style": STYLE, "js": [], "disable_xml_declaration": True, "width": 720, "height": 360,
            "print_values": False, "show_y_guides": True, "truncate_label": 28, "legend_at_bottom": True}


def _figure(title: str, chart: pygal.graph.graph.Graph) -> Markup:
    svg = chart.render(is_unicode=True)
    return Markup('<figure class="chart" role="img" aria-label="{}">{}</figure>').format(
        escape(title), Markup(svg))


def bar_chart(title: str, labels: Sequence[str], series: dict[str, list[float]], *,
              horizontal: bool = False) -> Markup:
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(show_legend=len(series) > 1, **_options())
    chart.title = title
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _figure(title, chart)


def line_chart(title: str, labels: Sequence[str], series: dict[str, list[float]]) -> Markup:
    chart = pygal.Line(show_legend=len(series) > 1, x_label_rotation=30, **_options())
    chart.title = title
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _figure(title, chart)


def pareto_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> Markup:
    """Bars from the largest to the smallest, and the cumulative share (0 to 100) on a second axis."""
    pairs = sorted(zip(labels, values, strict=True), key=lambda p: -p[1])
    total = sum(v for _l, v in pairs) or 1
    running, cumulative = 0.0, []
    for _label, value in pairs:
        running += value
        cumulative.append(round(100 * running / total, 1))
    chart = pygal.Bar(show_legend=True, x_label_rotation=30 if len(pairs) > 6 else 0,
                      secondary_range=(0, 100), range=(0, max((v for _l, v in pairs), default=1)),
                      **_options())
    chart.title = title
    chart.x_labels = [label for label, _v in pairs]
    chart.add("Casos", [v for _l, v in pairs])
    chart.add("% acumulado", cumulative, secondary=True, formatter=lambda v: f"{v:.0f} %")
    return _figure(title, chart)
