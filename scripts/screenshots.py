"""Screenshots of the main pages for the README (``make screenshots``): serves 120 demo cases with
gunicorn, opens each page in Debian's Chromium (Playwright) as the person who uses it, and writes PNG
files to ``docs/screenshots/``. Then the official letters: a response drafted by back office, the
case as the supervisor sees it waiting for approval, and the approved letter's first page drawn by
Poppler's ``pdftoppm``. ``python scripts/screenshots.py letters`` takes only these."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from collections.abc import Callable  # noqa: E402

from playwright.sync_api import Browser, Locator, Page, sync_playwright  # noqa: E402

from e2e.conftest import CHROMIUM_ARGS, LOGO, chromium_executable  # noqa: E402
from e2e.live import DEMO_PASSWORD, serve_demo, server_env  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

# (file name, user or None for the public, path, viewport width). FIRST_CASE: the first case of the back
# office's own (a case with a story: notes, messages, the requester's reply).
MAX_HEIGHT = 2000  # long pages are cut: the README shows their top
LIST_PAGES = ("inbox", "board", "distribution", "quality", "portal", "inbox-mobile")
SHOTS: list[tuple[str, str | None, str, int]] = [
    ("public-home", None, "/", 1280),
    ("public-filing", None, "/radicar", 1280),
    ("public-lookup", None, "/consultar", 1280),
    ("inbox", "ana.agente", "/bandeja?vista=mi_cola", 1440),
    ("board", "sofia.supervisora", "/tablero", 1440),
    ("case", "bruno.backoffice", "FIRST_CASE", 1440),
    ("new-case", "ana.agente", "/casos/nuevo", 1280),
    ("distribution", "sofia.supervisora", "/distribucion", 1440),
    ("quality", "carlos.calidad", "/calidad", 1280),
    ("portal", "juan.cliente", "/portal", 1280),
    ("admin", "admin", "/admin", 1280),
    ("admin-rules", "admin", "/admin/reglas", 1280),
    ("admin-rule-editor", "admin", "/admin/reglas/COBRO_DOBLE", 1280),
    ("inbox-mobile", "ana.agente", "/bandeja", 390),
    ("dashboard", "sofia.supervisora", "/panel", 1440),
    ("report-causes", "sofia.supervisora", "/reportes/causas", 1280),
    ("report-satisfaction", "sofia.supervisora", "/reportes/satisfaccion?agrupar=persona", 1280),
    ("survey", None, "SURVEY", 1280),
    ("reports", "sofia.supervisora", "/reportes/", 1280),
    ("report-volume", "sofia.supervisora", "/reportes/volumen?periodo=semana", 1440),
    ("report-timeliness", "sofia.supervisora", "/reportes/oportunidad", 1440),
    ("report-levels", "sofia.supervisora", "/reportes/niveles", 1440),
    ("report-regulatory", "sofia.supervisora", "/reportes/regulatorio", 1440),
    ("help", None, "/ayuda", 1280),
    ("help-article", None, "/ayuda/como-solicito-una-devolucion", 1280),
    ("public-filing-suggestions", None, "/radicar", 1280),
    ("case-answers", "bruno.backoffice", "FIRST_CASE", 1440),
    ("admin-answers", "admin", "/admin/respuestas", 1280),
    ("admin-articles", "admin", "/admin/articulos", 1280),
    ("admin-mail-template", "admin", "/admin/plantillas/response", 1280),
    ("distribution-preview", "sofia.supervisora", "DISTRIBUTION_PREVIEW", 1440),
    ("case-internal-requests", "sofia.supervisora", "INTERNAL_CASE", 1440),
]
# Report pages: each must draw at least one chart.
CHART_PAGES = ("report-volume", "report-timeliness", "report-levels", "report-regulatory")


def _type_subject(page: Page) -> Locator | None:
    """/radicar with the subject being typed: the help articles it suggests."""
    page.get_by_label("Asunto").press_sequentially("Quiero hacer una devolución", delay=30)
    page.locator("[data-help-suggestions]").wait_for(state="visible")
    return None


def _pick_answer(page: Page) -> Locator:
    """The case's actions with a canned answer chosen in the note form: its preview, filled."""
    picker = page.locator("#nota_texto-tipo")
    picker.select_option(index=0)
    picker.dispatch_event("change")
    page.locator("#accion-nota .answer-preview").wait_for(state="visible")
    return page.locator("#accion-nota")


# Shots of a page in use: what to do before the picture, and the part to take (None: the page's top).
ACTIONS: dict[str, Callable[[Page], Locator | None]] = {
    "public-filing-suggestions": _type_subject,
    "case-answers": _pick_answer,
}


def login(page: Page, username: str) -> None:
    page.goto("/ingresar")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(re.compile(r"^(?!.*/ingresar).*$"))


def _problem(page: Page, name: str, status: int) -> str | None:
    """Why a page is not one to show in the README: an error, a form complaining, an empty list."""
    if status != 200:
        return f"answered HTTP {status}"
    if page.locator(".error-summary, .flash-error").count():
        return "shows an error: " + " ".join(page.locator(".error-summary, .flash-error").all_inner_texts())
    if name in LIST_PAGES and not page.locator("a[href*='/casos/PQRS-']").count():
        return "lists no case"
    if name in CHART_PAGES and not page.locator("figure.chart svg").count():
        return "draws no chart"
    return None


def letter_shots(browser: Browser, base: str) -> str | None:
    """The response's approval page and its letter as PNG; what went wrong, or ``None``."""
    context = browser.new_context(base_url=base, locale="es-CO", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, "bruno.backoffice")
    page.goto("/bandeja?vista=mis_casos")
    links = page.locator("tbody a[href^='/casos/PQRS-']")
    path = None
    for i in range(links.count()):
        candidate = links.nth(i).get_attribute("href") or ""
        page.goto(candidate)
        if page.locator("#respuesta_texto").count():
            path = candidate
            break
    if path is None:
        return "back office has no case to answer"
    page.fill("#respuesta_texto", "Revisamos su caso con la transportadora y confirmamos que el pedido no "
              "fue entregado completo. Le enviamos hoy las unidades faltantes, sin costo para usted, y le "
              "compartiremos la guía de envío por este mismo medio.\n\nLamentamos las molestias que este "
              "retraso le causó.")
    page.get_by_role("button", name="Vista previa del correo").click()
    page.get_by_role("button", name="Enviar a aprobación", exact=True).click()
    context.close()

    context = browser.new_context(base_url=base, locale="es-CO", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, "sofia.supervisora")
    page.goto(path)
    section = page.locator("#accion-aprobacion")
    if not section.count():
        return f"{path} shows no response waiting for approval"
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(OUT / "letter-approval.png"))
    print(f"docs/screenshots/letter-approval.png  {path}")
    page.get_by_role("button", name="Aprobar y enviar").click()
    page.goto(path)
    link = page.locator("a[href*='/adjuntos/']", has_text="oficio-respuesta").first
    href = link.get_attribute("href") if link.count() else None
    if href is None:
        return f"{path} lists no letter after its approval"
    pdf = page.request.get(href).body()
    context.close()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "oficio.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "oficio.pdf"), str(OUT / "letter")], check=True)
    print(f"docs/screenshots/letter.png  {href}")
    return None


def survey_path(root: Path, env: dict[str, str]) -> str:
    """The survey link of a responded demo case nobody has answered yet, signed with the served demo's
    key (the key ``pqrs`` keeps beside its data)."""
    from sqlalchemy import select

    from pqrs_adapters.config import Config
    from pqrs_adapters.sqlalchemy import make_engine
    from pqrs_adapters.sqlalchemy.tables import cases, satisfaction_answers
    from pqrs_adapters.surveys import PATH, survey_links
    from pqrs_core.clock import SystemClock

    config = Config.from_env(server_env(root, env), cwd=root)
    engine = make_engine(config.database_url)
    try:
        with engine.connect() as conn:
            case_id = conn.execute(select(cases.c.id).where(
                cases.c.responded_at.is_not(None),
                cases.c.id.not_in(select(satisfaction_answers.c.case_id))).limit(1)).scalar_one()
    finally:
        engine.dispose()
    return PATH + survey_links(config).token(case_id, SystemClock().now())


def main() -> int:
    only_letters = sys.argv[1:] == ["letters"]
    if shutil.which("pdftoppm") is None:
        print("Poppler's pdftoppm is not installed (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    executable = chromium_executable()
    if executable is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "logo.svg").write_bytes(LOGO)
        env = {"PQRS_ORGANISATION_NAME": "Comercializadora Andina S.A.S.",
               "PQRS_ORGANISATION_LOGO": str(root / "logo.svg"), "PQRS_ORGANISATION_NIT": "900.123.456-7",
               "PQRS_ORGANISATION_ADDRESS": "Calle 100 No. 19-54, oficina 701",
               "PQRS_ORGANISATION_EMAIL": "servicio@demo.example.co", "PQRS_LETTERS_APPROVAL": "1"}
        with serve_demo(root, cases=120, env=env) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                                 args=CHROMIUM_ARGS)
            for name, user, path, width in [] if only_letters else SHOTS:
                context = browser.new_context(base_url=base, locale="es-CO",
                                              viewport={"width": width, "height": 900})
                page = context.new_page()
                if user is not None:
                    login(page, user)
                if path == "SURVEY":  # the link the response e-mail carried (a case answered by then)
                    path = survey_path(root, env)
                if path == "FIRST_CASE":
                    page.goto("/bandeja?vista=esperando")
                    path = page.locator("tbody a[href^='/casos/PQRS-']").first.get_attribute("href") or "/"
                if path == "INTERNAL_CASE":  # a demo case that asked the first line for something
                    page.goto("/solicitudes-internas")
                    path = page.locator("a[href^='/casos/PQRS-']").first.get_attribute("href") or "/"
                if path == "DISTRIBUTION_PREVIEW":  # four cases by turns among everyone (Bruno is away)
                    page.goto("/distribucion")
                    for box in page.locator("input[name='casos']").all()[:4]:
                        box.check()
                    for box in page.locator("input[name='agentes']").all():
                        box.check()
                    turns = page.get_by_role("button", name="Repartir por turnos entre las personas marcadas")
                    with page.expect_navigation():
                        turns.click()
                    page.locator("#reparto").scroll_into_view_if_needed()
                    status = 200 if page.locator("#reparto").count() else 0
                else:
                    response = page.goto(path)
                    status = response.status if response is not None else 0
                problem = _problem(page, name, status)
                if problem:
                    print(f"{name}: {path} {problem}", file=sys.stderr)
                    return 1
                target = OUT / f"{name}.png"
                part = ACTIONS[name](page) if name in ACTIONS else None
                if part is not None:
                    part.screenshot(path=str(target))
                    print(f"{target.relative_to(ROOT)}  {path}  HTTP {status}")
                    context.close()
                    continue
                height = min(MAX_HEIGHT if width > 400 else 1800,  # a phone: down to the first rows
                             page.evaluate("document.documentElement.scrollHeight"))
                page.screenshot(path=str(target), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": height})
                print(f"{target.relative_to(ROOT)}  {path}  HTTP {status}")
                context.close()
            problem = letter_shots(browser, base)
            browser.close()
            if problem:
                print(f"letters: {problem}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
