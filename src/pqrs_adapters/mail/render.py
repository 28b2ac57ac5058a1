"""E-mail texts from Jinja2 templates (Spanish, es-CO): one plain-text and one HTML template per
notification template name (``acknowledgement.txt`` and ``acknowledgement.html``, ...).

- The subject is the ``subject`` block of the plain-text template; the filing number is always put in
  front of it («[PQRS-2026-000123] Recibimos su petición»), whatever the template says.
- The packaged templates live in ``templates/`` beside this module; a directory given as
  ``templates_dir`` (``PQRS_MAIL_TEMPLATES_DIR``) replaces them file by file, layouts included.
- HTML templates are autoescaped; plain-text ones are not.
- Templates see the notification's context (``filing_number``, ``subject``, ``kind``,
  ``requester_name``, ``state``, ``resolution_due``, ``received_at`` and what each notification adds),
  plus ``organisation`` and ``recipient``, and these filters: ``datetime_long`` («15 de abril de 2026,
  11:59 p. m.» in the organisation's time zone), ``date_long``, ``percent``, ``kind_label``,
  ``kind_noun`` (the kind as a sentence names it: «queja», «reclamo»; «solicitud» when unknown),
  ``queue_label``, ``state_label`` and ``paragraphs`` (HTML paragraphs from plain text, escaped).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import jinja2
from markupsafe import Markup, escape

from pqrs_core.domain.catalog import Catalog

from .formatting import long_date, long_datetime, percent

DEFAULT_ORGANISATION = "Organización de ejemplo"
DEFAULT_SUBJECT = "Novedades de su caso"

# Every template name the core's notifications use (``pqrs_core.domain.notifications``).
TEMPLATE_NAMES = ("acknowledgement", "new_case", "assigned", "information_request", "response", "closure",
                  "reopened", "reopened_staff", "extension", "requester_replied", "alarm", "escalation",
                  "completion_request", "withdrawal", "transfer", "concluded", "mail_alert", "third_party",
                  "third_party_replied", "mention", "response_returned")


@attrs.frozen
class MailLabels:
    """What codes read as to a person: kinds, queues and states (from the catalog)."""

    kinds: Mapping[str, str] = attrs.field(factory=dict)
    queues: Mapping[str, str] = attrs.field(factory=dict)
    states: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> MailLabels:
        return cls(kinds={e.code: e.label for e in catalog.entries("kinds")},
                   queues={q.code: q.label for q in catalog.queues},
                   states={s.code: s.label for w in catalog.workflows for s in w.states})


@attrs.frozen
class RenderedMail:
    subject: str
    text: str
    html: str


class MailRenderer:
    """Renders a notification to a subject and two bodies. Build one per process: it caches templates
    (and notices when an overriding file changes)."""

    def __init__(self, *, organisation: str = DEFAULT_ORGANISATION, timezone: str = "America/Bogota",
                 templates_dir: Path | None = None, labels: MailLabels | None = None) -> None:
        self.organisation = organisation
        self.timezone = timezone
        self.labels = labels or MailLabels()
        loaders: list[jinja2.BaseLoader] = []
        if templates_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
        loaders.append(jinja2.PackageLoader("pqrs_adapters.mail", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )
        self.env.filters.update(
            datetime_long=lambda value: long_datetime(value, self.timezone),
            date_long=lambda value: long_date(value, self.timezone),
            percent=percent,
            kind_label=lambda code: _label(self.labels.kinds, code),
            kind_noun=lambda code: kind_noun(self.labels.kinds, code),
            queue_label=lambda code: _label(self.labels.queues, code),
            state_label=lambda code: _label(self.labels.states, code),
            paragraphs=paragraphs,
        )

    def render(self, template: str, filing_number: str, context: Mapping[str, Any], *,
               recipient: str = "") -> RenderedMail:
        """The message for ``template``; ``jinja2.TemplateNotFound`` when either file is missing."""
        values = {**context, "filing_number": filing_number, "organisation": self.organisation,
                  "recipient": recipient, "template": template}
        text_template = self.env.get_template(f"{template}.txt")
        html_template = self.env.get_template(f"{template}.html")
        subject = DEFAULT_SUBJECT
        block = text_template.blocks.get("subject")
        if block is not None:
            subject = " ".join("".join(block(text_template.new_context(values))).split()) or subject
        text = text_template.render(values).strip("\n") + "\n"
        html = html_template.render(values).strip("\n") + "\n"
        return RenderedMail(subject=f"[{filing_number}] {subject}", text=text, html=html)


def _label(labels: Mapping[str, str], code: object) -> str:
    if code is None or code == "" or isinstance(code, jinja2.Undefined):
        return "—"
    return labels.get(str(code), str(code))


def kind_noun(labels: Mapping[str, str], code: object) -> str:
    """The kind inside a sentence («Recibimos su queja»): its label in lower case, or «solicitud»,
    which fits every kind, when the case has none."""
    if code is None or code == "" or isinstance(code, jinja2.Undefined):
        return "solicitud"
    return _label(labels, code).lower()


def paragraphs(text: object) -> Markup:
    """Plain text as HTML paragraphs: blank lines separate them, single line breaks are kept; the text
    is escaped."""
    if text is None or isinstance(text, jinja2.Undefined):
        return Markup("")
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in
                                                                                b.split("\n")))
                             for b in blocks)
