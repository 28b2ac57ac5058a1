"""Custom fields defined at run time (seed 000: "el módulo Estudio permite agregar más campos").

A ``FieldDefinition`` says what a field holds (its type, its options, a pattern, a range), where it
applies (case kinds), when it is required (always, for some typifications, or before some
transitions) and whether the requester sees it (``public``). ``clean`` turns what a person or a client
sent into the value stored in ``Case.custom_fields``, or a Spanish message.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .errors import Problems
from .text import forbidden_characters
from .values import MAX_CODE, MAX_LONG_TEXT, MAX_SHORT_TEXT, MAX_SUBJECT

MAX_PATTERN = 200
MAX_CHOICES = 200
DEFAULT_LONG_TEXT = 4_000
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class FieldType(enum.StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"

    @property
    def numeric(self) -> bool:
        return self in (FieldType.INTEGER, FieldType.DECIMAL)

    @property
    def with_options(self) -> bool:
        return self in (FieldType.CHOICE, FieldType.MULTI_CHOICE)

    @property
    def textual(self) -> bool:
        return self in (FieldType.TEXT, FieldType.LONG_TEXT)


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def is_empty(value: Any) -> bool:
    """Whether a custom field value counts as not given (``None``, ``""``, an empty list)."""
    return value is None or value == "" or value == [] or value == ()


@attrs.frozen
class FieldDefinition:
    """A custom field. ``choices`` are the option codes stored in cases; ``choice_labels`` what people
    read for each (renaming a label keeps the codes, so cases keep their values). ``kinds`` and
    ``typifications`` empty: every kind, every typification. ``required`` applies to the cases of the
    field's kinds whose typification is (under) one of ``typifications`` when there are some;
    ``required_for_transitions`` names the workflow transitions that may not fire without a value."""

    code: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 500
    kinds: tuple[str, ...] = ()  # empty: applies to every kind
    active: bool = True
    choice_labels: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    pattern: str = ""  # a regular expression the whole text must match (text fields)
    pattern_message: str = ""  # what people read when it does not («nueve dígitos»)
    minimum: Decimal | None = attrs.field(default=None, converter=_number)
    maximum: Decimal | None = attrs.field(default=None, converter=_number)
    public: bool = False  # shown to the requester: public form, portal, public case page
    typifications: tuple[str, ...] = ()
    required_for_transitions: tuple[str, ...] = ()
    help: str = ""

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def required_for(self, kind: str, typification_path: Sequence[str] = ()) -> bool:
        """Whether a case of ``kind`` typified under ``typification_path`` (root first) must have it."""
        if not (self.required and self.active and self.applies_to(kind)):
            return False
        return not self.typifications or any(code in self.typifications for code in typification_path)

    def options(self) -> tuple[tuple[str, str], ...]:
        """``(code, label)`` of each option, in order."""
        return tuple((code, self.choice_labels.get(code) or code) for code in self.choices)

    def shown(self, value: Any) -> str:
        """A stored value as people read it: option labels, «Sí»/«No», ``""`` for no value."""
        if is_empty(value):
            return ""
        if isinstance(value, bool):
            return "Sí" if value else "No"
        labels = dict(self.options())
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))

    def clean(self, value: Any) -> Any:
        """The value in its canonical JSON-friendly form, or ``ValueError`` with a Spanish message."""
        if self.type.textual:
            return self._clean_text(value)
        if self.type is FieldType.INTEGER:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError("debe ser un número entero")
            try:
                number = int(value)
            except ValueError:
                raise ValueError("debe ser un número entero") from None
            self._check_range(Decimal(number))
            return number
        if self.type is FieldType.DECIMAL:
            return str(self._clean_decimal(value))
        if self.type is FieldType.DATE:
            try:
                return date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise ValueError("debe ser una fecha AAAA-MM-DD") from None
        if self.type is FieldType.BOOLEAN:
            if not isinstance(value, bool):
                raise ValueError("debe ser verdadero o falso")
            return value
        if self.type is FieldType.MULTI_CHOICE:
            return self._clean_many(value)
        if value not in self.choices:
            raise ValueError(f"debe ser uno de: {self._listed()}")
        return value

    def _clean_text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("debe ser texto")
        if len(value) > self.max_length:
            raise ValueError(f"admite como máximo {self.max_length} caracteres")
        multiline = self.type is FieldType.LONG_TEXT or self.max_length > MAX_SUBJECT
        why = forbidden_characters(value, multiline=multiline)
        if why is not None:
            raise ValueError(why)
        if self.pattern and re.fullmatch(self.pattern, value) is None:
            raise ValueError(self.pattern_message or "no tiene el formato esperado")
        return value

    def _clean_decimal(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("debe ser un número")
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError("debe ser un número") from None
        if not number.is_finite():
            raise ValueError("debe ser un número finito")
        self._check_range(number)
        return number

    def _check_range(self, number: Decimal) -> None:
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and not low <= number <= high:
            raise ValueError(f"debe estar entre {low} y {high}")
        if low is not None and number < low:
            raise ValueError(f"debe ser mayor o igual a {low}")
        if high is not None and number > high:
            raise ValueError(f"debe ser menor o igual a {high}")

    def _clean_many(self, value: Any) -> list[str]:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError("debe ser una lista de opciones")
        unknown = [v for v in value if v not in self.choices]
        if unknown:
            raise ValueError(f"«{unknown[0]}» no es una opción; las opciones son: {self._listed()}")
        chosen = set(value)
        return [code for code in self.choices if code in chosen]

    def _listed(self) -> str:
        return ", ".join(self.choices)


def check_definition(definition: FieldDefinition) -> None:
    """``ValidationError`` naming each part of ``definition`` that cannot work (Spanish)."""
    problems = Problems()
    if not _CODE.match(definition.code or ""):
        problems.add("code", "solo admite letras sin tilde, dígitos, «_», «.» y «-» (hasta 64)")
    if not definition.label.strip():
        problems.add("label", "es obligatorio")
    elif len(definition.label) > MAX_SHORT_TEXT:
        problems.add("label", f"admite como máximo {MAX_SHORT_TEXT} caracteres")
    kind = definition.type
    if kind.with_options:
        _check_options(problems, definition)
    elif definition.choices:
        problems.add("choices", "solo las listas de opciones tienen opciones")
    if kind.textual and not 1 <= definition.max_length <= MAX_LONG_TEXT:
        problems.add("max_length", f"debe estar entre 1 y {MAX_LONG_TEXT}")
    if definition.pattern:
        if not kind.textual:
            problems.add("pattern", "solo los campos de texto tienen patrón")
        elif len(definition.pattern) > MAX_PATTERN:
            problems.add("pattern", f"admite como máximo {MAX_PATTERN} caracteres")
        else:
            try:
                re.compile(definition.pattern)
            except re.error as exc:
                problems.add("pattern", f"no es una expresión regular válida ({exc.msg})")
    if (definition.minimum is not None or definition.maximum is not None) and not kind.numeric:
        problems.add("minimum" if definition.minimum is not None else "maximum",
                     "solo los campos numéricos tienen mínimo y máximo")
    for name in ("minimum", "maximum"):
        bound = getattr(definition, name)
        if bound is not None and not bound.is_finite():
            problems.add(name, "debe ser un número finito")
    low, high = definition.minimum, definition.maximum
    if (low is not None and high is not None and low.is_finite() and high.is_finite() and low > high):
        problems.add("maximum", "debe ser mayor o igual al mínimo")
    problems.raise_if_any()


def _check_options(problems: Problems, definition: FieldDefinition) -> None:
    if not definition.choices:
        problems.add("choices", "una lista de opciones necesita al menos una opción")
    elif len(definition.choices) > MAX_CHOICES:
        problems.add("choices", f"admite como máximo {MAX_CHOICES} opciones")
    elif len(set(definition.choices)) != len(definition.choices):
        problems.add("choices", "hay opciones repetidas")
    bad = [c for c in definition.choices if not _CODE.match(c) or len(c) > MAX_CODE]
    if bad:
        problems.add("choices", f"«{bad[0]}» no es un código de opción válido (letras sin tilde, dígitos, "
                                "«_», «.» y «-»)")
    stray = sorted(set(definition.choice_labels) - set(definition.choices))
    if stray:
        problems.add("choice_labels", f"«{stray[0]}» no es una de las opciones")
    long_labels = [c for c, label in definition.choice_labels.items() if len(label) > MAX_SHORT_TEXT]
    if long_labels:
        problems.add("choice_labels", f"la etiqueta de «{long_labels[0]}» es demasiado larga")


def missing_required(definitions: Iterable[FieldDefinition], kind: str, typification_path: Sequence[str],
                     values: Mapping[str, Any]) -> list[FieldDefinition]:
    """The required fields (for ``kind`` and the typification) that ``values`` has no value for."""
    return [d for d in definitions
            if d.required_for(kind, typification_path) and is_empty(values.get(d.code))]


def missing_for_transition(definitions: Iterable[FieldDefinition], transition: str,
                           workflow_requires: Collection[str], kind: str,
                           values: Mapping[str, Any]) -> list[FieldDefinition]:
    """The active fields of ``kind`` required before ``transition`` that ``values`` has no value for:
    those the field's definition requires before it (``required_for_transitions``) and those the
    workflow's transition requires (``workflow_requires``, its ``required_fields``)."""
    return [d for d in definitions
            if d.active and d.applies_to(kind)
            and (transition in d.required_for_transitions or d.code in workflow_requires)
            and is_empty(values.get(d.code))]


def field_to_plain(definition: FieldDefinition) -> dict[str, Any]:
    """``definition`` as JSON-friendly data (the API's and the change log's form)."""
    return {"code": definition.code, "label": definition.label, "type": definition.type.value,
            "required": definition.required, "choices": list(definition.choices),
            "choice_labels": dict(definition.choice_labels), "max_length": definition.max_length,
            "kinds": list(definition.kinds), "active": definition.active, "pattern": definition.pattern,
            "pattern_message": definition.pattern_message,
            "minimum": None if definition.minimum is None else str(definition.minimum),
            "maximum": None if definition.maximum is None else str(definition.maximum),
            "public": definition.public, "typifications": list(definition.typifications),
            "required_for_transitions": list(definition.required_for_transitions), "help": definition.help}
