"""Letter templates are rendered in the same limited sandbox as the answers and the mail templates."""

from __future__ import annotations

import pytest

from pqrs_adapters.documents.template_store import TemplateRefused, checked_pdf, sample_letter
from pqrs_adapters.documents.weasyprint_renderer import LetterTemplate, letter_html
from pqrs_adapters.sandbox import TemplateProblem
from pqrs_core.domain.letters import Letterhead


def _letter(logo: bytes | None = None):  # type: ignore[no-untyped-def]
    return sample_letter(Letterhead(name="Empresa de Servicios", logo=logo, logo_type="image/png"))


NESTED = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("html", ["{{ 'x'|center(300000000) }}", "{{ (10**100)**100 }}", NESTED])
def test_a_letter_template_that_would_hold_the_worker_is_refused(html: str) -> None:
    with pytest.raises(TemplateProblem):
        letter_html(_letter(), LetterTemplate(html=html, css=""))
    with pytest.raises(TemplateRefused) as refused:
        checked_pdf(LetterTemplate(html=html, css=""), _letter())
    assert refused.value.field == "html"


def test_a_large_logo_does_not_count_against_the_letters_text() -> None:
    logo = b"\x89PNG" + b"\0" * 300_000
    template = LetterTemplate(html="<img src='{{ logo }}'>{{ letter.letterhead.name }}", css="")
    html = letter_html(_letter(logo), template)
    assert html.endswith("Empresa de Servicios")
