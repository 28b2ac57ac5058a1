"""Write a small plugin — a case kind and its custom fields — register it for one ``Pqrs`` instance
only, and file a case that uses it.

    PYTHONPATH=src python examples/custom_plugin.py

An installed plugin declares itself in its ``pyproject.toml`` instead
(``[project.entry-points.pqrs] tutela = "my_package.plugin"``); see docs/plugins.md.
"""

from pqrs_core import (
    Actor,
    CatalogEntry,
    FieldDefinition,
    FieldType,
    FileCase,
    ValidationError,
    hookimpl,
    in_memory,
)


class TutelaPlugin:
    """Adds the kind «Acción de tutela» and the court that notified it."""

    @hookimpl
    def pqrs_register_case_kinds(self, register):
        register(CatalogEntry("tutela", "Acción de tutela",
                              "Acción constitucional para la protección de derechos fundamentales."))

    @hookimpl
    def pqrs_register_field_definitions(self, register):
        register(FieldDefinition("juzgado", "Juzgado que notifica", FieldType.TEXT, required=True,
                                 kinds=("tutela",)))
        register(FieldDefinition("fecha_notificacion", "Fecha de notificación", FieldType.DATE,
                                 kinds=("tutela",)))


def new_pqrs(*plugins):
    return in_memory(plugins=plugins, load_entry_points=False)


agent = Actor("ana", frozenset({"agent"}))
pqrs = new_pqrs(TutelaPlugin())
case = pqrs.handle(FileCase(
    kind="tutela", subject="Tutela por derecho de petición sin respuesta",
    description="El juzgado ordena responder en 48 horas la petición del 2 de febrero.",
    custom_fields={"juzgado": "Juzgado 12 Civil Municipal de Bogotá", "fecha_notificacion": "2026-03-02"},
), agent)
print(f"Radicado {case.filing_number}: tipo «{case.kind}», flujo «{case.workflow}», estado «{case.state}»")
for code, value in case.custom_fields.items():
    label = next(d.label for d in pqrs.catalog().fields if d.code == code)
    print(f"  {label}: {value}")

try:
    pqrs.handle(FileCase(kind="tutela", subject="Tutela", description="Sin juzgado"), agent)
except ValidationError as error:
    print(f"Sin el juzgado no se radica: {error}")

try:
    new_pqrs().handle(FileCase(kind="tutela", subject="Tutela", description="Otra instancia"), agent)
except ValidationError as error:
    print(f"Otra instancia, sin el plugin: {error}")
