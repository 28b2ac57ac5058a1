"""The catalog data the plugin registers: case kinds, custom fields and typifications."""

from __future__ import annotations

from pqrs_core.domain.catalog import CatalogEntry, FieldDefinition, FieldType
from pqrs_core.domain.typification import TypificationNode

KIND_CREDIT_NOTE = "nota_credito"
KIND_BACKORDER = "backorder"
KIND_CREDIT = "credito"

FIELD_NOTE_REASON = "motivo_nota"
FIELD_AMOUNT = "valor"
FIELD_INVOICE_NUMBER = "numero_factura"

# Seed 003 (6.3.6, «Motivos de notas»): the standard reasons a credit or debit note is created for.
# The seed asks for the list without giving it; these are the usual ones in Colombian commerce and an
# administrator edits them at run time.
NOTE_REASONS: tuple[str, ...] = (
    "Devolución de mercancía",
    "Producto averiado o defectuoso",
    "Faltante en la entrega",
    "Error en el precio facturado",
    "Descuento no aplicado",
    "Mayor valor cobrado en el flete",
    "Cargo no facturado",
    "Intereses de mora",
)


def case_kinds() -> list[CatalogEntry]:
    """The three kinds of case the special workflows serve (placed after the built-in kinds)."""
    return [
        CatalogEntry(KIND_CREDIT_NOTE, "Solicitud de nota crédito/débito",
                     "El cliente solicita una nota crédito o débito sobre una factura.", position=10),
        CatalogEntry(KIND_BACKORDER, "Solicitud de backorder",
                     "Solicitud de un pedido backorder de productos sin existencias.", position=11),
        CatalogEntry(KIND_CREDIT, "Solicitud de crédito",
                     "Solicitud de estudio de crédito hecha desde el perfil del consultor.", position=12),
    ]


def field_definitions() -> list[FieldDefinition]:
    """The fields of a note request: its reason (a «Motivos de notas» choice), amount and invoice, all
    public: a customer asking for a note from the portal or the public form gives them."""
    note = (KIND_CREDIT_NOTE,)
    return [
        FieldDefinition(FIELD_NOTE_REASON, "Motivo de la nota", FieldType.CHOICE, choices=NOTE_REASONS,
                        kinds=note, public=True),
        FieldDefinition(FIELD_AMOUNT, "Valor de la nota", FieldType.DECIMAL, required=True, kinds=note,
                        public=True),
        FieldDefinition(FIELD_INVOICE_NUMBER, "Número de factura", FieldType.TEXT, max_length=64,
                        kinds=note, public=True),
    ]


def typifications() -> list[TypificationNode]:
    """A «Notas» category with a leaf for credit notes and one for debit notes (parent first)."""
    return [
        TypificationNode("NOTAS", "Notas", position=50,
                         description="Solicitudes de notas crédito y débito sobre facturas."),
        TypificationNode("NOTA_CREDITO", "Nota crédito", parent="NOTAS", position=1,
                         description="Cuando el cliente solicita que se disminuya el valor de una factura "
                                     "por devolución, descuento o error de facturación."),
        TypificationNode("NOTA_DEBITO", "Nota débito", parent="NOTAS", position=2,
                         description="Cuando se debe aumentar el valor de una factura por cargos no "
                                     "facturados o intereses."),
    ]
