"""Editing a case's editable fields: validation and the plain before → after values recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .catalog import Catalog
from .errors import Problems, ValidationError
from .values import (
    MAX_DESCRIPTION,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_SUBJECT,
    DocumentReference,
    ReferenceKind,
    Requester,
    RequesterKind,
    check_text,
)

if TYPE_CHECKING:
    from .case import Case


# Fields that ``change_fields`` may edit, with their limits; the rest change through their own command.
EDITABLE_TEXT_FIELDS = {
    "subject": MAX_SUBJECT, "description": MAX_DESCRIPTION, "non_crm_contact": MAX_LONG_TEXT,
    "solution": MAX_LONG_TEXT, "received_by": MAX_SHORT_TEXT,
}
EDITABLE_CODE_FIELDS = {"kind": "kinds", "reason": "reasons", "channel": "channels"}
EDITABLE_FIELDS = frozenset(
    {*EDITABLE_TEXT_FIELDS, *EDITABLE_CODE_FIELDS, "priority", "requester", "references",
     "custom_fields", "missing_information", "verbal"}
)


def requester_to_plain(requester: Requester) -> dict[str, Any]:
    data = attrs.asdict(requester)
    data["kind"] = requester.kind.value
    return data


def requester_from_plain(data: Mapping[str, Any]) -> Requester:
    problems = Problems()
    known = {f.name for f in attrs.fields(Requester)}
    for key in data:
        if key not in known:
            problems.add(f"requester.{key}", "no es un campo del peticionario")
    values = {k: v for k, v in data.items() if k in known}
    for key, value in values.items():
        if key != "kind" and value is not None and not isinstance(value, str):
            problems.add(f"requester.{key}", "debe ser texto")
    try:
        values["kind"] = RequesterKind(values.get("kind", RequesterKind.PERSON.value))
    except ValueError:
        problems.add("requester.kind", "debe ser customer, lead, person o anonymous")
    problems.raise_if_any()
    return Requester(**values)


def references_to_plain(refs: tuple[DocumentReference, ...]) -> list[dict[str, str]]:
    return [{"kind": r.kind.value, "number": r.number} for r in refs]


def references_from_plain(items: Any) -> tuple[DocumentReference, ...]:
    problems = Problems()
    refs = []
    if not isinstance(items, list | tuple):
        raise ValidationError({"references": "debe ser una lista"})
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or set(item) != {"kind", "number"}:
            problems.add(f"references.{i}", "debe tener «kind» y «number»")
            continue
        try:
            kind = ReferenceKind(item["kind"])
        except ValueError:
            problems.add(f"references.{i}.kind", "debe ser invoice, order o purchase_order")
            continue
        if not isinstance(item["number"], str):
            problems.add(f"references.{i}.number", "debe ser texto")
            continue
        check_text(problems, f"references.{i}.number", item["number"], max_length=64, required=True)
        refs.append(DocumentReference(kind, item["number"].strip()))
    problems.raise_if_any()
    return tuple(refs)


def _current_plain(case: Case, field: str) -> Any:
    value = getattr(case, field)
    if field == "requester":
        return requester_to_plain(value)
    if field == "references":
        return references_to_plain(value)
    if field == "missing_information":
        return list(value)
    if field == "custom_fields":
        return dict(value)
    return value


def _path(case: Case) -> tuple[str, ...]:
    return case.typification.path_codes if case.typification else ()


def plan_field_changes(case: Case, changes: Mapping[str, Any],
                       catalog: Catalog) -> list[tuple[str, Any, Any]]:
    """Validate every change at once; return ``(field, before, after)`` for the ones that differ."""
    if not case.is_open:
        raise ValidationError({"state": "un caso cerrado no se edita; reábralo primero"})
    problems = Problems()
    planned: list[tuple[str, Any, Any]] = []
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            problems.add(field, "no es un campo editable")
            continue
        after: Any = value
        try:
            if field in EDITABLE_TEXT_FIELDS:
                if value is not None and not isinstance(value, str):
                    raise ValidationError({field: "debe ser texto"})
                required = field in ("subject", "description")
                sub = Problems()
                check_text(sub, field, value, max_length=EDITABLE_TEXT_FIELDS[field], required=required)
                sub.raise_if_any()
                after = value.strip() if isinstance(value, str) and value.strip() else None
            elif field in EDITABLE_CODE_FIELDS:
                sub = Problems()
                catalog.check_code(sub, field, EDITABLE_CODE_FIELDS[field], value, required=field == "kind")
                sub.raise_if_any()
                after = value or None
            elif field == "priority":
                sub = Problems()
                catalog.check_priority(sub, value)
                sub.raise_if_any()
                after = value or None
            elif field == "requester":
                if not isinstance(value, Mapping):
                    raise ValidationError({"requester": "debe ser un objeto"})
                requester = requester_from_plain(value)
                sub = Problems()
                sub.extend(requester.problems(catalog.active_codes("document_types")), "requester.")
                sub.raise_if_any()
                after = requester_to_plain(requester)
            elif field == "references":
                after = references_to_plain(references_from_plain(value))
            elif field == "custom_fields":
                if not isinstance(value, Mapping):
                    raise ValidationError({"custom_fields": "debe ser un objeto"})
                kind = changes.get("kind", case.kind)
                after = catalog.clean_custom_fields(kind, value, previous=case.custom_fields,
                                                    typification_path=_path(case))
            elif field == "missing_information":
                if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                    raise ValidationError({field: "debe ser una lista de textos"})
                sub = Problems()
                for i, item in enumerate(value):
                    check_text(sub, f"{field}.{i}", item, max_length=MAX_SHORT_TEXT, required=True)
                sub.raise_if_any()
                after = [v.strip() for v in value]
            elif field == "verbal":
                if not isinstance(value, bool):
                    raise ValidationError({field: "debe ser verdadero o falso"})
        except ValidationError as exc:
            problems.extend(exc.errors)
            continue
        before = _current_plain(case, field)
        if before != after:
            planned.append((field, before, after))
    new_kind = changes.get("kind")
    if new_kind and new_kind != case.kind and "custom_fields" not in changes and not problems:
        # A case of the new kind must hold that kind's required custom fields too.
        try:
            catalog.clean_custom_fields(new_kind, {}, previous=case.custom_fields,
                                        typification_path=_path(case))
        except ValidationError as exc:
            problems.extend(exc.errors)
    problems.raise_if_any()
    return planned


def apply_field_change(case: Case, field: str, after: Any) -> None:
    if field == "requester":
        case.requester = requester_from_plain(after)
    elif field == "references":
        case.references = references_from_plain(after)
    elif field == "missing_information":
        case.missing_information = tuple(after)
    elif field == "custom_fields":
        case.custom_fields = dict(after)
    else:
        setattr(case, field, after)
