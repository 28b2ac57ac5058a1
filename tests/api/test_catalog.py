"""GET /catalog and its administration (administrators only)."""

from __future__ import annotations

import pytest

from pqrs_adapters import accounts

from .conftest import Api, assert_problem


def test_the_catalog_lists_every_list_the_tree_and_the_workflows(api: Api) -> None:
    catalog = api.get("catalog", "juan").get_json()
    assert {k["code"] for k in catalog["kinds"]} >= {"peticion", "queja", "reclamo", "sugerencia",
                                                      "denuncia", "felicitacion"}
    assert {c["code"] for c in catalog["channels"]} >= {"email", "phone", "api"}
    assert {d["code"] for d in catalog["document_types"]} >= {"CC", "NIT"}
    ranked = sorted(catalog["priorities"], key=lambda p: p["rank"])
    assert [p["code"] for p in ranked][:2] == ["bloqueante", "alta"]
    assert {q["code"] for q in catalog["queues"]} >= {"primer_nivel", "back_office"}
    nodes = {n["code"]: n for n in catalog["typifications"]}
    assert nodes["QUEJA_DE_CALIDAD"]["parent"] == "SERVICIO_AL_CLIENTE"
    assert nodes["SERVICIO_AL_CLIENTE"]["parent"] is None and nodes["QUEJA_DE_CALIDAD"]["version"] == 1
    assert {r["code"] for r in catalog["roles"]} >= {"requester", "consultant", "agent", "admin"}
    generic = next(w for w in catalog["workflows"] if w["code"] == "generic")
    assert "peticion" in generic["kinds"]
    assert {"code": "waiting_requester", "label": "Esperando información del peticionario",
            "category": "waiting"} in generic["states"]
    start = next(t for t in generic["transitions"] if t["name"] == "start")
    assert start["sources"] == ["filed", "assigned"] and start["target"] == "in_progress"
    assert catalog["default_workflow"] == "generic"
    assert isinstance(catalog["fields"], list)


def test_an_administrator_edits_the_simple_lists(api: Api) -> None:
    response = api.put("catalog/kinds/tutela", "admin", json={"label": "Tutela", "description": "Acción"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"code": "tutela", "label": "Tutela", "description": "Acción",
                                   "position": 0, "active": True}
    assert api.file(kind="tutela")["kind"] == "tutela"
    assert api.put("catalog/channels/whatsapp", "admin", json={"label": "WhatsApp"}).status_code == 200
    response = api.put("catalog/channels/whatsapp", "admin", json={"label": "WhatsApp", "active": False})
    assert response.get_json()["active"] is False
    assert_problem(api.post("cases", json={"kind": "queja", "subject": "a", "description": "b",
                                           "channel": "whatsapp"}), 422, "validation-error")


def test_an_administrator_edits_priorities_queues_and_roles(api: Api) -> None:
    response = api.put("catalog/priorities/critica", "admin", json={"label": "Crítica", "rank": 1})
    assert response.status_code == 200 and response.get_json()["rank"] == 1
    response = api.put("catalog/queues/juridica", "admin", json={"label": "Jurídica", "tier": 3})
    assert response.status_code == 200 and response.get_json()["tier"] == 3
    response = api.put("catalog/roles/auditor", "admin", json={
        "label": "Auditor", "permissions": ["reports.view"], "scopes": ["closed"], "kinds": ["queja"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["scopes"] == ["closed"]
    body = assert_problem(api.put("catalog/roles/x", "admin", json={"label": "X", "scopes": ["todo"]}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"scopes.0"}


def test_an_administrator_grows_and_reshapes_the_typification_tree(api: Api) -> None:
    response = api.post("catalog/typifications", "admin", json={"code": "GARANTIAS", "label": "Garantías"})
    assert response.status_code == 201 and response.get_json()["parent"] is None
    response = api.post("catalog/typifications", "admin",
                        json={"code": "GARANTIA_VENCIDA", "label": "Garantía vencida", "parent": "GARANTIAS"})
    assert response.status_code == 201
    classified = api.file(typification="GARANTIA_VENCIDA")
    assert classified["typification"]["path"] == ["Garantías", "Garantía vencida"]

    response = api.patch("catalog/typifications/GARANTIA_VENCIDA", "admin",
                         json={"label": "Garantía expirada"})
    assert response.get_json()["label"] == "Garantía expirada" and response.get_json()["version"] == 2
    response = api.patch("catalog/typifications/GARANTIA_VENCIDA", "admin", json={"parent": "LEGALES"})
    assert response.get_json()["parent"] == "LEGALES"
    response = api.patch("catalog/typifications/GARANTIA_VENCIDA", "admin", json={"active": False})
    assert response.get_json()["active"] is False
    # A case keeps the classification it was given.
    again = api.get(f"cases/{classified['filing_number']}").get_json()
    assert again["typification"]["path"] == ["Garantías", "Garantía vencida"]

    assert_problem(api.patch("catalog/typifications/NO_EXISTE", "admin", json={"active": False}), 404,
                   "not-found")
    assert_problem(api.post("catalog/typifications", "admin", json={"code": "GARANTIAS", "label": "Otra"}),
                   422, "validation-error")
    assert_problem(api.patch("catalog/typifications/LEGALES", "admin", json={"parent": "GARANTIA_VENCIDA"}),
                   422, "validation-error")  # under its own child


@pytest.mark.parametrize("user", ["ana", "sofia", "juan", "carlos"])
def test_only_administrators_change_the_catalog(api: Api, user: str) -> None:
    assert_problem(api.put("catalog/kinds/tutela", user, json={"label": "Tutela"}), 403, "forbidden")
    assert_problem(api.put("catalog/priorities/x", user, json={"label": "X", "rank": 1}), 403, "forbidden")
    assert_problem(api.put("catalog/queues/x", user, json={"label": "X"}), 403, "forbidden")
    assert_problem(api.put("catalog/roles/x", user, json={"label": "X"}), 403, "forbidden")
    assert_problem(api.post("catalog/typifications", user, json={"code": "X", "label": "X"}), 403,
                   "forbidden")
    assert_problem(api.patch("catalog/typifications/LEGALES", user, json={"active": False}), 403, "forbidden")


def test_unknown_lists_and_bad_bodies(api: Api) -> None:
    assert_problem(api.put("catalog/estados/x", "admin", json={"label": "X"}), 404, "not-found")
    body = assert_problem(api.put("catalog/kinds/x", "admin", json={"label": "", "color": "rojo"}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"label", "color"}
    body = assert_problem(api.put("catalog/priorities/x", "admin", json={"label": "X", "rank": "1"}), 422,
                          "validation-error")
    assert set(body["errors"]) == {"rank"}
    for code in ("x" * 65, "con espacio", "ñandú", "-x"):
        body = assert_problem(api.put(f"catalog/kinds/{code}", "admin", json={"label": "X"}), 422,
                              "validation-error")
        assert set(body["errors"]) == {"code"}


def test_a_role_granted_catalog_administration_changes_the_catalog_but_not_the_roles(api: Api) -> None:
    assert api.put("catalog/roles/catalogador", "admin", json={
        "label": "Catalogador", "permissions": ["catalog.admin"], "scopes": ["own"]}).status_code == 200
    accounts.save_user(api.engine, "pedro", roles=["catalogador"])

    reason = api.put("catalog/reasons/EMPAQUE_DANADO", "pedro", json={"label": "Empaque dañado"})
    assert reason.status_code == 200, reason.get_json()
    assert_problem(api.put("catalog/roles/x", "pedro", json={"label": "X"}), 403, "forbidden")
