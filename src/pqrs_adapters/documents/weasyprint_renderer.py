"""The ``DocumentRenderer`` on WeasyPrint: a letter's data goes through an HTML template and a CSS
style sheet (Jinja, sandboxed: an administrator may edit them) and WeasyPrint typesets the PDF, with
the system's fonts through Pango (Debian's DejaVu by default: accents and «ñ» included). Pages are
numbered «Página X de Y» by the style sheet's ``@page`` rules."""

from __future__ import annotations

import base64
from collections.abc import Callable
from importlib import resources

import attrs

from pqrs_core.domain.letters import Letter

from ..sandbox import render_sandboxed
from ..sandbox_limits import MAX_OUTPUT
from .qr import qr_data_url


@attrs.frozen
class LetterTemplate:
    """The HTML (a Jinja template receiving ``letter``, ``logo`` and ``qr``, data URLs or ``None``) and
    the CSS a letter is typeset with."""

    html: str
    css: str


def default_template() -> LetterTemplate:
    """The template shipped with the application, used for every kind of letter."""
    folder = resources.files(__package__).joinpath("templates")
    return LetterTemplate(html=folder.joinpath("letter.html").read_text(encoding="utf-8"),
                          css=folder.joinpath("letter.css").read_text(encoding="utf-8"))


def letter_html(letter: Letter, template: LetterTemplate) -> str:
    """The letter as an HTML page (the template rendered in the limited sandbox of the answers and
    the mail templates; ``TemplateProblem`` when it cannot be). The logo, embedded as a data URL, may
    add its own size to the text's."""
    head = letter.letterhead
    logo = (f"data:{head.logo_type};base64,{base64.b64encode(head.logo).decode('ascii')}"
            if head.logo else None)
    # A signed letter prints its verification code and the QR code of its verification page.
    qr = qr_data_url(letter.verification.url) if letter.verification is not None else None
    return render_sandboxed(template.html, {"letter": letter, "logo": logo, "qr": qr}, html=True,
                            max_output=MAX_OUTPUT + len(logo or "") + len(qr or ""))


@attrs.define
class WeasyPrintRenderer:
    """Typesets letters as PDF. ``template_for`` gives the template for a kind of letter (the
    administrators' version when there is one); the shipped one by default."""

    template_for: Callable[[str], LetterTemplate] = attrs.field(default=lambda kind: default_template())
    media_type: str = "application/pdf"

    def render(self, letter: Letter) -> bytes:
        template = self.template_for(letter.kind)
        return render_pdf(letter_html(letter, template), template.css)


def render_pdf(html: str, css: str) -> bytes:
    """``html`` laid out with ``css`` as PDF bytes. WeasyPrint is imported here, not at import time:
    it loads Pango and the fonts."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # A template is data an administrator edits: it may embed images (the logo is a data URL) but
    # never make the server read one of its files or a web address.
    only_embedded = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf = HTML(string=html, url_fetcher=only_embedded).write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=only_embedded)])
    return pdf  # type: ignore[no-any-return]
