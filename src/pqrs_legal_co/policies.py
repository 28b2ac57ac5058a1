"""The Colombian legal terms as term policies, each with its source.

Days are business days (días hábiles): the term runs from the day after reception, skips weekends
and holidays, and ends at midnight of its last day. The core's calendar does the counting (Ley 4 de
1913 arts. 59–62). The most specific matching policy wins (``pqrs_core.domain.sla.select_policy``).

======================= ========================== ============ ============ ================================
code                    applies to (kind; typif.)  term         prórroga     source
======================= ========================== ============ ============ ================================
co_peticion_general     peticion, queja, reclamo,  15 días háb. up to double CPACA (Ley 1437 de 2011) art. 14
                        sugerencia, denuncia                                 and parágrafo, by Ley 1755/2015
  temporary rule        same, received 2020-03-28  30 días háb. up to double Decreto Legislativo 491 de 2020
                        to 2022-05-16                                        art. 5 (repealed: Ley 2207/2022)
co_solicitud_documentos solicitud_documentos       10 días háb. up to double CPACA art. 14 num. 1
co_consulta             consulta                   30 días háb. up to double CPACA art. 14 num. 2
co_habeas_data_consulta habeas_data_consulta       10 días háb. + 5          Ley 1581 de 2012 art. 14
co_habeas_data_reclamo  habeas_data_reclamo        15 días háb. + 8          Ley 1581 de 2012 art. 15
co_servicios_publicos   peticion, queja, reclamo;  15 días háb. none in law* Ley 142 de 1994 art. 158;
                        SERVICIOS_PUBLICOS subtree                           Decreto-Ley 2150/1995 art. 123
co_tutela               tutela                     48 h (clock) none in law* Decreto 2591 de 1991 art. 27;
                                                                             the judge sets each case's term
co_felicitacion         felicitacion               15 días háb. up to double organisation's policy, no legal
                                                                             term (UNVERIFIED)
co_recurso_reposicion   recurso_reposicion         15 días háb. none in law* Ley 142 arts. 154, 158;
                                                                             Decreto-Ley 2150/1995 art. 123
co_recurso_apelacion    recurso_apelacion          15 días háb. none in law* the same (apelación filed as
                                                                             a subsidiary of reposición)
======================= ========================== ============ ============ ================================

* The law allows no prórroga: the rule refuses any extension.

The home-utility terms (``co_servicios_publicos`` and the recursos) may be suspended by staff while
evidence is gathered or when the user caused the delay (Decreto-Ley 2150 de 1995 art. 123), and a
counter-response to a home-utility answer runs the recurso de reposición's term.

Known gaps, listed in ``docs/legal-terms.md`` of the repository:

- A tutela's terms cannot be extended (Decreto 2591 de 1991 art. 15), nor can a home-utility term
  (Decreto-Ley 2150 de 1995 art. 123: only the user's delay or the taking of evidence excuse it):
  both rules carry ``Extension(allowed=False)``.
- The tutela's real terms are set by the judge in each case (report in 1 to 3 days, art. 19;
  compliance as ordered, art. 27). 48 clock hours is only the default for a newly filed tutela.
- Felicitaciones have no legal term. 15 business days is the usual organisational policy (UNVERIFIED).
"""

from __future__ import annotations

from datetime import date

from pqrs_core.domain import term_suspension
from pqrs_core.domain.filing_window import FilingWindow
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Extension, Term, TermRule, TermUnit

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

# Decreto Legislativo 491 de 2020 art. 5: during the health emergency "toda petición deberá resolverse
# dentro de los treinta (30) días siguientes a su recepción", extension up to double (art. 5 parágrafo).
# Secondary source only [reference §1, "code: datasketch/agacolombia"]. Validity chosen here:
# - from 2020-03-28, the day the decree was issued and published ("rige a partir de su publicación");
# - to 2022-05-16, the day before Ley 2207 de 2022 (promulgated 17 May 2022) repealed art. 5 and
#   restored the CPACA terms. The repeal is UNVERIFIED in the reference. Two secondary sources found
#   give the same range, 28-03-2020 to 17-05-2022; the law is in force from its promulgation, so a
#   petition received on the 17th already falls under the restored 15 days.
# Art. 5 also covered petitions already in progress on 2020-03-28. The core keys a rule to the
# reception date, so those keep 15 days here (see docs/legal-terms.md, open questions).
DECRETO_491_FROM = date(2020, 3, 28)
DECRETO_491_TO = date(2022, 5, 16)
SOURCE_DECRETO_491 = (
    "Decreto Legislativo 491 de 2020 art. 5: durante la emergencia sanitaria, 30 días hábiles siguientes a "
    "la recepción, con prórroga hasta el doble (art. 5 parágrafo). Aplica a las peticiones recibidas del "
    "28 de marzo de 2020 al 16 de mayo de 2022 (derogado por la Ley 2207 de 2022).")
EXTENSION_DECRETO_491 = Extension(source="Decreto Legislativo 491 de 2020 art. 5 parágrafo: hasta el "
                                         "doble del término inicial.")

# CPACA art. 14 num. 1 (Ley 1755 de 2015): documents and information within 10 days. Without an answer
# in time the request is deemed granted and the copies are due within 3 days. [LC co/LEY-1437-2011.md]
SOURCE_DOCUMENTOS = (
    "Ley 1437 de 2011 (CPACA) art. 14 num. 1, sustituido por la Ley 1755 de 2015: 10 días hábiles "
    "siguientes a la recepción; si no se responde a tiempo la solicitud se entiende aceptada y las copias "
    "se entregan dentro de los 3 días siguientes. Prórroga hasta el doble (art. 14 parágrafo).")

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
    "Ley 1581 de 2012 art. 14: 10 días hábiles contados desde el recibo de la consulta. Prórroga de hasta "
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
    "Ley 142 de 1994 art. 158 y Decreto-Ley 2150 de 1995 art. 123: 15 días hábiles contados desde la "
    "presentación de la petición, queja o recurso; si no se responde a tiempo opera el silencio "
    "administrativo positivo, que la empresa reconoce dentro de las 72 horas siguientes.")

# Decreto 2591 de 1991 art. 27: the ruling is complied with "sin demora" and, if not, within 48 hours
# the judge turns to the superior (art. 27); report to the judge in 1 to 3 days as the judge sets
# (art. 19); terms "perentorios e improrrogables" (art. 15). [LC; reference §1]
# The judge's term is set per case: 48 clock hours is only the default a newly filed tutela gets, until
# staff record the term the judge ordered. Clock hours, not business hours: an interpretation,
# UNVERIFIED (reference §4).
SOURCE_TUTELA = (
    "Decreto 2591 de 1991 art. 27: el fallo se cumple sin demora, a más tardar dentro de las 48 horas "
    "siguientes. El juez fija en cada caso el término del informe (1 a 3 días, art. 19) y el del "
    "cumplimiento; los términos son perentorios e improrrogables (art. 15). 48 horas es solo el término "
    "por defecto: registre el que ordene el juez.")

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
    "15 días hábiles por analogía con la petición general (CPACA art. 14). No verificado como obligación "
    "legal.")


def term_policies() -> list[TermPolicy]:
    """Every policy the plugin registers (fresh objects)."""
    return [
        TermPolicy(
            "co_peticion_general", "Petición general (CPACA art. 14)",
            resolution=(
                # CPACA art. 14 (Ley 1755 de 2015): 15 business days, prórroga up to double.
                TermRule(Term(15), source=SOURCE_GENERAL, extension=EXTENSION_GENERAL),
                # Decreto 491 de 2020 art. 5: 30 business days for cases received during the emergency;
                # rule_for prefers it inside its range (it starts later than the permanent rule).
                TermRule(Term(30), valid_from=DECRETO_491_FROM, valid_to=DECRETO_491_TO,
                         source=SOURCE_DECRETO_491, extension=EXTENSION_DECRETO_491),
            ),
            kinds=catalog.GENERAL_KINDS, source=SOURCE_GENERAL,
            counter_response_source=COUNTER_RESPONSE_PETITION),
        TermPolicy(
            "co_solicitud_documentos", "Solicitud de documentos e información (CPACA art. 14 num. 1)",
            # CPACA art. 14 num. 1 (Ley 1755 de 2015): 10 business days, prórroga up to double.
            resolution=(TermRule(Term(10), source=SOURCE_DOCUMENTOS, extension=EXTENSION_GENERAL),),
            kinds=(catalog.KIND_DOCUMENTOS,), source=SOURCE_DOCUMENTOS,
            counter_response_source=COUNTER_RESPONSE_PETITION),
        TermPolicy(
            "co_consulta", "Consulta (CPACA art. 14 num. 2)",
            # CPACA art. 14 num. 2 (Ley 1755 de 2015): 30 business days, prórroga up to double.
            resolution=(TermRule(Term(30), source=SOURCE_CONSULTA, extension=EXTENSION_GENERAL),),
            kinds=(catalog.KIND_CONSULTA,), source=SOURCE_CONSULTA,
            counter_response_source=COUNTER_RESPONSE_PETITION),
        TermPolicy(
            "co_habeas_data_consulta", "Consulta de datos personales (Ley 1581 art. 14)",
            # Ley 1581 de 2012 art. 14: 10 business days + at most 5.
            resolution=(TermRule(Term(10), source=SOURCE_HABEAS_DATA_CONSULTA,
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
            resolution=(TermRule(Term(15), source=SOURCE_SERVICIOS_PUBLICOS,
                                 extension=EXTENSION_SERVICIOS_PUBLICOS),),
            kinds=catalog.SERVICIOS_PUBLICOS_KINDS,
            typifications=(catalog.TYPIFICATION_SERVICIOS_PUBLICOS,), source=SOURCE_SERVICIOS_PUBLICOS,
            # Disagreeing with the company's answer is a recurso de reposición (Ley 142 art. 154).
            counter_response_policy="co_recurso_reposicion",
            counter_response_source=COUNTER_RESPONSE_RECURSO,
            suspension_causes=SUSPENSION_CAUSES, suspension_source=SOURCE_SUSPENSION),
        TermPolicy(
            "co_tutela", "Acción de tutela (Decreto 2591 de 1991)",
            # Decreto 2591 de 1991 art. 27: 48 hours to comply, counted in clock hours. The judge's term
            # is set per case and replaces this default. Terms cannot be extended (art. 15).
            resolution=(TermRule(Term(48, TermUnit.CLOCK_HOURS), source=SOURCE_TUTELA,
                                 extension=Extension(allowed=False, source="Decreto 2591 de 1991 "
                                                     "art. 15: términos improrrogables")),),
            kinds=(catalog.KIND_TUTELA,), source=SOURCE_TUTELA),
        TermPolicy(
            "co_felicitacion", "Felicitación (política de la organización)",
            # No legal term (UNVERIFIED): 15 business days by organisational policy.
            resolution=(TermRule(Term(15), source=SOURCE_FELICITACION),),
            kinds=(catalog.KIND_FELICITACION,), source=SOURCE_FELICITACION),
        TermPolicy(
            "co_recurso_reposicion", "Recurso de reposición, servicios públicos (Ley 142 art. 154)",
            # Ley 142 de 1994 arts. 154 and 158 / Decreto-Ley 2150 de 1995 art. 123: 15 business days,
            # no prórroga.
            resolution=(TermRule(Term(15), source=SOURCE_RECURSO_REPOSICION,
                                 extension=EXTENSION_SERVICIOS_PUBLICOS),),
            kinds=(catalog.KIND_RECURSO_REPOSICION,), source=SOURCE_RECURSO_REPOSICION,
            suspension_causes=SUSPENSION_CAUSES, suspension_source=SOURCE_SUSPENSION,
            filing_window=RECURSO_FILING_WINDOW),
        TermPolicy(
            "co_recurso_apelacion",
            "Reposición y en subsidio apelación, servicios públicos (Ley 142 art. 154)",
            resolution=(TermRule(Term(15), source=SOURCE_RECURSO_APELACION,
                                 extension=EXTENSION_SERVICIOS_PUBLICOS),),
            kinds=(catalog.KIND_RECURSO_APELACION,), source=SOURCE_RECURSO_APELACION,
            suspension_causes=SUSPENSION_CAUSES, suspension_source=SOURCE_SUSPENSION,
            filing_window=RECURSO_FILING_WINDOW),
    ]
