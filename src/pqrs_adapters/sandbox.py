"""Rendering text that administrators and supervisors write (canned answers, e-mail templates) in Jinja's
immutable sandbox.

The sandbox refuses any attribute that starts with an underscore or reaches Python's internals
(``__class__``, ``mro``, ``func_globals``...), and the immutable one also any method that would change a
list or a dictionary of the context. Undefined variables are errors (``StrictUndefined``), so a typo in
``{{ peticionario.nombr }}`` is said, not sent as an empty gap. Every failure is a ``TemplateProblem``
with a Spanish message a person can act on: never a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .sandbox_limits import MAX_OUTPUT, LimitedSandbox, TooCostly, TooLarge, rendering_budget


class TemplateProblem(Exception):
    """A template that cannot be rendered: ``message`` says why, in Spanish (and ``line`` where)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def sandbox(*, autoescape: bool = False) -> ImmutableSandboxedEnvironment:
    """A fresh sandboxed environment (plain text by default; HTML-escaping with ``autoescape``)."""
    return LimitedSandbox(undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=True)


_TEXT = sandbox()
_HTML = sandbox(autoescape=True)


def _undefined_message(exc: UndefinedError) -> str:
    detail = str(exc.message or "")
    # Jinja says "'x' is undefined" or "'dict object' has no attribute 'y'".
    if "has no attribute" in detail:
        name = detail.rsplit("attribute", 1)[-1].strip().strip("'\"")
        return f"La variable «{name}» no existe. Revise la lista de variables disponibles."
    name = detail.split(" is undefined", 1)[0].strip().strip("'\"")
    return f"La variable «{name}» no existe. Revise la lista de variables disponibles."


FORBIDDEN = "La plantilla intenta usar algo que no está permitido: use solo las variables disponibles."


def check_template(source: str, *, html: bool = False) -> None:
    """``TemplateProblem`` when ``source`` does not parse."""
    try:
        (_HTML if html else _TEXT).parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"La plantilla tiene un error en la línea {exc.lineno}: {exc.message}.",
                              exc.lineno) from None


TOO_LONG = "El texto que produce la plantilla es demasiado largo."
TOO_COSTLY = "La plantilla repite demasiadas veces una operación: simplifique sus ciclos."


def render_sandboxed(source: str, context: Mapping[str, Any], *, html: bool = False,
                     max_output: int = MAX_OUTPUT) -> str:
    """``source`` rendered with ``context``; ``TemplateProblem`` for a syntax error, an unknown
    variable, a refused access, a text longer than ``max_output`` characters, too many loop turns or
    any other failure of the template."""
    environment = _HTML if html else _TEXT
    try:
        with rendering_budget(max_output):
            rendered = environment.from_string(source).render(dict(context))
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"La plantilla tiene un error en la línea {exc.lineno}: {exc.message}.",
                              exc.lineno) from None
    except UndefinedError as exc:
        raise TemplateProblem(_undefined_message(exc)) from None
    except TooLarge:
        raise TemplateProblem(TOO_LONG) from None
    except TooCostly:
        raise TemplateProblem(TOO_COSTLY) from None
    except SecurityError:
        raise TemplateProblem(FORBIDDEN) from None
    except TemplateError as exc:
        raise TemplateProblem(f"No se pudo usar la plantilla: {exc.message or exc}.") from None
    except RecursionError:
        raise TemplateProblem(TOO_COSTLY) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, OverflowError) as exc:
        raise TemplateProblem(f"No se pudo usar la plantilla: {exc}.") from None
    if len(rendered) > max_output:
        raise TemplateProblem(TOO_LONG)
    return rendered
