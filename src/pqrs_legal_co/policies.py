"""The Colombian legal terms as term policies, each with its source.

Days are business days (días hábiles): the term runs from the day after reception (from the day of
receipt itself for Ley 1581 art. 14 and Decreto-Ley 2150 art. 123, whose texts say so), skips weekends
and holidays, and ends at midnight of its last day. The core's calendar does the counting (Ley 4 de
1913 arts. 59–62). The most specific matching policy wins (``pqrs_core.domain.sla.select_policy``).

======================= ========================== ============ ============ ================================
code                    applies to (kind; typif.)  term         prórroga     source
======================= ========================== ============ ============ ================================
co_peticion_general     peticion, queja, reclamo,  15 días háb. up to double CPACA (Ley 1437 de 2011) art. 14
                        sugerencia, denuncia                                 and parágrafo, by Ley 1755/2015
  temporary rule        same, received 2020-03-28  30 días háb. up to double Decreto Legislativo 491 de 2020
                        to 2022-05-17, public                                art. 5 (repealed: Ley 2207/2022);
                        functions only                                       documents 20, consultas 35
co_solicitud_documentos solicitud_documentos       10 días háb. up to double CPACA art. 14 num. 1
co_consulta             consulta                   30 días háb. up to double CPACA art. 14 num. 2
co_habeas_data_consulta habeas_data_consulta       10 días háb. + 5          Ley 1581 de 2012 art. 14
co_habeas_data_reclamo  habeas_data_reclamo        15 días háb. + 8          Ley 1581 de 2012 art. 15
co_servicios_publicos   peticion, queja, reclamo;  15 días háb. none in law* Ley 142 de 1994 art. 158;
                        SERVICIOS_PUBLICOS subtree                           Decreto-Ley 2150/1995 art. 123
co_tutela               tutela                     set by the   none in law* Decreto 2591 de 1991 arts. 19,
                                                   judge**                   27, 29 num. 5
co_felicitacion         felicitacion               15 días háb. up to double organisation's policy, no legal
                                                                             term (UNVERIFIED)
co_recurso_reposicion   recurso_reposicion         15 días háb. none in law* Ley 142 arts. 154, 158;
                                                                             Decreto-Ley 2150/1995 art. 123
co_recurso_apelacion    recurso_apelacion          15 días háb. none in law* the same (apelación filed as
                                                                             a subsidiary of reposición)
======================= ========================== ============ ============ ================================

* The law allows no prórroga: the rule refuses any extension.
** Two terms, each started when staff record the judge's notice: the report (1 to 3 business days from
   the notice of the admission) and the compliance (at most 48 clock hours from the notice of the
   ruling). Nothing runs from filing.

The home-utility terms (``co_servicios_publicos`` and the recursos) may be suspended by staff while
evidence is gathered or when the user caused the delay (Decreto-Ley 2150 de 1995 art. 123), and a
counter-response to a home-utility answer runs the recurso de reposición's term.

Known gaps, listed in ``docs/legal-terms.md`` of the repository:

- A tutela's terms cannot be extended (Decreto 2591 de 1991 art. 15), nor can a home-utility term
  (Decreto-Ley 2150 de 1995 art. 123: only the user's delay or the taking of evidence excuse it):
  both rules carry ``Extension(allowed=False)``.
- Clock hours, not business hours, for the tutela's compliance term: an interpretation (UNVERIFIED).
- Felicitaciones have no legal term. 15 business days is the usual organisational policy (UNVERIFIED).
"""

from __future__ import annotations

from datetime import date

from pqrs_core.domain import term_suspension
from pqrs_core.domain.filing_window import FilingWindow
from pqrs_core.domain.sla import TermPolicy, TermTrigger
from pqrs_core.domain.terms import DeemedGrant, Extension, Term, TermRule, TermStart, TermUnit

from . import catalog

# --- sources, as the explanation of a deadline shows them (Spanish) ----------------------------------

# CPACA (Ley 1437 de 2011) art. 14, substituted by Ley 1755 de 2015 art. 1: "toda petición deberá
# resolverse dentro de los quince (15) días siguientes a su recepción". Parágrafo: before the term ends,
# the requester is told the reasons and a new date, "que no podrá exceder del doble del inicialmente
# previsto". [legalize-co co/LEY-1437-2011.md]
# Quejas, reclamos, sugerencias and denuncias are petitions too: CPACA art. 13 lists them; a denuncia is
# handled as a petition (Ley 1474 de 2011 art. 76) [LC].
SOURCE_GENERAL = (
    "Ley 1437 de 2011 (CPACA) art. 14, sustituido por la Ley 1755 de 2015: 15 días hábiles siguientes a "
    "la recepción; rige también para quejas, reclamos, sugerencias y denuncias (CPACA art. 13; Ley 1474 "
    "de 2011 art. 76). Prórroga: antes del vencimiento, informando los motivos y el nuevo plazo, que no "
    "puede exceder del doble del inicial (art. 14 parágrafo).")
EXTENSION_GENERAL = Extension(source="Ley 1437 de 2011 (CPACA) art. 14 parágrafo (Ley 1755 de 2015): "
                                     "hasta el doble del término inicial.")

# Decreto Legislativo 491 de 2020 art. 5: during the health emergency a petition was answered within 30
# days of its reception, a request for documents or information within 20, a consulta within 35, with a
# prórroga up to double (art. 5 parágrafo). Secondary sources only (four law firms and entities agree;
# the decree's text was not read). It bound public authorities and private parties performing public
# functions, as its title says ("por parte de las autoridades públicas y los particulares que cumplan
# funciones públicas"), so the rules carry ``public_functions_only`` and apply only when the
# organisation declares it is one (``Settings.public_functions``, ``PQRS_PUBLIC_FUNCTIONS``).
# Validity, by reception date, both ends inclusive:
# - from 2020-03-28, the day the decree was issued and published ("rige a partir de su publicación");
# - to 2022-05-17: Ley 2207 de 2022, promulgated on 17 May 2022, repealed art. 5 and restored the CPACA
#   terms from the day after its promulgation (secondary sources; the law's text was not read), so a
#   petition received on 17 May 2022 keeps the emergency terms and one received on the 18th does not.
# Art. 5 also covered petitions already in progress on 2020-03-28. The core keys a rule to the
# reception date, so those keep the ordinary terms here (see docs/legal-terms.md, open questions).
DECRETO_491_FROM = date(2020, 3, 28)
DECRETO_491_TO = date(2022, 5, 17)
_DECRETO_491_RANGE = (
    "Aplica a las autoridades públicas y a los particulares que cumplen funciones públicas, para lo "
    "recibido del 28 de marzo de 2020 al 17 de mayo de 2022 (la Ley 2207 de 2022 restableció los "
    "términos ordinarios desde el día siguiente a su promulgación).")
SOURCE_DECRETO_491 = (
    "Decreto Legislativo 491 de 2020 art. 5: durante la emergencia sanitaria, 30 días hábiles siguientes a "
    "la recepción, con prórroga hasta el doble (art. 5 parágrafo). " + _DECRETO_491_RANGE)
SOURCE_DECRETO_491_DOCUMENTOS = (
    "Decreto Legislativo 491 de 2020 art. 5 num. 1: durante la emergencia sanitaria, las peticiones de "
    "documentos y de información, 20 días hábiles siguientes a la recepción, con prórroga hasta el doble. "
    + _DECRETO_491_RANGE)
SOURCE_DECRETO_491_CONSULTA = (
    "Decreto Legislativo 491 de 2020 art. 5 num. 2: durante la emergencia sanitaria, las consultas, 35 días "
    "hábiles siguientes a la recepción, con prórroga hasta el doble. " + _DECRETO_491_RANGE)
EXTENSION_DECRETO_491 = Extension(source="Decreto Legislativo 491 de 2020 art. 5 parágrafo: hasta el "
                                         "doble del término inicial.")


def _decreto_491(days: int, source: str) -> TermRule:
    """The emergency term of Decreto 491 de 2020 art. 5, for organisations with public functions and
    receptions inside its range; rule_for prefers it there (it starts later than the permanent rule)."""
    return TermRule(Term(days), valid_from=DECRETO_491_FROM, valid_to=DECRETO_491_TO, source=source,
                    extension=EXTENSION_DECRETO_491, public_functions_only=True)


# CPACA art. 14 num. 1 (Ley 1755 de 2015): documents and information within 10 days. Without an answer
# in time the request is deemed granted and the copies are due within 3 days. [LC co/LEY-1437-2011.md]
SOURCE_DOCUMENTOS = (
    "Ley 1437 de 2011 (CPACA) art. 14 num. 1, sustituido por la Ley 1755 de 2015: 10 días hábiles "
    "siguientes a la recepción; si no se responde a tiempo la solicitud se entiende aceptada y las copias "
    "se entregan dentro de los 3 días siguientes. Prórroga hasta el doble (art. 14 parágrafo).")

DEEMED_GRANTED_DOCUMENTOS = DeemedGrant(
    Term(3), what="las copias se entregan al peticionario",
    source="Ley 1437 de 2011 (CPACA) art. 14 num. 1: sin respuesta en los 10 días, la solicitud se "
           "entiende aceptada y las copias se entregan dentro de los 3 días siguientes")

# CPACA art. 14 num. 2 (Ley 1755 de 2015): consultas within 30 days; the answer binds no one (art. 28).
# [LC co/LEY-1437-2011.md]
SOURCE_CONSULTA = (
    "Ley 1437 de 2011 (CPACA) art. 14 num. 2, sustituido por la Ley 1755 de 2015: 30 días hábiles "
    "siguientes a la recepción. Prórroga hasta el doble (art. 14 parágrafo).")

# Ley 1581 de 2012 art. 14: a consulta on personal data "será atendida en un término máximo de diez (10)
# días hábiles contados a partir de la fecha de recibo", extendable by at most "cinco (5) días hábiles
# siguientes al vencimiento del primer término", telling the requester why and the new date.
# [LC; reference §1]
SOURCE_HABEAS_DATA_CONSULTA = (
    "Ley 1581 de 2012 art. 14: 10 días hábiles contados a partir de la fecha de recibo de la consulta (el "
    "día de recibo es el día 1). Prórroga de hasta "
    "5 días hábiles siguientes al vencimiento, informando los motivos y la fecha de respuesta.")
EXTENSION_HABEAS_DATA_CONSULTA = Extension(5, source="Ley 1581 de 2012 art. 14: hasta 5 días hábiles.")

# Ley 1581 de 2012 art. 15: a reclamo on personal data within 15 business days "contado a partir del
# día siguiente a la fecha de su recibo", extendable by at most 8 business days after the first term
# ends, telling the requester why and the new date. [LC; reference §1]
SOURCE_HABEAS_DATA_RECLAMO = (
    "Ley 1581 de 2012 art. 15: 15 días hábiles contados desde el día siguiente al recibo del reclamo. "
    "Prórroga de hasta 8 días hábiles siguientes al vencimiento, informando los motivos y la fecha de "
    "respuesta.")
EXTENSION_HABEAS_DATA_RECLAMO = Extension(8, source="Ley 1581 de 2012 art. 15: hasta 8 días hábiles.")

# Ley 142 de 1994 art. 158, term restated by Decreto-Ley 2150 de 1995 art. 123: a utility answers
# "peticiones, quejas y recursos" within 15 business days from filing. After that, positive silence:
# the request is granted unless the user caused the delay or evidence had to be taken, and the company
# must recognise it within 72 hours. [LC for Decreto-Ley 2150; Ley 142 itself only via the CRA FAQ, web]
SOURCE_SERVICIOS_PUBLICOS = (
    "Ley 142 de 1994 art. 158 y Decreto-Ley 2150 de 1995 art. 123: 15 días hábiles contados a partir de "
    "la fecha de presentación de la petición, queja o recurso (ese día es el día 1); si no se responde a "
    "tiempo opera el silencio administrativo positivo, que la empresa reconoce dentro de las 72 horas "
    "siguientes.")

# Decreto 2591 de 1991: a tutela has two terms, each set by the judge and counted from a notice, never
# from the filing. Art. 19: the report to the judge "en un plazo de uno a tres días", from the notice of
# the admission. Arts. 27 and 29 num. 5: the ruling is complied with within the term the judge sets, at
# most 48 hours, from the notice of the ruling. Art. 15: terms "perentorios e improrrogables". [LC]
# The core records each notice with the judge's figure (pqrs_core.domain.judicial_terms); this policy
# only says that tutelas work that way. Its rule (48 clock hours, no prórroga) is the ceiling of the
# compliance term and is never started from filing. Clock hours, not business hours: an interpretation,
# UNVERIFIED.
SOURCE_TUTELA = (
    "Decreto 2591 de 1991: el juez fija dos términos, contados desde sus notificaciones y no desde la "
    "radicación: el del informe, de 1 a 3 días desde la notificación del auto admisorio (art. 19), y el del "
    "cumplimiento del fallo, de hasta 48 horas desde su notificación (arts. 27 y 29 num. 5). Son "
    "perentorios e improrrogables (art. 15).")

# Ley 142 de 1994 art. 154: the recurso de reposición (and the apelación, filed as its subsidiary) is
# filed within 5 business days of the notification of the decision [2nd: Ley 142 itself was not read];
# art. 158 and Decreto-Ley 2150 de 1995 art. 123: the company decides it within the same 15 business
# days as any petition, queja or recurso, with positive silence after them [LC for Decreto-Ley 2150].
SOURCE_RECURSO_REPOSICION = (
    "Ley 142 de 1994 arts. 154 y 158 y Decreto-Ley 2150 de 1995 art. 123: el recurso de reposición se "
    "presenta dentro de los 5 días hábiles siguientes a la notificación de la decisión y la empresa lo "
    "resuelve en 15 días hábiles; si no lo hace opera el silencio administrativo positivo.")
SOURCE_RECURSO_APELACION = (
    "Ley 142 de 1994 arts. 154 y 158 y Decreto-Ley 2150 de 1995 art. 123: la apelación se interpone en "
    "subsidio de la reposición, dentro de los 5 días hábiles siguientes a la notificación de la decisión; "
    "la empresa resuelve la reposición en 15 días hábiles y, si confirma su decisión, remite el "
    "expediente a la Superintendencia de Servicios Públicos.")
# Ley 142 de 1994 art. 154 [2nd]: a recurso is filed within the 5 business days after the decision was
# notified; staff record that date in the recurso's custom field and the case shows a late filing.
RECURSO_FILING_WINDOW = FilingWindow(
    5, catalog.FIELD_DECISION_NOTIFIED,
    source="Ley 142 de 1994 art. 154: dentro de los 5 días hábiles siguientes a la notificación")
EXTENSION_SERVICIOS_PUBLICOS = Extension(allowed=False, source="Decreto-Ley 2150 de 1995 art. 123")
# Decreto-Ley 2150 de 1995 art. 123: the term does not run while evidence is gathered or when the user
# caused the delay; positive silence follows only a term that ran out. [LC]
SUSPENSION_CAUSES = (term_suspension.EVIDENCE, term_suspension.USER_DELAY)
SOURCE_SUSPENSION = (
    "Decreto-Ley 2150 de 1995 art. 123: el término no corre mientras se practican pruebas ni cuando el "
    "usuario causó la demora")

# A requester who disagrees with the answer files, in law, a new petition (CPACA arts. 13 and 19); a
# home-utility user files a recurso (Ley 142 de 1994 art. 154). A counter-response that reopens a case
# runs its new term under that rule.
COUNTER_RESPONSE_PETITION = (
    "Ley 1437 de 2011 (CPACA) arts. 13 y 19: quien no está de acuerdo con la respuesta presenta una nueva "
    "petición, con su propio término")
COUNTER_RESPONSE_RECURSO = (
    "Ley 142 de 1994 art. 154: el usuario que no está de acuerdo con la decisión de la empresa interpone "
    "el recurso de reposición, que se resuelve en 15 días hábiles")

# No law sets a term to answer a felicitación; entities commonly apply the general 15 days by policy.
# UNVERIFIED [reference §1, web: tdea.edu.co].
SOURCE_FELICITACION = (
    "Política de la organización: la ley no fija un término para responder una felicitación; se aplican "
    "15 días hábiles por analogía con la petición general (CPACA art. 14), o ninguno si la organización "
    "así lo decide en la administración de términos. No verificado como obligación legal.")


def term_policies() -> list[TermPolicy]:
    """Every policy the plugin registers (fresh objects)."""
    return [
        TermPolicy(
            "co_peticion_general", "Petición general (CPACA art. 14)",
            resolution=(
                # CPACA art. 14 (Ley 1755 de 2015): 15 business days, prórroga up to double.
                TermRule(Term(15), source=SOURCE_GENERAL, extension=EXTENSION_GENERAL),
                # Decreto 491 de 2020 art. 5: 30 business days during the emergency (public functions).
                _decreto_491(30, SOURCE_DECRETO_491),
            ),
            kinds=catalog.GENERAL_KINDS, source=SOURCE_GENERAL,
            counter_response_source=COUNTER_RESPONSE_PETITION),
        TermPolicy(
            "co_solicitud_documentos", "Solicitud de documentos e información (CPACA art. 14 num. 1)",
            # CPACA art. 14 num. 1 (Ley 1755 de 2015): 10 business days, prórroga up to double.
            # Missed, the request is deemed granted and the copies are due within 3 days (num. 1).
            resolution=(TermRule(Term(10), source=SOURCE_DOCUMENTOS, extension=EXTENSION_GENERAL,
                                 deemed_granted=DEEMED_GRANTED_DOCUMENTOS),
                        _decreto_491(20, SOURCE_DECRETO_491_DOCUMENTOS)),
            kinds=(catalog.KIND_DOCUMENTOS,), source=SOURCE_DOCUMENTOS,
            counter_response_source=COUNTER_RESPONSE_PETITION),
        TermPolicy(
            "co_consulta", "Consulta (CPACA art. 14 num. 2)",
            # CPACA art. 14 num. 2 (Ley 1755 de 2015): 30 business days, prórroga up to double.
            resolution=(TermRule(Term(30), source=SOURCE_CONSULTA, extension=EXTENSION_GENERAL),
                        _decreto_491(35, SOURCE_DECRETO_491_CONSULTA)),
            kinds=(catalog.KIND_CONSULTA,), source=SOURCE_CONSULTA,
            counter_response_source=COUNTER_RESPONSE_PETITION),
        TermPolicy(
            "co_habeas_data_consulta", "Consulta de datos personales (Ley 1581 art. 14)",
            # Ley 1581 de 2012 art. 14: 10 business days + at most 5.
            # Counted "a partir de la fecha de recibo": day 1 is the day of receipt.
            resolution=(TermRule(Term(10, start=TermStart.RECEPTION_DAY), source=SOURCE_HABEAS_DATA_CONSULTA,
                                 extension=EXTENSION_HABEAS_DATA_CONSULTA),),
            kinds=(catalog.KIND_HABEAS_DATA_CONSULTA,), source=SOURCE_HABEAS_DATA_CONSULTA),
        TermPolicy(
            "co_habeas_data_reclamo", "Reclamo de datos personales (Ley 1581 art. 15)",
            # Ley 1581 de 2012 art. 15: 15 business days + at most 8.
            resolution=(TermRule(Term(15), source=SOURCE_HABEAS_DATA_RECLAMO,
                                 extension=EXTENSION_HABEAS_DATA_RECLAMO),),
            kinds=(catalog.KIND_HABEAS_DATA_RECLAMO,), source=SOURCE_HABEAS_DATA_RECLAMO),
        TermPolicy(
            "co_servicios_publicos", "Servicios públicos domiciliarios (Ley 142 art. 158)",
            # Ley 142 de 1994 art. 158 / Decreto-Ley 2150 de 1995 art. 123: 15 business days. Kinds and
            # typification both, so it is more specific than the general policy and wins over it.
            # No prórroga in the law (only the user's delay or the taking of evidence excuse it).
            # Counted "a partir de la fecha de su presentación": day 1 is the day of filing.
            resolution=(TermRule(Term(15, start=TermStart.RECEPTION_DAY), source=SOURCE_SERVICIOS_PUBLICOS,
                                 extension=EXTENSION_SERVICIOS_PUBLICOS),),
            kinds=catalog.SERVICIOS_PUBLICOS_KINDS,
            typifications=(catalog.TYPIFICATION_SERVICIOS_PUBLICOS,), source=SOURCE_SERVICIOS_PUBLICOS,
            # Disagreeing with the company's answer is a recurso de reposición (Ley 142 art. 154).
            counter_response_policy="co_recurso_reposicion",
            counter_response_source=COUNTER_RESPONSE_RECURSO,
            suspension_causes=SUSPENSION_CAUSES, suspension_source=SOURCE_SUSPENSION),
        TermPolicy(
            "co_tutela", "Acción de tutela (Decreto 2591 de 1991)",
            # Decreto 2591 de 1991 arts. 19, 27 and 29 num. 5: the judge's notices start the terms, with
            # the judge's figures; nothing runs from filing. The rule is the compliance ceiling (48 clock
            # hours) and refuses any extension (art. 15).
            resolution=(TermRule(Term(48, TermUnit.CLOCK_HOURS), source=SOURCE_TUTELA,
                                 extension=Extension(allowed=False, source="Decreto 2591 de 1991 "
                                                     "art. 15: términos improrrogables")),),
            kinds=(catalog.KIND_TUTELA,), source=SOURCE_TUTELA, trigger=TermTrigger.JUDICIAL_NOTICE),
        TermPolicy(
            "co_felicitacion", "Felicitación (política de la organización)",
            # No legal term: 15 business days by organisational policy, editable in the administration,
            # where the organisation may also choose no deadline at all (optional).
            resolution=(TermRule(Term(15), source=SOURCE_FELICITACION),),
            kinds=(catalog.KIND_FELICITACION,), source=SOURCE_FELICITACION, optional=True),
        TermPolicy(
            "co_recurso_reposicion", "Recurso de reposición, servicios públicos (Ley 142 art. 154)",
            # Ley 142 de 1994 arts. 154 and 158 / Decreto-Ley 2150 de 1995 art. 123: 15 business days,
            # no prórroga; counted from the day the recurso is filed, like the petition it answers.
            resolution=(TermRule(Term(15, start=TermStart.RECEPTION_DAY), source=SOURCE_RECURSO_REPOSICION,
                                 extension=EXTENSION_SERVICIOS_PUBLICOS),),
            kinds=(catalog.KIND_RECURSO_REPOSICION,), source=SOURCE_RECURSO_REPOSICION,
            suspension_causes=SUSPENSION_CAUSES, suspension_source=SOURCE_SUSPENSION,
            filing_window=RECURSO_FILING_WINDOW),
        TermPolicy(
            "co_recurso_apelacion",
            "Reposición y en subsidio apelación, servicios públicos (Ley 142 art. 154)",
            resolution=(TermRule(Term(15, start=TermStart.RECEPTION_DAY), source=SOURCE_RECURSO_APELACION,
                                 extension=EXTENSION_SERVICIOS_PUBLICOS),),
            kinds=(catalog.KIND_RECURSO_APELACION,), source=SOURCE_RECURSO_APELACION,
            suspension_causes=SUSPENSION_CAUSES, suspension_source=SOURCE_SUSPENSION,
            filing_window=RECURSO_FILING_WINDOW),
    ]
