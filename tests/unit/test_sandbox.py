"""Templates written in the administration are rendered in a sandbox: variables filled, unknown ones and
syntax errors said in Spanish, Python's internals out of reach, huge outputs refused."""

from __future__ import annotations

import pytest

from pqrs_adapters.sandbox import TemplateProblem, check_template, render_sandboxed

CONTEXT = {"radicado": "PQRS-2026-000001", "peticionario": {"nombre": "Carla Gómez"}, "campos": {}}


def test_variables_are_filled() -> None:
    text = render_sandboxed("Hola {{ peticionario.nombre }}, su caso {{ radicado }}.", CONTEXT)
    assert text == "Hola Carla Gómez, su caso PQRS-2026-000001."


def test_an_unknown_variable_is_named() -> None:
    with pytest.raises(TemplateProblem, match="«peticionario.nombr»|«nombr»"):
        render_sandboxed("Hola {{ peticionario.nombr }}", CONTEXT)
    with pytest.raises(TemplateProblem, match="«vence»"):
        render_sandboxed("Vence {{ vence }}", CONTEXT)


def test_a_syntax_error_gives_its_line() -> None:
    with pytest.raises(TemplateProblem, match="línea 2") as problem:
        check_template("Hola\n{{ radicado }")
    assert problem.value.line == 2


@pytest.mark.parametrize("source", [
    "{{ radicado.__class__ }}",
    "{{ radicado.__class__.__mro__[1].__subclasses__() }}",
    "{{ peticionario.__init__.__globals__ }}",
    "{{ campos.update({'x': 1}) }}",
    "{{ cycler.__init__.__globals__.os }}",
])
def test_internals_and_mutation_are_refused(source: str) -> None:
    with pytest.raises(TemplateProblem):
        render_sandboxed(source, CONTEXT)


def test_huge_outputs_are_refused() -> None:
    with pytest.raises(TemplateProblem):
        render_sandboxed("{{ 'x' * 1000000000 }}", CONTEXT)
    with pytest.raises(TemplateProblem):
        render_sandboxed("{{ 9 ** 99999999 }}", CONTEXT)


def test_html_mode_escapes_values() -> None:
    assert render_sandboxed("<p>{{ v }}</p>", {"v": "<b>x</b>"}, html=True) == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


EXPENSIVE = [
    "{{ 'x'|center(300000000) }}",
    "{{ 'x'|indent(300000000, true) }}",
    "{{ '%300000000s'|format('x') }}",
    "{{ '%300000000s' % 'x' }}",
    "{{ '{:>300000000}'.format('x') }}",
    "{{ 'x'.center(300000000) }}",
    "{% set s = 'x' * 150000 %}{{ s|replace('x', s) }}",
    "{% set s = 'x' * 150000 %}{{ s ~ s }}",
    "{{ (['x' * 1000] * 10000)|join }}",
    "{{ 'x'|wordwrap(300000000) }}",
    "{{ 'x'|truncate(300000000) }}",
    "{{ range(10)|batch(300000000, 'x')|list }}",
    "{{ range(100000)|list|length }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "{{ (((10**100)**100)**100)**2 }}",
    "{% set a = 10**1000 %}{{ a * a * a * a * a }}",
]


@pytest.mark.parametrize("source", EXPENSIVE)
def test_templates_that_would_hold_memory_or_processor_are_refused(source: str) -> None:
    with pytest.raises(TemplateProblem) as refused:
        render_sandboxed(source, CONTEXT)
    assert "demasiado largo" in refused.value.message or "demasiadas veces" in refused.value.message


def test_ordinary_widths_loops_and_numbers_still_work() -> None:
    source = ("{% for i in range(200) %}{% for j in range(200) %}{% endfor %}{% endfor %}"
              "{{ 'ab'|center(6) }}|{{ '%5.1f'|format(3.14159) }}|{{ '{:>3}'.format('a') }}|{{ 2 ** 64 }}"
              "|{{ 'a b'|replace(' ', '-') }}|{{ 'uno dos'|wordwrap(3) }}")
    assert render_sandboxed(source, CONTEXT) == "  ab  |  3.1|  a|18446744073709551616|a-b|uno\ndos"
