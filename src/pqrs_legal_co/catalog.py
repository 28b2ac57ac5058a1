"""The catalog data the legal terms need and the built-in defaults lack: case kinds and one
typification.

Kinds are what the requester asks for, because the law gives each a different term (CPACA art. 14
num. 1 and 2, Ley 1581 de 2012 arts. 14–15, Decreto 2591 de 1991).

Home public utilities are a typification, not a kind. Ley 142 de 1994 art. 158 (term restated by
Decreto-Ley 2150 de 1995 art. 123) does not create a new kind of request: it gives a utility company
15 business days for the "peticiones, quejas y recursos" of its users, which are still peticiones,
quejas and reclamos. Keeping the kind tells the organisation's reports what was asked. The subject
(the utility service) is a classification, and a typification node covers its whole sub-tree, so
an organisation can add «Facturación», «Suspensión y corte» and so on under
``SERVICIOS_PUBLICOS`` and they keep the utility term. An organisation that is not a utility
deactivates the node.
"""

from __future__ import annotations

from pqrs_core.domain.catalog import CatalogEntry, FieldDefinition, FieldType
from pqrs_core.domain.typification import TypificationNode

KIND_CONSULTA = "consulta"
KIND_DOCUMENTOS = "solicitud_documentos"
KIND_HABEAS_DATA_CONSULTA = "habeas_data_consulta"
KIND_HABEAS_DATA_RECLAMO = "habeas_data_reclamo"
KIND_TUTELA = "tutela"

# The built-in kinds (pqrs_core.defaults_data.default_kinds) the general term covers.
GENERAL_KINDS = ("peticion", "queja", "reclamo", "sugerencia", "denuncia")
KIND_FELICITACION = "felicitacion"

# Recursos against a home-utility company's decision (Ley 142 de 1994 arts. 154 and 158): reposición
# before the company, and apelación before the Superintendencia, filed as a subsidiary of reposición.
KIND_RECURSO_REPOSICION = "recurso_reposicion"
KIND_RECURSO_APELACION = "recurso_apelacion"
RECURSO_KINDS = (KIND_RECURSO_REPOSICION, KIND_RECURSO_APELACION)
# The date the decision a recurso attacks was notified: the recurso is filed within 5 business days of
# it (Ley 142 de 1994 art. 154), and the case shows when it came later.
FIELD_DECISION_NOTIFIED = "fecha_notificacion_decision"

TYPIFICATION_SERVICIOS_PUBLICOS = "SERVICIOS_PUBLICOS"
# The kinds Ley 142 art. 158 speaks of: "peticiones, quejas y recursos" (a recurso arrives as a reclamo).
SERVICIOS_PUBLICOS_KINDS = ("peticion", "queja", "reclamo")


def case_kinds() -> list[CatalogEntry]:
    """The kinds with a legal term of their own (placed after the built-in kinds)."""
    return [
        # CPACA (Ley 1437 de 2011) art. 14 num. 2, as set by Ley 1755 de 2015.
        CatalogEntry(KIND_CONSULTA, "Consulta",
                     "Petición por la que se eleva una consulta a la organización sobre las materias "
                     "a su cargo. La respuesta no es obligatoria para quien consulta (CPACA art. 28).",
                     position=20),
        # CPACA art. 14 num. 1, as set by Ley 1755 de 2015.
        CatalogEntry(KIND_DOCUMENTOS, "Solicitud de documentos e información",
                     "Petición de copias de documentos o de información que tiene la organización.",
                     position=21),
        # Ley 1581 de 2012 art. 14.
        CatalogEntry(KIND_HABEAS_DATA_CONSULTA, "Consulta de datos personales (habeas data)",
                     "El titular o sus causahabientes consultan la información personal que la "
                     "organización tiene sobre el titular.", position=22),
        # Ley 1581 de 2012 art. 15.
        CatalogEntry(KIND_HABEAS_DATA_RECLAMO, "Reclamo de datos personales (habeas data)",
                     "El titular pide corregir, actualizar o suprimir sus datos personales, o denuncia "
                     "el incumplimiento de la ley de protección de datos.", position=23),
        # Decreto 2591 de 1991.
        CatalogEntry(KIND_TUTELA, "Acción de tutela",
                     "Acción de tutela contra la organización: informe al juez y cumplimiento del fallo "
                     "en los términos que el juez fije.", position=24),
        # Ley 142 de 1994 arts. 154 and 158; Decreto-Ley 2150 de 1995 art. 123.
        CatalogEntry(KIND_RECURSO_REPOSICION, "Recurso de reposición (servicios públicos)",
                     "El usuario pide a la empresa de servicios públicos que revise su decisión. Se "
                     "presenta dentro de los 5 días hábiles siguientes a la notificación de la decisión "
                     "y se resuelve en 15 días hábiles.", position=25),
        CatalogEntry(KIND_RECURSO_APELACION,
                     "Recurso de reposición y en subsidio de apelación (servicios públicos)",
                     "El usuario pide a la empresa revisar su decisión y, si la confirma, que envíe el "
                     "expediente a la Superintendencia de Servicios Públicos. Mismo plazo para presentarlo "
                     "(5 días hábiles) y para resolver la reposición (15 días hábiles).", position=26),
    ]


def typifications() -> list[TypificationNode]:
    """The «Servicios públicos domiciliarios» category (Ley 142 de 1994), with no sub-categories: an
    organisation adds its own under it and they keep the utility term."""
    return [
        TypificationNode(TYPIFICATION_SERVICIOS_PUBLICOS, "Servicios públicos domiciliarios", position=60,
                         description="Peticiones, quejas y recursos de los usuarios de servicios "
                                     "públicos domiciliarios (Ley 142 de 1994 art. 158): se responden en "
                                     "15 días hábiles o opera el silencio administrativo positivo."),
    ]


def field_definitions() -> list[FieldDefinition]:
    """The notification date of the decision a recurso attacks, on the recurso kinds only."""
    return [FieldDefinition(FIELD_DECISION_NOTIFIED, "Fecha de notificación de la decisión recurrida",
                            FieldType.DATE, kinds=RECURSO_KINDS)]
