"""``pqrs customers``: search the customer directories the plugins install (``find``) and show a
customer's 360° view (``show``) (registered on ``pqrs`` by ``pqrs_adapters.cli``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .support import fail, friendly_errors, get_config, open_engine, table

if TYPE_CHECKING:
    from ..customer_profile import CustomerProfile
    from ..presentation import Labels

FIND_LIMIT = 20


@click.group(help="Clientes: buscar en los directorios de clientes y ver la vista 360° de uno.")
def customers() -> None:
    pass


@customers.command("find", help="Busca clientes por nombre, documento, correo o código en los directorios "
                                "de clientes que instalan los plugins.")
@click.argument("text")
@click.option("--limit", default=FIND_LIMIT, show_default=True, type=click.IntRange(1, 200),
              help="Cuántos clientes traer de cada directorio.")
@click.pass_context
@friendly_errors
def find(ctx: click.Context, text: str, limit: int) -> None:
    from pqrs_core.services.customers import customers_of

    from ..wiring import build_pqrs

    config = get_config(ctx)
    with open_engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
    directories = customers_of(pqrs.registrations)
    if not directories.configured:
        fail("no hay directorios de clientes instalados (plugins con «pqrs_customer_directories»).")
    found = directories.find(text, limit=limit)
    for name in found.unavailable:
        click.secho(f"El directorio «{name}» no respondió.", fg="yellow", err=True)
    if not found.customers:
        click.echo("Ningún cliente coincide.")
        return
    rows = [(f.customer.customer_id, f.customer.name,
             " ".join(v for v in (f.customer.document_type, f.customer.document_number) if v) or "—",
             f.customer.email or "—", f.directory) for f in found.customers]
    click.echo(table(("Código", "Nombre", "Documento", "Correo", "Directorio"), rows))
    click.echo(f"{len(rows)} clientes.")


@customers.command("show", help="Muestra la vista 360° de un cliente: datos de contacto y comerciales, "
                                "casos, facturas, encuestas y autorizaciones. ID es su número de documento "
                                "o su código de cliente.")
@click.argument("customer")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, customer: str) -> None:
    from pqrs_core.services.customers import customers_of

    from ..customer_profile import find_profile
    from ..presentation import Labels
    from ..wiring import build_pqrs

    config = get_config(ctx)
    with open_engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        directories = customers_of(pqrs.registrations)
        profile = find_profile(pqrs, engine, None, customer, staff=True, customers=directories)
        labels = Labels(pqrs.catalog(), config.timezone)
    if profile is None:
        fail(f"no se sabe de un cliente con el documento o el código «{customer}».")
    for line in profile_lines(profile, labels):
        click.echo(line)


def profile_lines(profile: CustomerProfile, labels: Labels) -> list[str]:
    """The 360° view as ``pqrs customers show`` prints it."""
    person = profile.contact
    document = " ".join(v for v in (person.document_type, person.document_number or profile.document) if v)
    lines = [person.display_name, f"  Documento: {document}"]
    lines += [f"  {label}: {value}" for label, value in (
        ("Código de cliente", profile.customer_id),
        ("Directorio", profile.customer.directory if profile.customer else None),
        ("Correo", person.email), ("Teléfono", person.phone), ("Dirección", person.address),
        ("Sucursales", ", ".join(profile.branches))) if value]
    lines += [f"  {name}: no respondió" for name in (*profile.unavailable, *profile.invoices.unavailable)]
    if profile.commercial:
        lines += ["", "Datos comerciales:", *(f"  {label}: {value}" for label, value in profile.commercial)]
    lines += ["", f"Casos ({profile.total}):"]
    lines += [f"  {c.filing_number}  {labels.local(c.filed_at)}  {labels.state(c)}  "
              f"vence {labels.local(c.resolution_due) if c.resolution_due else '—'}  {c.subject}"
              for c in profile.cases] or ["  ninguno"]
    lines += ["", "Facturas:"]
    lines += [f"  {i.number}  {i.issued_on.strftime('%d/%m/%Y')}  pedido {i.order_number or '—'}  "
              f"{len(i.lines)} ítems" for i in profile.invoices.invoices] or ["  ninguna"]
    lines += ["", "Encuestas:"]
    lines += [f"  {s.filing_number}  {s.answer.score} de 5  {labels.local(s.answer.answered_at)}"
              f"{'  ' + s.answer.comment if s.answer.comment else ''}"
              for s in profile.surveys] or ["  ninguna"]
    lines += ["", "Autorizaciones de datos:"]
    lines += [f"  {c.filing_number}  aviso {c.consent.notice_version}  {labels.local(c.consent.given_at)}  "
              f"{labels.channel(c.consent.channel)}" for c in profile.consents] or ["  ninguna"]
    return lines
