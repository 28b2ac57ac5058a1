"""The term of a case: its explanation, the extension (prórroga), its suspension by staff (evidence
gathering, a delay the user caused: Decreto-Ley 2150 de 1995 art. 123), incomplete petitions (Ley 1755
de 2015 art. 17: request to complete, the requester's extra month, tacit withdrawal) and transfers to
the competent entity (art. 21)."""

from __future__ import annotations

from flask import Response

from pqrs_core.domain import commands as c

from .auth import current_actor
from .case_actions import _act, _operation
from .inputs import filing_number
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.actions import ReasonSchema
from .schemas.terms import (
    AdmissionNoticeSchema,
    CompletionRequestSchema,
    ExtensionSchema,
    RulingNoticeSchema,
    SuspensionSchema,
    TermExplanationSchema,
    TransferSchema,
    VersionOnlySchema,
)

_EXTENSION, _COMPLETION, _VERSION = ExtensionSchema(), CompletionRequestSchema(), VersionOnlySchema()
_TRANSFER, _REASON, _EXPLANATION = TransferSchema(), ReasonSchema(), TermExplanationSchema()
_ADMISSION, _RULING = AdmissionNoticeSchema(), RulingNoticeSchema()
_SUSPENSION = SuspensionSchema()


@api_route("/cases/<number>/term", "GET", Operation(
    summary="Explicación del vencimiento", tag="terms",
    description="Cómo se calculó el vencimiento del caso a partir de su historia (política, fuente legal, "
                "suspensiones, prórroga, reinicio) y su estado ahora.",
    replies={200: Reply("La explicación, línea por línea", TermExplanationSchema)}))
def term_explanation(number: str) -> Response:
    explanation = pqrs().explain_term(filing_number(number), current_actor())
    return json_response(_EXPLANATION.dump({"lines": list(explanation.lines)}))


@api_route("/cases/<number>/extensions", "POST", _operation(
    "Prorrogar el término", ExtensionSchema,
    "Una sola vez, con motivo, antes del vencimiento y sin pasar del doble (CPACA art. 14 parágrafo); "
    "se informa al peticionario."))
def extend_term(number: str) -> Response:
    return _act(number, _EXTENSION, lambda key, d, v: c.ExtendTerm(
        filing_number=key, reason=d["reason"], extra=d.get("extra"), expected_version=v))


@api_route("/cases/<number>/term-suspension", "POST", _operation(
    "Suspender el término", SuspensionSchema,
    "Por práctica de pruebas o por demora causada por el usuario, si la política del caso lo admite "
    "(servicios públicos: Decreto-Ley 2150 de 1995 art. 123). Mientras dure no corre el término ni se "
    "marca el silencio administrativo positivo."))
def suspend_term(number: str) -> Response:
    return _act(number, _SUSPENSION, lambda key, d, v: c.SuspendTerm(
        filing_number=key, cause=d["cause"], reason=d["reason"], expected_version=v))


@api_route("/cases/<number>/term-suspension/end", "POST", _operation(
    "Terminar la suspensión del término", VersionOnlySchema,
    "El término vuelve a correr; el vencimiento se corre los días hábiles que duró la suspensión."))
def end_term_suspension(number: str) -> Response:
    return _act(number, _VERSION, lambda key, d, v: c.EndTermSuspension(
        filing_number=key, expected_version=v))


@api_route("/cases/<number>/completion-requests", "POST", _operation(
    "Pedir completar la petición", CompletionRequestSchema,
    "Ley 1755 art. 17: el término se suspende y el peticionario tiene un mes para completarla."))
def request_completion(number: str) -> Response:
    return _act(number, _COMPLETION, lambda key, d, v: c.RequestCompletion(
        filing_number=key, message=d["message"], missing=tuple(d["missing"]), expected_version=v))


@api_route("/cases/<number>/completion-extensions", "POST", _operation(
    "Prorrogar el plazo del peticionario", VersionOnlySchema,
    "El peticionario pide, antes de que venza, un mes más (una sola vez, Ley 1755 art. 17)."))
def extend_completion_time(number: str) -> Response:
    return _act(number, _VERSION, lambda key, d, v: c.ExtendCompletionTime(
        filing_number=key, expected_version=v))


@api_route("/cases/<number>/withdrawal", "POST", _operation(
    "Declarar el desistimiento tácito", ReasonSchema,
    "Solo después de que venció el plazo del peticionario para completar la petición (art. 17)."))
def declare_withdrawal(number: str) -> Response:
    return _act(number, _REASON, lambda key, d, v: c.DeclareWithdrawal(
        filing_number=key, reason=d["reason"], expected_version=v))


@api_route("/cases/<number>/transfer", "POST", _operation(
    "Trasladar por competencia", TransferSchema,
    "Ley 1755 art. 21: a la entidad competente dentro de los 5 días, con copia al peticionario."))
def transfer_case(number: str) -> Response:
    return _act(number, _TRANSFER, lambda key, d, v: c.TransferCase(
        filing_number=key, entity=d["entity"], reason=d["reason"], expected_version=v))



@api_route("/cases/<number>/tutela/admission-notice", "POST", _operation(
    "Registrar la notificación del auto admisorio de una tutela", AdmissionNoticeSchema,
    "Empieza el término del informe al juez con los días que fijó (1 a 3, Decreto 2591 de 1991 art. 19), "
    "contados desde la notificación; improrrogable. Solo para casos de tutela."))
def record_admission_notice(number: str) -> Response:
    return _act(number, _ADMISSION, lambda key, d, v: c.RecordAdmissionNotice(
        filing_number=key, days=d["days"], notified_at=d["notified_at"], expected_version=v))


@api_route("/cases/<number>/tutela/ruling-notice", "POST", _operation(
    "Registrar la notificación del fallo de una tutela", RulingNoticeSchema,
    "Empieza el término de cumplimiento con las horas que fijó el juez (hasta 48, Decreto 2591 de 1991 "
    "arts. 27 y 29 num. 5), contadas desde la notificación; improrrogable. Solo para casos de tutela."))
def record_ruling_notice(number: str) -> Response:
    return _act(number, _RULING, lambda key, d, v: c.RecordRulingNotice(
        filing_number=key, hours=d["hours"], notified_at=d["notified_at"], expected_version=v))
