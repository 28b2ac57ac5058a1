"""What every administration page shares: the blueprint, the permission checks, the sections a person
may open, reading form fields, and turning the core's errors into messages next to the fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import attrs
from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import DomainError, Forbidden, NotFound, ValidationError
from pqrs_core.domain.text import slug
from pqrs_core.services.catalog_sync import ADMIN_SOURCE

from ....presentation import error_message, first_upper
from ..auth import current_actor
from ..common import can

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _(message: str, **values: Any) -> str:
    """``flask_babel.gettext``, typed."""
    return str(gettext(message, **values))


F = TypeVar("F", bound=Callable[..., Any])
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_CODE = 64


def require_any(*permissions: Permission) -> Callable[[F], F]:
    """A view for people holding at least one of ``permissions`` (403 otherwise)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_actor() is None:
                abort(401)
            if not any(can(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapper)
    return decorate


@attrs.frozen
class Section:
    endpoint: str
    title: str
    description: str


def sections() -> list[Section]:
    """The administration pages the logged-in person may open, in menu order."""
    found: list[Section] = []
    if can(Permission.CATALOG):
        found += [
            Section("admin.catalog_list", _("Listas"),
                    _("Tipos de caso, motivos, canales, tipos de documento, prioridades y colas.")),
            Section("admin.typifications", _("Tipificaciones"),
                    _("El árbol de categorías y subcategorías con que se clasifican los casos.")),
            Section("admin.fields", _("Campos adicionales"),
                    _("Campos que los casos llevan además de los estándar: tipo, opciones, cuándo son "
                      "obligatorios y si los ve el peticionario.")),
            Section("admin.rules", _("Reglas"),
                    _("Reglas de enrutamiento en lenguaje natural: cuándo, si y entonces.")),
            Section("admin.workflows", _("Estados de los flujos"),
                    _("Cómo se llaman los estados y las acciones de cada flujo de trabajo.")),
            Section("admin.terms", _("Términos"),
                    _("Políticas de términos de respuesta y días de cierre de la organización.")),
            Section("admin.escalation", _("Escalamiento"),
                    _("A quién se escalan los casos de cada cola o política de términos, y cuándo.")),
            Section("admin.mailboxes", _("Buzones"),
                    _("Direcciones de correo que reciben PQRS: lectura IMAP, valores por defecto.")),
            Section("admin.webhooks", _("Webhooks"), _("Eventos de los casos enviados a otros sistemas.")),
            Section("admin.mail_templates", _("Plantillas de correo"),
                    _("El asunto y el texto de cada correo que se envía, con vista previa y versiones.")),
            Section("admin.letters", _("Oficios"),
                    _("La plantilla (HTML y CSS) de los oficios en PDF, con sus versiones.")),
            Section("admin.outgoing_series", _("Radicados de salida"),
                    _("El formato del número de cada tipo de comunicación enviada al peticionario.")),
            Section("admin.archive_export", _("Expedientes"),
                    _("Los expedientes de los casos cerrados en un rango de fechas, para el archivo.")),
        ]
    if can(Permission.CATALOG) or can(Permission.ASSIGN):
        found.append(Section("admin.answers", _("Respuestas tipo"),
                             _("Textos con variables para responder rápido, y macros que además "
                               "cambian el caso.")))
        found.append(Section("admin.articles", _("Base de conocimiento"),
                             _("Artículos de ayuda internos y públicos (/ayuda), con su historial y cuántas "
                               "dudas resolvieron.")))
    if can(Permission.USERS):
        found += [
            Section("admin.users", _("Usuarios"),
                    _("Cuentas de las personas: roles, colas, patrocinador, contraseña.")),
            Section("admin.roles", _("Roles"),
                    _("Qué puede hacer y qué casos puede ver cada rol.")),
        ]
    if can(Permission.ASSIGN) or can(Permission.CATALOG) or can(Permission.USERS):
        found.append(Section("admin.mail_intake", _("Correo recibido"),
                             _("Los mensajes que llegaron por correo y qué se hizo con cada uno.")))
    if can(Permission.DELETE) or can(Permission.APPROVE_VOIDING) or can(Permission.AUDIT):
        found.append(Section("admin.voidings", _("Anulaciones"),
                             _("Solicitudes para anular casos: quién las pidió, quién las decidió.")))
    if can(Permission.CATALOG) or can(Permission.USERS):
        found.append(Section("admin.changes", _("Historial de cambios"),
                             _("Quién cambió qué en la administración, y cuándo.")))
    return found


def tabs() -> list[tuple[str, str, bool]]:
    """``(title, url, current)`` for the administration sub-menu."""
    path = request.path
    result = []
    for section in sections():
        url = url_for(section.endpoint)
        result.append((section.title, url, path == url or path.startswith(url + "/")))
    return result


# ------------------------------------------------------------------------------------------ forms
def text(name: str, limit: int = 2_000) -> str:
    value = request.form.get(name, "")
    return value.strip()[:limit]


def checked(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "si", "true")


def chosen(name: str) -> list[str]:
    """Every value of a multiple field (checkboxes, ``<select multiple>``), without blanks."""
    return [v.strip() for v in request.form.getlist(name) if v.strip()]


def whole_number(errors: dict[str, str], name: str, *, minimum: int, maximum: int,
                 default: int | None = None) -> int:
    """A whole number typed in field ``name``; a message in ``errors`` when it is not one in range."""
    raw = text(name, 20)
    if not raw and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = _("Escriba un número entero.")
        return default or minimum
    if not minimum <= value <= maximum:
        errors[name] = _("Debe estar entre %(a)d y %(b)d.", a=minimum, b=maximum)
    return value


def new_code(errors: dict[str, str], label: str, taken: set[str], *, upper: bool) -> str:
    """The code of a new entry: the one typed, or one derived from its label (``slug``)."""
    typed = text("code", 200)
    code = typed or slug(label)
    if not upper and not typed:
        code = code.lower()
    code = code[:MAX_CODE]
    if not code:
        if label:
            errors["code"] = _("No se pudo derivar un código de la etiqueta: escriba uno.")
        return code
    if not CODE_RE.match(code):
        errors["code"] = _("Use solo letras sin tilde, dígitos, «_», «.» y «-» (hasta 64).")
    elif code in taken:
        errors["code"] = (_("Ya existe una entrada con el código «%(code)s».", code=code) if typed else
                          _("Ya existe el código «%(code)s», derivado de la etiqueta: escriba otro código.",
                            code=code))
    return code


def attempt(action: Callable[[], Any], errors: dict[str, str], fields: dict[str, str] | None = None) -> bool:
    """Run a change; on a validation error put its Spanish message next to its field in ``errors`` (the
    core's field names map to the form's through ``fields``), on another domain error flash it, and
    return ``False``. A change the person
    may not make is a 403, an unknown entry a 404."""
    try:
        action()
    except ValidationError as exc:
        for field, message in exc.errors.items():
            name = (fields or {}).get(field, field)
            errors[name] = sentence(message)
        return False
    except Forbidden:
        abort(403)
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(error_message(exc), "error")
        return False
    return True


def sentence(message: str) -> str:
    """A core message fragment («es obligatorio») as a sentence («Es obligatorio.»)."""
    message = message.strip()
    if not message:
        return message
    message = first_upper(message)
    return message if message.endswith((".", "?", "!")) else message + "."


def source_label(source: str | None) -> str:
    """Where a catalog entry comes from, as a person reads it."""
    if source == ADMIN_SOURCE:
        return _("Administración")
    if not source:
        return "—"
    if source == "pqrs_core.default_plugin":
        return _("Predeterminado")
    return _("Complemento %(name)s", name=source)


def yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("Sí") if value else _("No")
