"""Knowledge-base Markdown is rendered safely: formatting kept, scripts, handlers and javascript: links
never reach the page; the plain-text form reads well in an e-mail."""

from __future__ import annotations

from pqrs_adapters.markdown import plain_text, render_markdown


def test_formatting_is_kept() -> None:
    html = render_markdown("# Devoluciones\n\nTiene **30 días**.\n\n- Factura\n- Empaque\n\n[Ver](https://x.co)")
    assert "<h1>Devoluciones</h1>" in html and "<strong>30 días</strong>" in html
    assert "<li>Factura</li>" in html
    assert '<a href="https://x.co" rel="noopener noreferrer">Ver</a>' in html


def test_scripts_handlers_and_dangerous_links_are_removed() -> None:
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
                           "[clic](javascript:alert(1)) ![x](data:text/html,hola)")
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html and 'src="data' not in html
    assert "&lt;script&gt;" in html  # shown as the text it is


def test_plain_text_for_quoting() -> None:
    text = plain_text("## Requisitos\n\nLleve **la factura** & el empaque:\n\n- Original\n- Sin uso")
    assert text == "Requisitos\n\nLleve la factura & el empaque:\n\n- Original\n- Sin uso"
