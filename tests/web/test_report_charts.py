"""The report charts: SVG drawn on the server, an image with its title as text alternative, no script
(the Content-Security-Policy forbids inline scripts), labels escaped; and their data tables."""

from __future__ import annotations

import re

from pqrs_adapters.flask.web.reports.charts import bar_chart, data_table, line_chart, pareto_chart


def test_each_chart_is_an_accessible_svg_without_script() -> None:
    charts = [bar_chart("Casos por tipo", ["Petición", "Queja"], {"Casos": [3, 1]}),
              bar_chart("Por cola", ["Primer nivel"], {"Ahora": [2], "Antes": [1]}, horizontal=True),
              line_chart("Por semana", ["2026-S05", "2026-S06"], {"Casos": [0, 6]}),
              pareto_chart("Causas", ["Método", "Material", "Medición"], [5, 12, 3])]
    for chart in charts:
        assert chart.startswith('<figure class="chart"><svg role="img" aria-label="')
        assert "<script" not in chart and "<!--" not in chart and "http://pygal" not in chart
    assert 'aria-label="Casos por tipo"' in charts[0]
    # The Pareto orders the causes by count, the cumulative share reaching 100 %.
    labels = re.findall(r"<text[^>]*>(Material|Método|Medición)</text>", charts[3])
    assert labels[:3] == ["Material", "Método", "Medición"]


def test_titles_and_cells_are_escaped() -> None:
    chart = bar_chart('<script>alert("x")</script>', ["<b>"], {"Casos": [1]})
    assert "<script>alert" not in chart
    table = data_table(["Tipo", "Casos"], [("<b>Queja</b>", 2), ("Petición", None)], caption="Casos & más")
    assert "&lt;b&gt;Queja&lt;/b&gt;" in table and '<td class="num">2</td>' in table
    assert "<caption>Casos &amp; más</caption>" in table and "<td></td>" in table
