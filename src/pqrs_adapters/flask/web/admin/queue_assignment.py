"""The assignment part of a queue's edit form: its strategy (``pqrs_core.domain.assignment``) and the
per-person cap, saved through ``AssignmentAdmin.set_policy``."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from pqrs_core.domain.assignment import Strategy

from ..common import actor, pqrs
from .support import attempt, text

MAX_CAP = 10_000


def strategy_choices() -> list[tuple[str, str]]:
    return [(Strategy.MANUAL.value, _("Manual: un supervisor distribuye")),
            (Strategy.ROUND_ROBIN.value, _("Por turnos: uno a cada persona, en orden")),
            (Strategy.LEAST_LOADED.value, _("A quien tenga menos carga (prioridad y vencidos pesan más)")),
            (Strategy.SKILLS.value, _("Por habilidades: tipificación, tipo o idioma; luego menos carga"))]


def strategy_label(code: str) -> str:
    return dict(strategy_choices()).get(code, code)


def policy_values(queue: str) -> dict[str, Any]:
    policy = pqrs().assignment_admin.policies().get(queue)
    return {"strategy": policy.strategy.value if policy else Strategy.MANUAL.value,
            "cap": "" if policy is None or policy.cap is None else str(policy.cap)}


def policy_rows() -> dict[str, dict[str, Any]]:
    """What the queue list shows of each queue's policy (read once): strategy code and label, cap."""
    short = {Strategy.MANUAL: _("Manual"), Strategy.ROUND_ROBIN: _("Por turnos"),
             Strategy.LEAST_LOADED: _("Menos carga"), Strategy.SKILLS: _("Por habilidades")}
    return {queue: {"strategy": p.strategy.value, "strategy_label": short[p.strategy], "cap": p.cap}
            for queue, p in pqrs().assignment_admin.policies().items()}


MANUAL_ROW: dict[str, Any] = {"strategy": Strategy.MANUAL.value, "cap": None}  # a queue never configured


def read_cap(errors: dict[str, str], name: str = "cap") -> int | None:
    """A cap typed in ``name``: empty is no cap; otherwise plain digits between 0 and ``MAX_CAP``."""
    raw = text(name, 20)
    if not raw:
        return None
    if not raw.isdecimal() or not raw.isascii() or int(raw) > MAX_CAP:
        errors[name] = _("Escriba un número entero entre 0 y %(n)d, o déjelo vacío (sin tope).", n=MAX_CAP)
        return None
    return int(raw)


def save_policy(queue: str, errors: dict[str, str]) -> bool:
    """Save the strategy and cap the form gives for ``queue``."""
    cap = read_cap(errors)
    strategy = text("strategy", 40) or Strategy.MANUAL.value
    if errors:
        return False
    return attempt(lambda: pqrs().assignment_admin.set_policy(queue, strategy, cap, actor()), errors)
