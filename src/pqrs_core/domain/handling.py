"""Handling times (seed 002): how long a person took to file a case, from opening the new-case form, and
to write a response, from opening its form. The adapter measures them with the application's clock and
gives them with the command; the filing and response events keep them for the productivity report."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ValidationError

# A form left open longer than a working day measures nothing useful: the adapter does not send it.
MAX_HANDLING_SECONDS = 24 * 3600


def handling_problems(seconds: int | None) -> Mapping[str, str]:
    if seconds is None:
        return {}
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= MAX_HANDLING_SECONDS:
        return {"handling_seconds": f"debe ser un número entero de segundos entre 0 y {MAX_HANDLING_SECONDS}"}
    return {}


def check_handling_seconds(seconds: int | None) -> None:
    problems = handling_problems(seconds)
    if problems:
        raise ValidationError(dict(problems))
