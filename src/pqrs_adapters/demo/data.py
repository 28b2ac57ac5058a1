"""Texts and names the demo data is made of (Spanish, Colombian), kept apart from the code that plays
them through the use cases (``pqrs_adapters.demo.loader``).

Names, companies and addresses are invented; e-mail addresses use the reserved ``example`` domains so
that nothing is ever delivered to a real person.
"""

from __future__ import annotations

import attrs

from pqrs_core.domain.text import slug

DEMO_PASSWORD = "demo-pqrs-2026"


@attrs.frozen
class DemoUser:
    username: str
    display_name: str
    roles: tuple[str, ...]
    description: str
    job_title: str = ""  # cargo: printed under the person's signature on official letters

    @property
    def email(self) -> str:
        return f"{self.username}@demo.example.co"


DEMO_USERS = (
    DemoUser("ana.agente", "Ana María Gómez", ("agent",), "asesora de servicio al cliente (primer nivel)",
             "Asesora de Servicio al Cliente"),
    DemoUser("bruno.backoffice", "Bruno Restrepo", ("back_office",), "back office (segundo nivel)",
             "Analista de Back Office"),
    DemoUser("valeria.backoffice", "Valeria Ospina", ("back_office",),
             "back office experta en facturación (recibe por habilidades)", "Analista de Facturación"),
    DemoUser("sofia.supervisora", "Sofía Martínez", ("supervisor",), "supervisora: reparte los casos",
             "Coordinadora de Servicio al Cliente"),
    DemoUser("carlos.calidad", "Carlos Ramírez", ("quality",), "asesor de calidad"),
    DemoUser("diana.consultora", "Diana Castaño", ("consultant",), "consultora de la red de ventas"),
    DemoUser("juan.cliente", "Juan Pérez", ("requester",), "cliente con acceso al portal"),
)

# Proportions seen in contact centres: most cases arrive by phone and e-mail.
CHANNEL_WEIGHTS = {
    "phone": 36, "email": 30, "web_form": 12, "chat": 10, "in_person": 6, "physical_document": 3,
    "portal": 3,
}
VERBAL_CHANNELS = frozenset({"phone", "in_person"})
FIRST_CONTACT_CHANNELS = frozenset({"phone", "chat", "in_person"})

FIRST_NAMES_F = (
    "María", "Luz Marina", "Carolina", "Paola", "Andrea", "Diana", "Claudia", "Sandra", "Natalia",
    "Valentina", "Daniela", "Laura", "Catalina", "Gloria", "Yolanda", "Marcela", "Juliana", "Alejandra",
    "Ángela", "Liliana", "Mónica", "Adriana", "Luisa Fernanda", "Sara", "Isabel",
)
FIRST_NAMES_M = (
    "Juan Carlos", "Andrés", "Carlos Alberto", "Jorge", "Luis Fernando", "Santiago", "Sebastián",
    "Diego", "Camilo", "Julián", "Óscar", "Jaime", "Hernán", "Felipe", "Mauricio", "Alejandro",
    "Germán", "Fabio", "Ricardo", "Esteban", "John Jairo", "Wilson", "Nicolás", "Mateo",
)
SURNAMES = (
    "Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez", "Ramírez",
    "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Vargas", "Castro", "Gutiérrez", "Ortiz",
    "Ospina", "Restrepo", "Cardona", "Zapata", "Londoño", "Mejía", "Quintero", "Valencia", "Arango",
    "Salazar", "Montoya", "Suárez", "Cárdenas", "Patiño", "Buitrago", "Osorio", "Henao",
)
COMPANIES = (
    "Distribuciones El Roble S.A.S.", "Comercializadora Andina Ltda.", "Droguería La Esperanza S.A.S.",
    "Almacenes Santa Bárbara S.A.S.", "Tienda Naturista Vida Sana", "Inversiones Cafetal del Quindío S.A.S.",
    "Miscelánea Los Pinos", "Ferretería El Constructor S.A.S.", "Belleza Integral Medellín S.A.S.",
    "Grupo Comercial del Caribe S.A.S.", "Papelería y Variedades Central", "Supermercado La Economía Ltda.",
)
CITIES = (
    "Bogotá", "Bogotá", "Bogotá", "Medellín", "Medellín", "Cali", "Cali", "Barranquilla", "Bucaramanga",
    "Pereira", "Manizales", "Cartagena", "Cúcuta", "Ibagué", "Villavicencio", "Pasto", "Neiva",
    "Santa Marta", "Armenia", "Tunja", "Montería", "Popayán",
)
STREET_KINDS = ("Calle", "Carrera", "Avenida", "Diagonal", "Transversal", "Calle", "Carrera")
EMAIL_DOMAINS = ("example.com", "example.co", "example.net", "example.org")
PRODUCTS = (
    "crema hidratante de 250 ml", "set de ollas antiadherentes", "licuadora de 10 velocidades",
    "perfume floral de 100 ml", "kit de maquillaje", "tenis deportivos talla 38", "termo de acero de 1 litro",
    "juego de sábanas doble", "shampoo anticaspa x 400 ml", "bolso de cuero sintético",
    "vajilla de 20 piezas",
    "base líquida tono medio", "reloj de pulso para dama", "suplemento de colágeno", "cafetera eléctrica",
    "protector solar FPS 50", "chaqueta impermeable talla M", "set de toallas",
)
CONTACT_HOURS = ("en la mañana", "en la tarde", "después de las 5 p. m.", "entre semana")

RESPONSE_OPENINGS = (
    "Cordial saludo, {nombre}. En atención a su solicitud radicada con el número {radicado}, "
    "le informamos que",
    "Respetado(a) {nombre}: en respuesta a su comunicación radicada con el número {radicado},",
    "Estimado(a) {nombre}, reciba un cordial saludo. Sobre el caso {radicado} le informamos que",
)
RESPONSE_CLOSINGS = (
    "Si tiene alguna inquietud adicional, puede comunicarse con nuestra línea de servicio al cliente.",
    "Quedamos atentos a cualquier inquietud adicional. Cordialmente, Servicio al Cliente.",
    "Agradecemos su paciencia y la confianza en nuestra compañía.",
)
WORK_NOTES = (
    "Se consulta el historial del cliente en el ERP: sin casos abiertos relacionados.",
    "Se valida la información del pedido en el sistema y se confirma lo reportado por el cliente.",
    "Se escribe al área de {area} solicitando concepto; quedan de responder en el transcurso del día.",
    "Llamada al cliente para confirmar datos; no contesta, se deja mensaje de voz.",
    "Se revisa la tipificación: corresponde con lo informado por el cliente.",
    "Se adjunta soporte del sistema al expediente y se actualiza la base del supervisor como pendiente.",
    "El área de {area} confirma la novedad; se procede con la respuesta.",
    "Se contacta al cliente, quien confirma que la dirección de entrega es correcta.",
)
AREAS = ("logística", "facturación", "cartera", "calidad", "despachos", "comercial", "sistemas")
INFO_REQUESTS = (
    "Para continuar con el trámite le solicitamos enviar copia de la factura y fotografías del producto.",
    "Le pedimos confirmar la dirección de entrega completa y un teléfono de contacto.",
    "Por favor envíenos el comprobante de pago (consignación o transferencia) con la fecha y el valor.",
    "Requerimos copia de su documento de identidad para validar la titularidad de la cuenta.",
    "Le solicitamos indicar el número de guía que aparece en el empaque recibido.",
)
REQUESTER_REPLIES = (
    "Adjunto lo solicitado; quedo atento a la respuesta.",
    "Envío las fotografías y la copia de la factura por este medio.",
    "La dirección correcta es la que aparece en mi cuenta; mi celular es el mismo registrado.",
    "Adjunto el comprobante de la transferencia realizada.",
    "Ya envié el documento por correo electrónico, por favor confirmar recibido.",
)
COUNTER_RESPONSES = (
    "No estoy de acuerdo con la respuesta: el problema continúa y nadie me ha contactado.",
    "La solución ofrecida no me sirve, solicito que revisen nuevamente mi caso.",
    "Recibí la respuesta pero el reembolso todavía no se ve reflejado en mi cuenta.",
)
# Root causes of the resolved quejas and reclamos, weighted so that the Pareto shows a few vital ones.
CAUSE_WEIGHTS = {"METODO": 34, "MANO_DE_OBRA": 22, "MATERIAL": 16, "MAQUINA": 12, "MEDICION": 9,
                 "MEDIO_AMBIENTE": 7}
CORRECTIVE_ACTIONS = {
    "METODO": ("Actualizar el procedimiento de despachos y divulgarlo al equipo.",
               "Ajustar el instructivo de devoluciones para que incluya la nota crédito."),
    "MANO_DE_OBRA": ("Capacitar al equipo de primer nivel en la tipificación de reclamos.",
                     "Reforzar el protocolo de llamada de confirmación con los asesores nuevos."),
    "MATERIAL": ("Cambiar el empaque de los productos frágiles por uno con refuerzo.",
                 "Revisar con el proveedor los lotes con defectos reportados."),
    "MAQUINA": ("Corregir la integración de facturación que duplica cobros.",
                "Reparar el lector de códigos de la bodega de Medellín."),
    "MEDICION": ("Revisar el indicador de tiempos de entrega del transportador.",),
    "MEDIO_AMBIENTE": ("Acordar rutas alternas con el transportador en temporada de lluvias.",),
}
SURVEY_COMMENTS = {
    5: ("Muy rápidos y amables, gracias.", "Excelente atención, me resolvieron todo en una llamada.", ""),
    4: ("Buena respuesta, aunque tardó un poco.", "Me explicaron bien lo que pasó.", ""),
    3: ("La respuesta llegó, pero tuve que llamar dos veces.", ""),
    2: ("La solución no fue completa; sigo esperando el reembolso.", "Demasiado tiempo para una respuesta."),
    1: ("Nadie me llamó y la respuesta no resuelve el problema.",),
}
QUALITY_NOTES = (
    "Revisión de calidad: la respuesta es clara, oportuna y está bien tipificada.",
    "Revisión de calidad: respuesta adecuada; se sugiere citar el número de factura en la carta.",
    "Revisión de calidad: se resolvió dentro del término; tipificación correcta.",
    "Revisión de calidad: la respuesta cumple, pero el registro de trabajo está incompleto.",
)
RETURN_REASONS = (
    "La tipificación no corresponde con lo que pide el cliente; por favor re-tipificar.",
    "El motivo registrado no coincide con la descripción del caso; revisar y reenviar.",
)


@attrs.frozen
class Topic:
    """One row of the typification table with the texts cases of that kind are made of.

    ``cases`` holds ``(subject, description, kind)`` triples; an empty kind means any of ``kinds``.
    """

    label: str
    kinds: tuple[str, ...]
    weight: int
    cases: tuple[tuple[str, str, str], ...]
    solutions: tuple[str, ...]
    reason: str | None = None
    reference: str | None = None  # "invoice" or "order"

    @property
    def code(self) -> str:
        return slug(self.label)


TOPICS = (
    Topic("Cambio y devolución sin aplicar", ("reclamo",), 5, (
        ("Devolución aprobada no aplicada en la cuenta",
         "El cliente indica que el {fecha} se aprobó la devolución del {producto} del pedido {pedido} por "
         "{valor} y a la fecha no lo ve aplicado en su cuenta corriente.", ""),
        ("No se ve reflejado el cambio del producto",
         "Manifiesta que entregó el {producto} para cambio hace {dias} días y el saldo a favor no aparece en "
         "el estado de cuenta.", ""),
    ), ("la devolución fue aplicada a su cuenta corriente por {valor}; el saldo ya se refleja en su estado "
        "de cuenta.",), reference="order"),
    Topic("Solicitud de cambios y devoluciones", ("peticion", "reclamo"), 7, (
        ("Solicitud de cambio de producto",
         "El cliente desea cambiar el {producto} recibido en el pedido {pedido} porque no es lo que "
         "esperaba. Conserva el empaque original.", "peticion"),
        ("Solicita devolución de producto defectuoso",
         "Solicita la devolución del {producto} de la factura {factura}; indica que llegó con defectos de "
         "fábrica.", "reclamo"),
    ), ("se autorizó el cambio; la transportadora recogerá el producto en la dirección registrada en los "
        "próximos {dias} días hábiles.",
        "se aprobó la devolución y el valor de {valor} quedará como saldo a favor en su cuenta."),
        reason="CALIDAD_PRODUCTO_NACIONES", reference="order"),
    Topic("Derecho de petición", ("peticion",), 4, (
        ("Derecho de petición: copia de contrato y facturas",
         "En ejercicio del derecho de petición (artículo 23 de la Constitución Política) solicito copia del "
         "contrato y de las facturas de los últimos seis meses.", ""),
        ("Derecho de petición por falta de respuesta",
         "Presento derecho de petición porque radiqué una queja el {fecha} y no he recibido respuesta "
         "oportuna ni de fondo.", ""),
    ), ("adjuntamos copia del contrato y de las facturas solicitadas, dentro del término legal.",
        "revisamos su solicitud anterior y le damos respuesta de fondo en el presente comunicado.")),
    Topic("Error en liquidación de la factura", ("reclamo",), 8, (
        ("Descuento no aplicado en la factura",
         "La factura {factura} presenta un valor de {valor}, superior al acordado; el descuento del catálogo "
         "no fue aplicado.", ""),
        ("Cobro doble en la factura",
         "El cliente reporta que en la factura {factura} le cobraron dos veces el {producto}.", ""),
    ), ("se verificó un error en la liquidación de la factura {factura}; se emitió nota crédito por {valor}.",
        "la factura está correctamente liquidada según las condiciones comerciales vigentes; adjuntamos el "
        "detalle del cálculo."), reference="invoice"),
    Topic("Fraude suplantación de identidad", ("denuncia", "reclamo"), 2, (
        ("Pedidos a mi nombre que no realicé",
         "El cliente denuncia que se están realizando pedidos con su documento desde {ciudad} sin su "
         "autorización; el último es el pedido {pedido}.", "denuncia"),
        ("Posible suplantación de identidad",
         "Reporta que alguien usa sus datos para hacer compras; pide bloquear la cuenta.", "reclamo"),
    ), ("se bloqueó la cuenta preventivamente y se anularon los pedidos no reconocidos; el caso fue remitido "
        "al área de seguridad.",)),
    Topic("Mayor flete cobrado", ("reclamo",), 4, (
        ("Cobro de flete superior al pactado",
         "En la factura {factura} se cobró un flete de {valor}, cuando el pactado para {ciudad} es "
         "menor.", ""),
    ), ("se reconoce la diferencia en el flete y se aplicó el ajuste en su próxima factura.",
        "el flete cobrado corresponde a la tarifa vigente para {ciudad}; adjuntamos la tabla de tarifas."),
        reference="invoice"),
    Topic("Cliente no hizo pedido", ("reclamo",), 3, (
        ("Me llegó un pedido que no hice",
         "El cliente manifiesta que recibió el pedido {pedido} que él no realizó y solicita que se "
         "recoja.", ""),
    ), ("se programó la recolección del pedido {pedido} y se anuló la factura asociada.",),
        reference="order"),
    Topic("Pago sin identificar", ("peticion",), 3, (
        ("Consignación sin aplicar a la cuenta",
         "Realizó una consignación por {valor} el {fecha} y el pago no aparece aplicado a su cuenta.", ""),
    ), ("se identificó el pago por {valor} y quedó aplicado a su cuenta con la fecha de la consignación.",)),
    Topic("Pedido no recibido", ("reclamo", "queja"), 14, (
        ("Pedido no ha llegado",
         "El cliente indica que hizo el pedido {pedido} el {fecha} y a la fecha no le ha llegado a {ciudad}. "
         "La guía {guia} no muestra movimiento.", "reclamo"),
        ("Pedido retrasado más de lo prometido",
         "Manifiesta que le prometieron la entrega en {dias} días y el pedido {pedido} no ha sido entregado; "
         "está inconforme con la demora.", "queja"),
    ), ("la transportadora confirmó la entrega del pedido {pedido} con la guía {guia}; adjuntamos la prueba "
        "de entrega.",
        "el pedido {pedido} fue reprogramado y será entregado en los próximos {dias} días hábiles."),
        reason="PEDIDO_NO_ENTREGADO", reference="order"),
    Topic("Pedido recibido sin solicitarlo", ("reclamo",), 2, (
        ("Recibí productos que no pedí",
         "Le llegaron productos del pedido {pedido} que no solicitó; pide instrucciones para "
         "devolverlos.", ""),
    ), ("se programó la recolección y no se generará ningún cobro por ese pedido.",), reference="order"),
    Topic("Productos recibidos diferente a lo solicitado", ("reclamo",), 7, (
        ("Llegó otra referencia del producto",
         "Pidió {producto} y en el pedido {pedido} le llegó otra referencia.", ""),
        ("Pedido incompleto",
         "El pedido {pedido} llegó incompleto: falta el {producto}.", ""),
    ), ("se despachó el producto correcto sin costo adicional; llegará en {dias} días hábiles.",
        "se envía el producto faltante y se aplicó un bono por las molestias ocasionadas."),
        reason="ENTREGA_NO_COINCIDE_CON_LO_PEDIDO", reference="order"),
    Topic("Queja de calidad", ("queja", "reclamo"), 9, (
        ("Producto defectuoso",
         "El {producto} dejó de funcionar a los {dias} días de uso; el cliente solicita reposición.",
         "reclamo"),
        ("Reacción con un producto cosmético",
         "La clienta indica que la crema hidratante le causó irritación y pide información sobre los "
         "componentes.", "queja"),
    ), ("el área de calidad analizó el producto y se autorizó la reposición sin costo.",
        "adjuntamos la ficha técnica del producto; el lote cumple con los controles de calidad."),
        reason="CALIDAD_PRODUCTO_IMPORTADO"),
    Topic("Queja de entrega de pedidos", ("queja",), 8, (
        ("Dejaron el pedido en portería sin avisar",
         "El cliente se queja porque el mensajero dejó el pedido {pedido} en la portería sin avisar.", ""),
        ("Caja maltratada en la entrega",
         "El pedido {pedido} llegó con la caja abierta y maltratada.", ""),
    ), ("se retroalimentó a la transportadora sobre el procedimiento de entrega; ofrecemos disculpas.",),
        reason="PEDIDO_INCOMPLETO", reference="order"),
    Topic("Queja de funcionario de agencia de cobranza", ("queja",), 3, (
        ("Llamadas de cobro a deshoras",
         "La clienta manifiesta que la agencia de cobranza la llama {horario} y en tono irrespetuoso por una "
         "deuda de {valor}.", ""),
    ), ("se reportó la situación a la agencia de cobranza y se ajustaron los horarios de contacto.",)),
    Topic("Queja de funcionario de la compañía", ("queja",), 4, (
        ("Mala atención en punto de venta",
         "El cliente se queja de la atención recibida en el punto de {ciudad}: no le resolvieron su "
         "solicitud y lo trataron de mala manera.", ""),
    ), ("ofrecemos disculpas; el caso se trató con el funcionario y su jefe inmediato.",),
        reason="SERVICIO_DEL_EJECUTIVO"),
    Topic("Reclamo producto facturado y no enviado", ("reclamo",), 5, (
        ("Cobro de producto no recibido",
         "En la factura {factura} aparece el {producto} por {valor}, pero no llegó con el pedido.", ""),
    ), ("se confirmó el faltante y se emitió nota crédito por {valor}.",),
        reason="PEDIDO_INCOMPLETO", reference="invoice"),
    Topic("Reclamo proceso de facturación", ("reclamo", "peticion"), 4, (
        ("No me ha llegado la factura electrónica",
         "El cliente no ha recibido la factura electrónica {factura} en su correo.", "peticion"),
        ("Factura con datos errados",
         "La factura {factura} salió con el NIT errado; solicita refacturar.", "reclamo"),
    ), ("se reenvió la factura electrónica al correo registrado.",
        "se anuló la factura y se expidió una nueva con los datos correctos."), reference="invoice"),
    Topic("Solicitud actualización de datos", ("peticion",), 6, (
        ("Actualización de dirección", "Solicita actualizar su dirección de residencia a {direccion}.", ""),
        ("Cambio de correo electrónico registrado",
         "Pide cambiar el correo registrado porque ya no tiene acceso al anterior.", ""),
    ), ("los datos fueron actualizados en nuestro sistema.",)),
    Topic("Solicitud paz y salvo y referencia comerciales", ("peticion",), 4, (
        ("Solicitud de paz y salvo",
         "Solicita un paz y salvo para presentarlo en una entidad financiera.", ""),
        ("Solicitud de referencia comercial",
         "Requiere una referencia comercial con destino a un proveedor.", ""),
    ), ("adjuntamos el documento solicitado.",)),
    Topic("Solicitud posible nuevo cliente", ("peticion",), 3, (
        ("Interesada en ser distribuidora",
         "La persona quiere vincularse como distribuidora en {ciudad} y pide información de "
         "condiciones.", ""),
    ), ("un asesor comercial se comunicará para explicarle las condiciones de vinculación.",)),
    Topic("Dificultades con pedidos", ("peticion", "queja"), 6, (
        ("Error al montar el pedido en la página",
         "La consultora indica que al montar el pedido en la página sale un error y no deja finalizar.",
         "queja"),
        ("El sistema no acepta un producto del catálogo",
         "El sistema no le permite agregar el {producto} al pedido aunque aparece en el catálogo.",
         "peticion"),
    ), ("el inconveniente fue corregido por el área de sistemas; ya puede montar su pedido.",
        "tomamos el pedido por la línea telefónica y quedó registrado con el número {pedido}."),
        reason="SERVICIO_DEL_EJECUTIVO"),
    Topic("Sugerencia y/o felicitaciones", ("sugerencia", "felicitacion"), 5, (
        ("Felicitación por la atención",
         "Quiero felicitar a la asesora que me atendió: fue muy amable y resolvió todo en una llamada.",
         "felicitacion"),
        ("Sugerencia para el catálogo",
         "Sugiero que el catálogo traiga las tallas disponibles de cada producto.", "sugerencia"),
        ("Sugerencia sobre horarios de entrega",
         "Sería útil poder escoger la franja horaria de entrega.", "sugerencia"),
    ), ("agradecemos su mensaje; lo compartimos con el equipo.",
        "agradecemos su sugerencia; fue remitida al área encargada para su análisis.")),
)
