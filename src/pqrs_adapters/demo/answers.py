"""The demo's canned answers (one of them a macro) and knowledge-base articles, tied to the demo's
typifications (the default table of seed 003). Loaded once: an existing title or address is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from pqrs_core.domain.answers import AnswerDraft, MacroActions
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.knowledge import ArticleDraft

from ..sqlalchemy.answer_store import create_answer, list_answers
from ..sqlalchemy.kb_store import create_article, find_article

_SIGN = "\n\nCordialmente,\n{{ agente.nombre }}\nServicio al cliente · {{ organizacion.nombre }}"

ANSWERS: tuple[AnswerDraft, ...] = (
    AnswerDraft(
        title="Devolución aprobada + cerrar",
        typifications=("CAMBIOS_Y_DEVOLUCIONES",),
        kinds=("peticion", "reclamo"),
        macro=MacroActions(priority="media", transition="close"),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nRevisamos su solicitud {{ radicado }} y "
              "aprobamos la devolución. Aplicaremos la nota crédito a su cuenta dentro de los cinco (5) "
              "días hábiles siguientes y la verá reflejada en su próximo estado de cuenta."
              + _SIGN),
    ),
    AnswerDraft(
        title="Devolución en revisión: faltan soportes",
        typifications=("CAMBIOS_Y_DEVOLUCIONES",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nPara continuar con la devolución del caso {{ "
              "radicado }} necesitamos una foto del producto, el número de la factura y la guía de "
              "entrega. Puede responder a este correo con los documentos."
              + _SIGN),
    ),
    AnswerDraft(
        title="Cambio de producto programado",
        typifications=("SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nProgramamos el cambio del producto de su "
              "solicitud {{ radicado }}. La transportadora recogerá el producto y entregará el reemplazo "
              "en la misma visita; le avisaremos la fecha por correo."
              + _SIGN),
    ),
    AnswerDraft(
        title="Factura corregida",
        typifications=("ERROR_EN_LIQUIDACION_DE_LA_FACTURA", "RECLAMO_PROCESO_DE_FACTURACION"),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nConfirmamos el error en la liquidación de su "
              "factura. Anulamos el documento y emitimos una factura corregida, que encontrará adjunta; "
              "el saldo a pagar se ajustó en consecuencia."
              + _SIGN),
    ),
    AnswerDraft(
        title="Flete cobrado de más: reintegro",
        typifications=("MAYOR_FLETE_COBRADO",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nVerificamos que en su pedido se cobró un flete "
              "mayor al pactado. Reintegraremos la diferencia mediante nota crédito en los próximos cinco "
              "(5) días hábiles. Caso {{ radicado }}."
              + _SIGN),
    ),
    AnswerDraft(
        title="Pedido en camino",
        typifications=("PEDIDO_NO_RECIBIDO", "QUEJA_DE_ENTREGA_DE_PEDIDOS"),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nSu pedido está en tránsito con la "
              "transportadora. La entrega quedó programada y le enviaremos la guía para que pueda "
              "seguirla. Si no lo recibe antes del {{ vence }}, responda a este correo citando el "
              "radicado {{ radicado }}."
              + _SIGN),
    ),
    AnswerDraft(
        title="Producto diferente: reposición",
        typifications=("PRODUCTOS_RECIBIDOS_DIFERENTE_A_LO_SOLICITADO",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nLamentamos el error en su despacho. Recogeremos "
              "el producto equivocado sin costo y le enviaremos el que solicitó."
              + _SIGN),
    ),
    AnswerDraft(
        title="Queja de calidad recibida",
        typifications=("QUEJA_DE_CALIDAD",),
        kinds=("queja",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nGracias por contarnos su experiencia. "
              "Trasladamos su queja {{ radicado }} al área de calidad, que revisará el lote del producto; "
              "le responderemos a más tardar el {{ vence }}."
              + _SIGN),
    ),
    AnswerDraft(
        title="Paz y salvo emitido",
        typifications=("SOLICITUD_PAZ_Y_SALVO_Y_REFERENCIA_COMERCIALES",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nAdjuntamos el paz y salvo solicitado en el caso "
              "{{ radicado }}, con fecha {{ hoy }}."
              + _SIGN),
    ),
    AnswerDraft(
        title="Datos actualizados",
        typifications=("SOLICITUD_ACTUALIZACION_DE_DATOS",),
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nActualizamos sus datos de contacto como lo "
              "solicitó. Desde hoy le escribiremos a {{ peticionario.correo }}."
              + _SIGN),
    ),
    AnswerDraft(
        title="Solicitud de información adicional",
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nPara dar trámite a su solicitud {{ radicado }} "
              "necesitamos que nos envíe: (describa aquí lo que falta). Mientras tanto el término de "
              "respuesta queda suspendido, como lo prevé el artículo 17 de la Ley 1755 de 2015."
              + _SIGN),
    ),
    AnswerDraft(
        title="Acuse de recibo y fecha de respuesta",
        body=("Estimado(a) {{ peticionario.nombre }}:\n\nRecibimos su {{ tipo|lower }} «{{ asunto }}», "
              "radicada con el número {{ radicado }} el {{ radicado_el }}. Le responderemos a más tardar "
              "el {{ vence }}."
              + _SIGN),
    ),
)

ARTICLES: tuple[ArticleDraft, ...] = (
    ArticleDraft(
        title="¿Cómo solicito una devolución?",
        public=True,
        typifications=("CAMBIOS_Y_DEVOLUCIONES",),
        summary="Plazos, requisitos y cómo se reintegra el dinero.",
        body=("Puede pedir la devolución de un producto dentro de los **30 días** siguientes a la "
              "entrega.\n\n## Requisitos\n\n- La factura o el número del pedido.\n- El producto sin uso y "
              "con su empaque.\n- Una foto si llegó averiado.\n\n## ¿Cómo se reintegra?\n\nCon una nota "
              "crédito a su cuenta, dentro de los cinco días hábiles siguientes a la aprobación."),
    ),
    ArticleDraft(
        title="¿Cuánto tarda la respuesta a mi PQRS?",
        public=True,
        typifications=("DERECHO_DE_PETICION",),
        summary="Los términos de respuesta según el tipo de solicitud.",
        body=("Respondemos las peticiones dentro de los **15 días hábiles** siguientes a su radicación "
              "(Ley 1755 de 2015, artículo 14). Las solicitudes de documentos e información, dentro de "
              "**10 días hábiles**, y las consultas, dentro de **30**.\n\nSi necesitamos más tiempo le "
              "avisaremos antes del vencimiento, con la razón y la nueva fecha."),
    ),
    ArticleDraft(
        title="Mi factura tiene un error",
        public=True,
        typifications=("ERROR_EN_LIQUIDACION_DE_LA_FACTURA", "RECLAMO_PROCESO_DE_FACTURACION"),
        summary="Qué revisar y cómo pedir la corrección.",
        body=("Revise el número de unidades, el precio pactado y los descuentos. Si encuentra un error, "
              "radique un **reclamo** con el número de la factura: la anulamos y emitimos una nueva."),
    ),
    ArticleDraft(
        title="Mi pedido no ha llegado",
        public=True,
        typifications=("PEDIDO_NO_RECIBIDO", "QUEJA_DE_ENTREGA_DE_PEDIDOS"),
        summary="Cómo seguir el envío y cuándo reclamar.",
        body=("Los pedidos llegan en **2 a 5 días hábiles** según la ciudad. Con el número de guía que le "
              "enviamos por correo puede seguir el envío en la página de la transportadora.\n\nSi pasó el "
              "plazo, radique un reclamo con el número del pedido."),
    ),
    ArticleDraft(
        title="¿Cómo pido un paz y salvo o una referencia comercial?",
        public=True,
        typifications=("SOLICITUD_PAZ_Y_SALVO_Y_REFERENCIA_COMERCIALES",),
        summary="Se expide en tres días hábiles si su cuenta está al día.",
        body=("Radique una **petición** indicando el NIT o el documento del titular de la cuenta. Si no "
              "hay saldos pendientes, lo enviamos firmado en formato PDF en tres días hábiles."),
    ),
    ArticleDraft(
        title="Actualizar mis datos de contacto",
        public=True,
        typifications=("SOLICITUD_ACTUALIZACION_DE_DATOS",),
        summary="Correo, teléfono o dirección de entrega.",
        body=("Radique una petición con los datos nuevos. Por seguridad, el cambio de correo se confirma "
              "escribiendo a la dirección anterior."),
    ),
    ArticleDraft(
        title="Recibí un producto diferente al que pedí",
        public=True,
        typifications=("PRODUCTOS_RECIBIDOS_DIFERENTE_A_LO_SOLICITADO",),
        summary="Lo recogemos sin costo y le enviamos el correcto.",
        body=("No abra ni use el producto equivocado. Radique un reclamo con una foto de la etiqueta y el "
              "número del pedido: programamos la recogida y el envío del correcto sin costo."),
    ),
    ArticleDraft(
        title="Procedimiento interno: aprobación de notas crédito",
        public=False,
        typifications=("CAMBIOS_Y_DEVOLUCIONES", "MAYOR_FLETE_COBRADO"),
        summary="Montos que aprueba cada nivel.",
        body=("| Monto | Aprueba |\n|---|---|\n| Hasta $500.000 | Back office |\n| Hasta $5.000.000 | "
              "Supervisor |\n| Más | Jefe financiero |\n\nAdjunte siempre la factura y el soporte del "
              "cliente al caso antes de aprobar."),
    ),
    ArticleDraft(
        title="Procedimiento interno: sospecha de suplantación",
        public=False,
        typifications=("FRAUDE_SUPLANTACION_DE_IDENTIDAD",),
        summary="Qué hacer antes de responder.",
        body=("1. Bloquee el crédito del cliente en el ERP.\n2. Pida al peticionario copia del documento "
              "y del denuncio.\n3. Escale el caso a especialistas; **no** confirme datos personales por "
              "teléfono."),
    ),
)


def load_demo_answers(engine: Engine, catalog: Catalog, now: datetime) -> tuple[int, int]:
    """Store the demo's answers and articles that are not there yet; ``(answers, articles)`` added."""
    titles = {a.title for a in list_answers(engine)}
    answers = 0
    for draft in ANSWERS:
        if draft.title not in titles:
            create_answer(engine, draft.validated(catalog), now, actor=None)
            answers += 1
    articles = 0
    for article in ARTICLES:
        valid = article.validated(catalog)
        if find_article(engine, valid.slug) is None:
            create_article(engine, valid, now, actor=None)
            articles += 1
    return answers, articles
