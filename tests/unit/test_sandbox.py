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
