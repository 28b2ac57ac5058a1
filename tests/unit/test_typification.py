"""The typification tree (seed 003, 7.2.3.1): classification paths, versioned renames and moves,
inactive nodes, accent-insensitive search — and past cases keep the classification they were given."""

from __future__ import annotations

import pytest

from pqrs_core.defaults_data import default_typifications
from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.typification import TypificationNode, TypificationTree
from pqrs_core.services.messagebus import Pqrs

from .support import file, number


@pytest.fixture
def tree() -> TypificationTree:
    return TypificationTree(default_typifications())


def test_classify_gives_the_path_from_category_to_case(tree: TypificationTree) -> None:
    typ = tree.classify("PAGO_SIN_IDENTIFICAR")
    assert typ.path == ("Financiera", "Pago sin identificar")
    assert typ.path_codes == ("FINANCIERA", "PAGO_SIN_IDENTIFICAR")
    assert typ.category == "FINANCIERA"
    assert typ.label == "Pago sin identificar"
    assert str(typ) == "Financiera › Pago sin identificar"
    assert typ.version == 1


def test_a_category_can_be_used_on_its_own(tree: TypificationTree) -> None:
    assert tree.classify("LEGALES").path == ("Legales",)


def test_unknown_code_is_a_validation_error_on_typification(tree: TypificationTree) -> None:
    with pytest.raises(ValidationError) as excinfo:
        tree.classify("NO_EXISTE")
    assert "typification" in excinfo.value.errors


def test_rename_bumps_the_version_and_changes_the_path(tree: TypificationTree) -> None:
    before = tree.classify("MAYOR_FLETE_COBRADO")
    node = tree.rename("MAYOR_FLETE_COBRADO", "Flete cobrado mayor al pactado")
    assert node.version == before.version + 1
    after = tree.classify("MAYOR_FLETE_COBRADO")
    assert after.path == ("Sistema", "Flete cobrado mayor al pactado")
    assert after.version == 2
    assert before.path == ("Sistema", "Mayor flete cobrado")  # the old value is untouched


def test_rename_to_blank_is_refused(tree: TypificationTree) -> None:
    with pytest.raises(ValidationError) as excinfo:
        tree.rename("LEGALES", "  ")
    assert "label" in excinfo.value.errors
    assert tree.get("LEGALES").version == 1


def test_renaming_a_category_changes_the_path_of_its_cases(tree: TypificationTree) -> None:
    tree.rename("LEGALES", "Jurídica")
    assert tree.classify("DERECHO_DE_PETICION").path == ("Jurídica", "Derecho de petición")


def test_move_bumps_the_version_and_reparents(tree: TypificationTree) -> None:
    node = tree.move("QUEJA_DE_FUNCIONARIO_DE_LA_COMPANIA", "SERVICIO_AL_CLIENTE")
    assert node.version == 2
    assert node.parent == "SERVICIO_AL_CLIENTE"
    assert tree.classify("QUEJA_DE_FUNCIONARIO_DE_LA_COMPANIA").path == (
        "Servicio al cliente", "Queja de funcionario de la compañía")
    assert "QUEJA_DE_FUNCIONARIO_DE_LA_COMPANIA" not in {n.code for n in tree.children("OPERACIONES")}


def test_moving_a_node_under_its_own_descendant_is_refused(tree: TypificationTree) -> None:
    tree.add(TypificationNode("TRANSPORTE", "Transporte", parent="OPERACIONES"))
    tree.add(TypificationNode("ORDEN_NO_LLEGO", "La orden no llegó", parent="TRANSPORTE"))
    for target in ("ORDEN_NO_LLEGO", "TRANSPORTE", "OPERACIONES"):
        with pytest.raises(ValidationError) as excinfo:
            tree.move("OPERACIONES", target)
        assert "parent" in excinfo.value.errors
    assert tree.get("OPERACIONES").parent is None
    assert tree.get("OPERACIONES").version == 1
    assert tree.classify("ORDEN_NO_LLEGO").path == ("Operaciones", "Transporte", "La orden no llegó")


def test_moving_to_the_root_and_under_an_unknown_parent(tree: TypificationTree) -> None:
    assert tree.move("PEDIDO_NO_RECIBIDO", None).parent is None
    assert tree.classify("PEDIDO_NO_RECIBIDO").path == ("Pedido no recibido",)
    with pytest.raises(ValidationError):
        tree.move("PEDIDO_NO_RECIBIDO", "NO_EXISTE")


def test_inactive_node_cannot_be_used(tree: TypificationTree) -> None:
    tree.set_active("CLIENTE_NO_HIZO_PEDIDO", False)
    with pytest.raises(ValidationError) as excinfo:
        tree.classify("CLIENTE_NO_HIZO_PEDIDO")
    assert "typification" in excinfo.value.errors
    assert "inactiva" in excinfo.value.errors["typification"]


def test_deactivating_a_category_disables_its_cases(tree: TypificationTree) -> None:
    tree.set_active("COMERCIAL", False)
    with pytest.raises(ValidationError):
        tree.classify("FRAUDE_SUPLANTACION_DE_IDENTIDAD")
    assert all(t.category != "COMERCIAL" for t in tree.search(""))
    tree.set_active("COMERCIAL", True)
    assert tree.classify("FRAUDE_SUPLANTACION_DE_IDENTIDAD").category == "COMERCIAL"


def test_add_refuses_duplicates_unknown_parents_and_blank_labels(tree: TypificationTree) -> None:
    with pytest.raises(ValidationError):
        tree.add(TypificationNode("LEGALES", "Otra"))
    with pytest.raises(ValidationError):
        tree.add(TypificationNode("X", "X", parent="NO_EXISTE"))
    with pytest.raises(ValidationError):
        tree.add(TypificationNode("Y", " "))
    with pytest.raises(NotFound):
        tree.get("NO_EXISTE")


@pytest.mark.parametrize("query", ["peticion", "PETICION", "petición", "derecho peticion",
                                   "legales peticion"])
def test_search_is_accent_and_case_insensitive(tree: TypificationTree, query: str) -> None:
    found = [t.code for t in tree.search(query)]
    assert "DERECHO_DE_PETICION" in found


def test_search_matches_every_word_and_descriptions(tree: TypificationTree) -> None:
    assert [t.code for t in tree.search("facturacion reclamo")] == ["RECLAMO_PROCESO_DE_FACTURACION"]
    # «suplantando» only appears in the description of the fraud case.
    assert [t.code for t in tree.search("suplantando")] == ["FRAUDE_SUPLANTACION_DE_IDENTIDAD"]
    assert tree.search("helicóptero") == []


def test_search_skips_inactive_nodes(tree: TypificationTree) -> None:
    tree.set_active("DERECHO_DE_PETICION", False)
    assert "DERECHO_DE_PETICION" not in [t.code for t in tree.search("peticion")]


# --- through the application ---------------------------------------------------------------------


def test_past_cases_keep_the_classification_they_were_given(pqrs: Pqrs) -> None:
    old = file(pqrs, typification="MAYOR_FLETE_COBRADO")
    with pqrs.uow_factory() as uow:
        tree = uow.catalog.load().typifications
        renamed = tree.rename("MAYOR_FLETE_COBRADO", "Flete cobrado mayor al pactado")
        uow.catalog.put_typification(renamed, "admin", "root", pqrs.deps.clock.now())
        uow.commit()

    new = file(pqrs, typification="MAYOR_FLETE_COBRADO")
    assert new.typification is not None and new.typification.version == 2
    assert new.typification.path == ("Sistema", "Flete cobrado mayor al pactado")
    kept = pqrs.case(number(old)).typification
    assert kept is not None
    assert (kept.version, kept.path) == (1, ("Sistema", "Mayor flete cobrado"))


def test_filing_with_an_inactive_typification_is_refused(pqrs: Pqrs) -> None:
    with pqrs.uow_factory() as uow:
        node = uow.catalog.load().typifications.set_active("PAGO_SIN_IDENTIFICAR", False)
        uow.catalog.put_typification(node, "admin", "root", pqrs.deps.clock.now())
        uow.commit()
    with pytest.raises(ValidationError) as excinfo:
        file(pqrs, typification="PAGO_SIN_IDENTIFICAR")
    assert "typification" in excinfo.value.errors
    assert pqrs.count() == 0
