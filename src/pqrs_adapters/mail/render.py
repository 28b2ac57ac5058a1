"""E-mail texts from Jinja2 templates (Spanish, es-CO): one plain-text and one HTML template per
notification template name (``acknowledgement.txt`` and ``acknowledgement.html``, ...).

- The subject is the ``subject`` block of the plain-text template; the filing number is always put in
  front of it («[PQRS-2026-000123] Recibimos su petición»), whatever the template says.
- The packaged templates live in ``templates/`` beside this module; a directory given as
  ``templates_dir`` (``PQRS_MAIL_TEMPLATES_DIR``) replaces them file by file, layouts included.
- HTML templates are autoescaped; plain-text ones are not.
- Administrators may edit a template in ``/admin/plantillas`` (``overrides``): its subject, its
  plain-text and its HTML body replace the file's, every version kept. Every template is rendered in
  Jinja's immutable sandbox, so an edited one reaches nothing but its context and filters.
- Templates see the notification's context (``filing_number``, ``subject``, ``kind``,
  ``requester_name``, ``state``, ``resolution_due``, ``received_at`` and what each notification adds),
  plus ``organisation`` and ``recipient``, and these filters: ``datetime_long`` («15 de abril de 2026,
  11:59 p. m.» in the organisation's time zone), ``date_long``, ``percent``, ``kind_label``,
  ``kind_noun`` (the kind as a sentence names it: «queja», «reclamo»; «solicitud» when unknown),
  ``queue_label``, ``state_label`` and ``paragraphs`` (HTML paragraphs from plain text, escaped).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs
import jinja2
from markupsafe import Markup, escape

from pqrs_core.domain.catalog import Catalog

from ..sandbox_limits import LimitedSandbox
from .formatting import long_date, long_datetime, percent

DEFAULT_ORGANISATION = "Organización de ejemplo"
DEFAULT_SUBJECT = "Novedades de su caso"

# Every template name the core's notifications use (``pqrs_core.domain.notifications``).
TEMPLATE_NAMES = ("acknowledgement", "new_case", "assigned", "information_request", "response", "closure",
                  "reopened", "reopened_staff", "extension", "requester_replied", "alarm", "escalation",
                  "completion_request", "withdrawal", "transfer", "concluded", "mail_alert", "third_party",
                  "third_party_replied", "mention", "internal_request", "internal_answered", "internal_alarm",
                  "rule_notice", "rule_disabled", "response_returned", "webhook_disabled",
                  "voiding_requested")


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
class StoredTemplate:
    """An administrator's version of a template: ``None`` parts keep the packaged file's."""

    version: int
    subject: str | None = None
    text_source: str | None = None
    html_source: str | None = None


class TemplateOverrides(Protocol):
    def current(self, name: str) -> StoredTemplate | None:
        """The template's current edited version, if it has one."""


class _OverridingLoader(jinja2.BaseLoader):
    """The edited version of a notification template when there is one, else ``fallback``'s file. A
    cached template is reloaded when its edited version changes (a new save, a reset)."""

    def __init__(self, fallback: jinja2.BaseLoader, overrides: TemplateOverrides) -> None:
        self.fallback = fallback
        self.overrides = overrides

    def _version(self, name: str) -> int | None:
        found = self.overrides.current(name)
        return found.version if found is not None else None

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        name, _dot, extension = template.rpartition(".")
        if name not in TEMPLATE_NAMES or extension not in ("txt", "html"):
            return self.fallback.get_source(environment, template)
        found = self.overrides.current(name)
        version = found.version if found is not None else None
        source = (found.text_source if extension == "txt" else found.html_source) if found else None
        if source is not None:
            return source, None, lambda: self._version(name) == version
        text, filename, uptodate = self.fallback.get_source(environment, template)
        return text, filename, lambda: (uptodate() if uptodate else True) and self._version(name) == version


@attrs.frozen
class RenderedMail:
    subject: str
    text: str
    html: str


class MailRenderer:
    """Renders a notification to a subject and two bodies. Build one per process: it caches templates
    (and notices when an overriding file changes)."""

    def __init__(self, *, organisation: str = DEFAULT_ORGANISATION, timezone: str = "America/Bogota",
                 templates_dir: Path | None = None, labels: MailLabels | None = None,
                 overrides: TemplateOverrides | None = None) -> None:
        self.organisation = organisation
        self.timezone = timezone
        self.labels = labels or MailLabels()
        loaders: list[jinja2.BaseLoader] = []
        if templates_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
        loaders.append(jinja2.PackageLoader("pqrs_adapters.mail", "templates"))
        self.overrides = overrides
        loader: jinja2.BaseLoader = jinja2.ChoiceLoader(loaders)
        if overrides is not None:
            loader = _OverridingLoader(loader, overrides)
        self.env = LimitedSandbox(
            loader=loader,
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
        edited = self.overrides.current(template) if self.overrides is not None else None
        if edited is not None and edited.subject:
            subject = " ".join(self.env.from_string(edited.subject).render(values).split()) or subject
        elif block is not None:
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
