"""The e-mail texts: every notification has both bodies and a subject with the filing number, dates
read as in Colombia, HTML is escaped, an organisation can replace templates file by file, and the
SMTP settings come from the environment."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pqrs_adapters.config import Config, ConfigError
from pqrs_adapters.mail.formatting import long_date, long_datetime, percent
from pqrs_adapters.mail.message import compose, message_id
from pqrs_adapters.mail.recipients import Address
from pqrs_adapters.mail.render import TEMPLATE_NAMES, MailLabels, MailRenderer

NUMBER = "PQRS-2026-000123"
CONTEXT = {
    "subject": "Cobro <doble> & retraso", "kind": "reclamo", "requester_name": "José O'Neill",
    "state": "filed", "received_at": "2026-04-01T14:05:00+00:00",
    "resolution_due": "2026-04-16T04:59:59.999999+00:00", "message": "Primera línea\nSegunda\n\nOtro <b>",
    "missing": ["copia de la factura"], "reason": "Consultamos a la transportadora",
    "due_before": "2026-04-10T04:59:59.999999+00:00", "due_after": "2026-04-16T04:59:59.999999+00:00",
    "solution": "Se anuló el cobro", "first_contact": False, "fraction": 0.5,
    "due": "2026-04-16T04:59:59.999999+00:00", "queue": "back_office", "queue_before": "primer_nivel",
    "requester_due": "2026-05-04T04:59:59.999999+00:00", "entity": "Superintendencia de Industria y Comercio",
    "rule_name": "Cobro doble", "rule_version": 2, "actions": ["pasarlo a la cola Back office"],
    "error": "la transición «close» no aplica",
}


def test_every_notification_the_core_queues_has_its_templates() -> None:
    import inspect

    from pqrs_core.domain import notifications

    queued = set(re.findall(r'tell\("([a-z_]+)"', inspect.getsource(notifications)))
    assert queued and queued <= set(TEMPLATE_NAMES)


def test_dates_and_shares_read_as_in_colombia() -> None:
    tz = "America/Bogota"
    assert long_datetime("2026-04-16T04:59:59.999999+00:00", tz) == "15 de abril de 2026, 11:59 p. m."
    assert long_datetime(datetime(2026, 1, 2, 14, 5, tzinfo=UTC), tz) == "2 de enero de 2026, 9:05 a. m."
    assert long_datetime("2026-07-20T05:00:00+00:00", tz) == "20 de julio de 2026, 12:00 a. m."
    assert long_datetime("2026-07-20T17:30:00+00:00", tz) == "20 de julio de 2026, 12:30 p. m."
    assert long_date(date(2026, 12, 8), tz) == "8 de diciembre de 2026"
    assert long_datetime(None, tz) == long_datetime("mañana", tz) == "—"
    assert long_datetime("2026-01-01T10:00", tz) == "—"  # naive: no instant
    assert (percent(0.8), percent(1.0), percent("x")) == ("80 %", "100 %", "—")


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_every_notification_has_a_subject_with_the_filing_number_and_both_bodies(template: str) -> None:
    renderer = MailRenderer(organisation="Acme S.A.S.")

    mail = renderer.render(template, NUMBER, CONTEXT, recipient="requester")

    assert mail.subject.startswith(f"[{NUMBER}] ") and len(mail.subject) > len(NUMBER) + 5
    assert "\n" not in mail.subject
    for body in (mail.text, re.sub(r"<[^>]+>", "", mail.html)):
        assert NUMBER in body and "Acme S.A.S." in body
        assert ". m.." not in body  # an abbreviation's period ends the sentence
    assert mail.html.lstrip().startswith("<!DOCTYPE html>") and 'lang="es-CO"' in mail.html
    assert "<doble>" not in mail.html and "&lt;doble&gt;" in mail.html
    assert "Cobro <doble> & retraso" in mail.text


def test_the_acknowledgement_gives_the_filing_number_and_the_due_date() -> None:
    mail = MailRenderer().render("acknowledgement", NUMBER, CONTEXT)

    assert mail.subject == f"[{NUMBER}] Recibimos su reclamo"
    assert mail.text.startswith("Estimado(a) José O'Neill:\n\nRecibimos su reclamo «Cobro <doble> & retraso» "
                                "el 1 de abril de 2026, 9:05 a. m. y le asignamos el radicado "
                                f"{NUMBER}.")
    assert "Le daremos respuesta a más tardar el 15 de abril de 2026, 11:59 p. m." in mail.text
    assert "José O&#39;Neill" in mail.html


@pytest.mark.parametrize(("kind", "words"), [("queja", "queja"), ("reclamo", "reclamo"),
                                              ("peticion", "petición"), (None, "solicitud")])
def test_the_acknowledgement_and_the_response_name_the_kind_of_case(kind: str | None, words: str) -> None:
    labels = MailLabels(kinds={"queja": "Queja", "reclamo": "Reclamo", "peticion": "Petición"})
    renderer = MailRenderer(labels=labels)
    context = {**CONTEXT, "kind": kind}

    acknowledgement = renderer.render("acknowledgement", NUMBER, context)
    response = renderer.render("response", NUMBER, context)

    assert acknowledgement.subject == f"[{NUMBER}] Recibimos su {words}"
    assert response.subject == f"[{NUMBER}] Respuesta a su {words}"
    assert f"En atención a su {words} «Cobro <doble> & retraso» (radicado {NUMBER})" in response.text


def test_labels_from_the_catalog_replace_codes() -> None:
    labels = MailLabels(kinds={"reclamo": "Reclamo"}, queues={"back_office": "Back office",
                                                              "primer_nivel": "Primer nivel"},
                        states={"filed": "Radicado"})
    renderer = MailRenderer(labels=labels)

    escalation = renderer.render("escalation", NUMBER, CONTEXT, recipient="queue:back_office")
    new_case = renderer.render("new_case", NUMBER, CONTEXT)

    assert escalation.subject == f"[{NUMBER}] Caso escalado a Back office: Cobro <doble> & retraso"
    assert "de Primer nivel a Back office" in escalation.text
    assert "Tipo: Reclamo" in new_case.text and "Estado: Radicado" in new_case.text


def test_an_alarm_at_the_deadline_says_the_term_was_missed() -> None:
    mail = MailRenderer().render("alarm", NUMBER, {**CONTEXT, "fraction": 1.0})

    assert mail.subject == f"[{NUMBER}] Plazo vencido: Cobro <doble> & retraso"
    assert "venció sin respuesta al peticionario" in mail.text


def test_a_templates_directory_replaces_the_packaged_templates_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "acknowledgement.txt").write_text(
        '{% extends "_requester.txt" %}{% block subject %}Su radicado {{ filing_number }}{% endblock %}'
        "{% block body %}Gracias por escribirnos, {{ requester_name }}.{% endblock %}", encoding="utf-8")
    (tmp_path / "_requester.html").write_text("<p>{{ organisation }}</p>{% block body %}{% endblock %}",
                                              encoding="utf-8")
    renderer = MailRenderer(organisation="Acme", templates_dir=tmp_path)

    mail = renderer.render("acknowledgement", NUMBER, CONTEXT)

    assert mail.subject == f"[{NUMBER}] Su radicado {NUMBER}"
    assert "Gracias por escribirnos, José O'Neill." in mail.text
    assert mail.html.startswith("<p>Acme</p>") and "Consérvelo" in mail.html  # packaged body, own layout


def test_the_message_has_both_parts_and_a_message_id_from_the_row_key() -> None:
    mail = MailRenderer().render("response", NUMBER, CONTEXT)
    msg_id = message_id("3f2a-01", "Acme PQRS <pqrs@acme.example.co>")

    message = compose(mail, mail_from="Acme PQRS <pqrs@acme.example.co>",
                      to=[Address("jose@example.com", "José O'Neill")], msg_id=msg_id,
                      date=datetime(2026, 4, 1, 14, 5, tzinfo=UTC), filing_number=NUMBER)

    assert msg_id == "<3f2a-01@acme.example.co>" and message["Message-ID"] == msg_id
    assert message_id("x", "pqrs") == "<x@pqrs>"
    assert message_id("a b<c>", "p@q.co").endswith("@q.co>") and " " not in message_id("a b<c>", "p@q.co")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Date"] == "Wed, 01 Apr 2026 14:05:00 +0000"
    assert message["Content-Language"] == "es-CO" and message["Auto-Submitted"] == "auto-generated"


def test_smtp_settings_come_from_the_environment(tmp_path: Path) -> None:
    defaults = Config.from_env({}, cwd=tmp_path).mail
    assert (defaults.smtp_host, defaults.smtp_port, defaults.smtp_starttls, defaults.max_attempts) == \
        ("localhost", 25, False, 10)
    mail = Config.from_env({"PQRS_SMTP_HOST": "smtp.acme.co", "PQRS_SMTP_STARTTLS": "1",
                            "PQRS_SMTP_USER": "pqrs", "PQRS_SMTP_PASSWORD": "secreto",
                            "PQRS_MAIL_FROM": "PQRS Acme <pqrs@acme.co>", "PQRS_MAIL_TEMPLATES_DIR": "correo",
                            "PQRS_MAIL_MAX_ATTEMPTS": "5"}, cwd=tmp_path).mail
    assert (mail.smtp_host, mail.smtp_port, mail.smtp_starttls, mail.smtp_user) == \
        ("smtp.acme.co", 587, True, "pqrs")
    assert mail.templates_dir == tmp_path.resolve() / "correo" and mail.max_attempts == 5
    assert "secreto" not in repr(mail)
    for bad in ({"PQRS_SMTP_PORT": "smtp"}, {"PQRS_SMTP_PORT": "70000"}, {"PQRS_MAIL_FROM": "pqrs"},
                {"PQRS_SMTP_STARTTLS": "1", "PQRS_SMTP_SSL": "1"}, {"PQRS_MAIL_MAX_ATTEMPTS": "0"}):
        with pytest.raises(ConfigError):
            Config.from_env(bad, cwd=tmp_path)
