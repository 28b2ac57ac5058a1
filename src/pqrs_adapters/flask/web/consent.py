"""The organisation's notice on the processing of personal data, and the consent a person gives to it
when filing a case.

Ley 1581 de 2012 art. 9 (and Decreto 1377 de 2013 arts. 7–8): the authorisation is prior, express and
informed: the form asks for it with a checkbox that is never ticked beforehand (silence is not
consent). Art. 12: the notice says who the controller is, the purpose, the person's rights (art. 8)
and that questions on sensitive data or on children are optional. Art. 17 b: the organisation keeps
proof of the authorisation: the case records which notice (its version and the SHA-256 of its exact
text), when, and through which channel (``pqrs_core.domain.values.DataConsent``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import attrs
from flask_babel import gettext as _

from pqrs_core.domain.values import DataConsent

from .common import pqrs

NOTICE_VERSION = "2026-03"


@attrs.frozen
class Notice:
    version: str
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def consent(self, given_at: datetime, channel: str) -> DataConsent:
        """The proof that a person accepted this notice at ``given_at`` through ``channel``."""
        return DataConsent(given_at=given_at, notice_version=self.version, notice_digest=self.digest,
                           channel=channel)


def notice() -> Notice:
    """The data-processing notice shown beside the consent checkbox."""
    organisation = pqrs().deps.settings.organisation_name
    text = _(
        "Autorizo a %(org)s, como responsable del tratamiento, a recolectar, almacenar, usar y conservar "
        "los datos personales que entrego en este formulario con la finalidad de radicar, tramitar y "
        "responder mi solicitud, informarme sobre su estado y cumplir las obligaciones legales de atención "
        "de peticiones, quejas y reclamos. Sé que, como titular, tengo derecho a conocer, actualizar, "
        "rectificar y suprimir mis datos, a pedir prueba de esta autorización, a ser informado del uso que "
        "se les ha dado, a revocarla y a presentar quejas ante la Superintendencia de Industria y Comercio "
        "(Ley 1581 de 2012, art. 8). Responder preguntas sobre datos sensibles o sobre niñas, niños y "
        "adolescentes es facultativo. Puedo ejercer estos derechos por este mismo canal de PQRS.",
        org=organisation)
    return Notice(NOTICE_VERSION, text)
