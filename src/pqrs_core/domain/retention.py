"""Retention tables (TRD, *tablas de retención documental*): where a case file goes in the
organisation's archive and how long it stays there.

Ley 594 de 2000 (Ley General de Archivos), art. 24, obliges public entities and private parties
performing public functions to draw up and apply retention tables; the Acuerdo 004 de 2019 of the
Archivo General de la Nación sets how they are drawn up, approved and applied. Each documentary series
or subseries (e.g. «200.15.02 PQRSD») states the years its files stay in the office's archive
(*archivo de gestión*), then in the central archive (*archivo central*), and its final disposition
(*disposición final*): kept whole (*conservación total*), destroyed (*eliminación*), sampled
(*selección*) or reproduced in another medium (*microfilmación / digitalización*).

A kind of case and any node of the typification tree may carry a rule; a case takes the rule of its
typification node (the nearest node up the tree that has one), else the rule of its kind. Every change
makes a new version of the rule, kept with who made it and when, like typification nodes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from .errors import Problems, ValidationError
from .values import MAX_SHORT_TEXT, check_text

if TYPE_CHECKING:
    from .case import Case
    from .catalog import Catalog

MAX_YEARS = 200
MAX_TRD_CODE = 60
KIND_SCOPE = "kind"
TYPIFICATION_SCOPE = "typification"


class Disposition(enum.StrEnum):
    """The final disposition of a series (Acuerdo 004 de 2019 AGN)."""

    KEEP = "conservacion_total"
    DESTROY = "eliminacion"
    SELECT = "seleccion"
    REPRODUCE = "microfilmacion_digitalizacion"


DISPOSITION_LABELS = {
    Disposition.KEEP: "Conservación total",
    Disposition.DESTROY: "Eliminación",
    Disposition.SELECT: "Selección",
    Disposition.REPRODUCE: "Microfilmación / digitalización",
}


def scope_of(kind: str, code: str) -> str:
    """The key a rule is stored under: ``kind:<code>`` or ``typification:<code>``."""
    if kind not in (KIND_SCOPE, TYPIFICATION_SCOPE):
        raise ValueError(kind)
    return f"{kind}:{code}"


@attrs.frozen
class RetentionRule:
    """One row of the retention table: the series it files the cases under and its periods."""

    trd_code: str
    series: str = ""  # the series or subseries name, «Derechos de petición»
    management_years: int = 0  # años en archivo de gestión
    central_years: int = 0  # años en archivo central
    disposition: Disposition = Disposition.KEEP
    notes: str = ""  # procedure (how selection is made, what is digitised...)
    version: int = 1

    @property
    def disposition_label(self) -> str:
        return DISPOSITION_LABELS[self.disposition]

    @property
    def total_years(self) -> int:
        return self.management_years + self.central_years

    def check(self) -> None:
        """``ValidationError`` naming each field at fault."""
        problems = Problems()
        check_text(problems, "trd_code", self.trd_code, max_length=MAX_TRD_CODE, required=True)
        check_text(problems, "series", self.series, max_length=MAX_SHORT_TEXT)
        check_text(problems, "notes", self.notes, max_length=2_000, multiline=True)
        for field in ("management_years", "central_years"):
            years = getattr(self, field)
            if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_YEARS:
                problems.add(field, f"debe ser un número de años entre 0 y {MAX_YEARS}")
        if not isinstance(self.disposition, Disposition):
            problems.add("disposition", "no es una disposición final válida")
        problems.raise_if_any()


def current_retention(versions: Iterable[tuple[str, int, RetentionRule | None]]) -> dict[str, RetentionRule]:
    """The rule in force per scope from its stored versions (a scope whose newest version is ``None``
    has none)."""
    newest: dict[str, tuple[int, RetentionRule | None]] = {}
    for scope, version, rule in versions:
        if scope not in newest or version > newest[scope][0]:
            newest[scope] = (version, rule)
    return {scope: attrs.evolve(rule, version=version) for scope, (version, rule) in newest.items()
            if rule is not None}


def parse_disposition(value: str) -> Disposition:
    try:
        return Disposition(value)
    except ValueError:
        raise ValidationError({"disposition": f"«{value}» no es una disposición final válida"}) from None


@attrs.frozen
class RetentionFound:
    """The rule a case is filed under and the scope it comes from (``typification:X`` / ``kind:Y``)."""

    rule: RetentionRule
    scope: str
    origin_label: str


def retention_for(catalog: Catalog, case: Case) -> RetentionFound | None:
    """The rule of the case's typification node (the nearest one up the tree that has a rule), else the
    rule of its kind; ``None`` when neither has one."""
    rules: Mapping[str, RetentionRule] = catalog.retention
    typification = case.typification
    if typification is not None:
        # The path the case was classified with, nearest node first.
        for code, label in reversed(list(zip(typification.path_codes, typification.path, strict=True))):
            rule = rules.get(scope_of(TYPIFICATION_SCOPE, code))
            if rule is not None:
                return RetentionFound(rule, scope_of(TYPIFICATION_SCOPE, code), label)
    rule = rules.get(scope_of(KIND_SCOPE, case.kind))
    if rule is not None:
        label = next((k.label for k in catalog.kinds if k.code == case.kind), case.kind)
        return RetentionFound(rule, scope_of(KIND_SCOPE, case.kind), label)
    return None
