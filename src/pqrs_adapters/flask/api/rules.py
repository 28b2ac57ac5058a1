"""``/rules``: the routing rules, for catalog administrators. List, create, read (with every version),
change (a new version when what it says changes), switch on and off, and try a rule on the most recent
cases before switching it on (``/rules/dry-run``). Invalid rules are a 422 problem naming the field
(``conditions.0.value``...)."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for

from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.rules import Action, Condition, Rule, sentence

from .catalog import _admin, _code
from .inputs import json_body
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.rules import (
    DryRunInputSchema,
    DryRunSchema,
    RuleDetailSchema,
    RuleEnabledSchema,
    RuleInputSchema,
    RuleListSchema,
)

_INPUT, _DRY, _ENABLED = RuleInputSchema(), DryRunInputSchema(), RuleEnabledSchema()


def rule_data(rule: Rule, catalog: Catalog, source: str = "admin") -> dict[str, Any]:
    return {"code": rule.code, "name": rule.name, "trigger": rule.trigger.value,
            "conditions": [{"field": c.field, "operator": c.operator.value, "value": c.value}
                           for c in rule.conditions],
            "actions": [{"kind": a.kind.value, "value": a.value} for a in rule.actions],
            "stop": rule.stop, "enabled": rule.enabled, "fraction": rule.fraction, "position": rule.position,
            "version": rule.version, "disabled_reason": rule.disabled_reason,
            "sentence": sentence(rule, catalog), "source": source}


def _rule(data: dict[str, Any], code: str = "") -> Rule:
    return Rule(code=code, name=data["name"], trigger=data["trigger"],
                conditions=tuple(Condition(c["field"], c["operator"], c["value"])
                                 for c in data["conditions"]),
                actions=tuple(Action(a["kind"], a["value"]) for a in data["actions"]), stop=data["stop"],
                enabled=data["enabled"], fraction=data["fraction"], position=data["position"])


def _stored(code: str) -> Rule:
    found = next((r for r in pqrs().catalog().rules if r.code == code), None)
    if found is None:
        raise ApiProblem("not-found", f"No existe la regla «{code}».")
    return found


def _detail(code: str) -> dict[str, Any]:
    actor = _admin()
    catalog = pqrs().catalog()
    rule = _stored(code)
    source = pqrs().catalog_admin.sources().get(("rules", code), "admin")
    versions = [{"version": r.version, "sentence": sentence(r, catalog), "changed_by": who,
                 "changed_at": at.isoformat()}
                for r, who, at in pqrs().routing_admin.rule_versions(code, actor)]
    return {**rule_data(rule, catalog, source), "versions": versions}


def _operation(summary: str, reply: Reply, *, body: type[Any] | None = None, status: int = 200,
               description: str = "", problems: tuple[int, ...] = (403,)) -> Operation:
    return Operation(summary=summary, tag="rules", body=body, description=description,
                     replies={status: reply}, problems=problems)


@api_route("/rules", "GET", _operation("Las reglas de enrutamiento, en su orden",
                                       Reply("Las reglas, cada una leída en español", RuleListSchema)))
def list_rules() -> Response:
    _admin()
    catalog = pqrs().catalog()
    sources = pqrs().catalog_admin.sources()
    return json_response({"items": [rule_data(r, catalog, sources.get(("rules", r.code), "admin"))
                                    for r in catalog.rules]})


@api_route("/rules", "POST", _operation(
    "Crear una regla", Reply("La regla creada", RuleDetailSchema, headers=("Location",)),
    body=RuleInputSchema,
    status=201, description="El código se deriva del nombre. Una regla nueva va al final del orden y queda "
                            "inactiva salvo que diga enabled=true; pruébela antes con /rules/dry-run."))
def create_rule() -> Response:
    actor = _admin()
    saved = pqrs().routing_admin.save_rule(_rule(json_body(_INPUT)), actor)
    return json_response(_detail(saved.code), 201, {"Location": url_for("api.get_rule", code=saved.code)})


@api_route("/rules/dry-run", "POST", _operation(
    "Probar una regla con los casos recientes", Reply("Qué habría hecho en cada caso", DryRunSchema),
    body=DryRunInputSchema, description="Evalúa la regla (como si estuviera activa y sola) sobre los "
                                        "«limit» casos más recientes y dice en cuáles habría actuado y qué "
                                        "habría cambiado. No guarda nada."))
def dry_run_rule() -> Response:
    actor = _admin()
    data = json_body(_DRY)
    limit = data.pop("limit")
    result = pqrs().routing_admin.dry_run(_rule(data), actor, limit=limit)
    catalog = pqrs().catalog()
    return json_response({"sentence": sentence(result.rule, catalog), "matched": result.matched,
                          "cases": [{"filing_number": c.filing_number, "subject": c.subject,
                                     "matched": c.matched, "changes": list(c.changes), "error": c.error}
                                    for c in result.cases]})


@api_route("/rules/<code>", "GET", _operation("Una regla, con todas sus versiones",
                                              Reply("La regla", RuleDetailSchema), problems=(403, 404, 422)))
def get_rule(code: str) -> Response:
    return json_response(_detail(_code(code)))


@api_route("/rules/<code>", "PUT", _operation(
    "Cambiar una regla", Reply("La regla como quedó", RuleDetailSchema), body=RuleInputSchema,
    problems=(403, 404, 422), description="Si cambia lo que la regla dice se crea una versión nueva; las "
                                     "anteriores se conservan y el historial de cada caso nombra la que "
                                     "actuó."))
def put_rule(code: str) -> Response:
    actor = _admin()
    code = _code(code)
    _stored(code)
    pqrs().routing_admin.save_rule(_rule(json_body(_INPUT), code), actor)
    return json_response(_detail(code))


@api_route("/rules/<code>/enabled", "PUT", _operation(
    "Activar o desactivar una regla", Reply("La regla", RuleDetailSchema), body=RuleEnabledSchema,
    problems=(403, 404, 422)))
def put_rule_enabled(code: str) -> Response:
    actor = _admin()
    code = _code(code)
    _stored(code)
    pqrs().routing_admin.set_rule_enabled(code, json_body(_ENABLED)["enabled"], actor)
    return json_response(_detail(code))
