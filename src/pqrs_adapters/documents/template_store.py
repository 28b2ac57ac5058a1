"""The letters' template as administrators edit it: every version kept in ``letter_templates``, the
newest in use, the shipped one while there is none; restoring the shipped one is a new version too.
A template is checked before it is kept: it must compile in the sandbox and typeset a sample letter."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
from sqlalchemy import Engine, func, select

from pqrs_core.domain.letters import Addressee, Letter, Letterhead, Signer

from ..sandbox import TemplateProblem
from ..sqlalchemy.engine import begin_write
from ..sqlalchemy.tables import catalog_changes, letter_templates
from .weasyprint_renderer import LetterTemplate, default_template, letter_html, render_pdf

MAX_TEMPLATE_CHARS = 200_000


@attrs.frozen
class TemplateVersion:
    id: int
    template: LetterTemplate
    restored: bool
    created_by: str
    created_at: datetime


class TemplateRefused(ValueError):
    """The template cannot be used; ``field`` (``html`` or ``css``) and a message in Spanish."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def current_template(engine: Engine) -> LetterTemplate:
    """The template in use: the newest version, or the shipped one."""
    with engine.connect() as conn:
        row = conn.execute(select(letter_templates.c.html, letter_templates.c.css)
                           .order_by(letter_templates.c.id.desc()).limit(1)).first()
    return LetterTemplate(html=row.html, css=row.css) if row is not None else default_template()


def template_versions(engine: Engine, limit: int = 50) -> list[TemplateVersion]:
    """The kept versions, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(letter_templates).order_by(letter_templates.c.id.desc())
                            .limit(limit)).all()
    return [TemplateVersion(id=r.id, template=LetterTemplate(html=r.html, css=r.css), restored=r.restored,
                            created_by=r.created_by, created_at=r.created_at) for r in rows]


def version_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(letter_templates)).scalar_one())


def sample_letter(letterhead: Letterhead) -> Letter:
    """A letter to preview and check a template with: every part filled, accents and «ñ» included."""
    return Letter(kind="response", title="Respuesta", letterhead=letterhead,
                  place_and_date=f"{letterhead.city}, 6 de diciembre de 2026",
                  filing_number="PQRS-2026-000123",
                  addressee=Addressee(name="María José Núñez Peña", document="CC 1020304050",
                                      address="Carrera 7 # 72-41, Bogotá", email="maria@example.com"),
                  subject="Respuesta — radicado PQRS-2026-000123: Cobro duplicado en la factura",
                  paragraphs=("Reciba un cordial saludo. En atención a su reclamación, le informamos que "
                              "revisamos la factura y encontramos el cobro duplicado que usted señaló.",
                              "Por esta razón aplicamos una nota crédito por el valor cobrado de más, que "
                              "verá reflejada en su próxima factura."),
                  signer=Signer(name="Begoña Muñoz", role="Coordinadora de Servicio al Cliente"))


def checked_pdf(template: LetterTemplate, letter: Letter) -> bytes:
    """``letter`` typeset with ``template``; ``TemplateRefused`` says what is wrong with it."""
    if len(template.html) > MAX_TEMPLATE_CHARS or len(template.css) > MAX_TEMPLATE_CHARS:
        field = "html" if len(template.html) > MAX_TEMPLATE_CHARS else "css"
        raise TemplateRefused(field, f"La plantilla admite hasta {MAX_TEMPLATE_CHARS:,} caracteres.")
    if not template.html.strip():
        raise TemplateRefused("html", "Escriba el HTML de la plantilla.")
    try:
        html = letter_html(letter, template)
    except TemplateProblem as exc:
        raise TemplateRefused("html", exc.message) from None
    try:
        return render_pdf(html, template.css)
    except Exception as exc:  # noqa: BLE001 - whatever WeasyPrint refuses: the administrator is told
        raise TemplateRefused("css", f"No se pudo componer el PDF con esta plantilla: {exc}") from None


def save_template(engine: Engine, template: LetterTemplate, letterhead: Letterhead, *, actor: str,
                  now: datetime | None = None, restored: bool = False) -> int:
    """Keep ``template`` as the newest version (after checking it on a sample letter); recorded in the
    administration log. Returns the version's id."""
    checked_pdf(template, sample_letter(letterhead))
    at = now or datetime.now(UTC)
    with begin_write(engine) as conn:
        new_id = conn.execute(letter_templates.insert().values(
            html=template.html, css=template.css, restored=restored, created_by=actor, created_at=at)
        ).inserted_primary_key
        assert new_id is not None
        what = "letters.template.restore" if restored else "letters.template.update"
        conn.execute(catalog_changes.insert().values(actor=actor, at=at, what=what,
                                                     data={"version": int(new_id[0])}))
        return int(new_id[0])
