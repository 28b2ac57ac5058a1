"""Invoice sources as the application calls them (``pqrs_adapters.invoice_sources``): a deadline per
call, so that a slow or failing ERP is reported as unavailable (and logged) instead of holding the form,
and a cache of its answers for a while."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date
from decimal import Decimal

import pytest

from pqrs_adapters.invoice_sources import MAX_THREADS, GuardedInvoiceSource, TtlCache, guard
from pqrs_core.ports_integration import Invoice, InvoiceLine, InvoiceSourceUnavailable
from pqrs_core.testing import ListInvoiceSource

INVOICES = [Invoice("FE-1", "C-1", date(2026, 2, 2), lines=(InvoiceLine("P-1", Decimal("2")),))]


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_source_slower_than_the_deadline_is_unavailable_and_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    slow = ListInvoiceSource(INVOICES, name="erp_lento", delay=0.5)
    guarded = GuardedInvoiceSource(slow, timeout=0.05, ttl=60)
    with caplog.at_level(logging.WARNING), pytest.raises(InvoiceSourceUnavailable) as refused:
        guarded.invoice("FE-1")
    assert refused.value.source == "erp_lento" and "no respondió en 0.05 s" in refused.value.reason
    assert "erp_lento did not answer within" in caplog.text and "la factura FE-1" in caplog.text


def test_a_failing_source_is_unavailable_with_its_error_logged(caplog: pytest.LogCaptureFixture) -> None:
    guarded = GuardedInvoiceSource(ListInvoiceSource(INVOICES, failing=True), timeout=1, ttl=60)
    with caplog.at_level(logging.WARNING), pytest.raises(InvoiceSourceUnavailable):
        guarded.invoices_for("C-1")
    assert "ConnectionError" in caplog.text and "las facturas del cliente C-1" in caplog.text


def test_answers_are_cached_for_their_time_missing_invoices_too() -> None:
    source = ListInvoiceSource(INVOICES)
    ticks = Ticks()
    guarded = GuardedInvoiceSource(source, timeout=1, ttl=60, clock=ticks)
    assert guarded.invoice("fe-1") == INVOICES[0]
    assert guarded.invoice("FE-1 ") == INVOICES[0] and guarded.invoice("FE-404") is None
    assert guarded.invoice("FE-404") is None and [i.number for i in guarded.invoices_for("C-1")] == ["FE-1"]
    assert source.calls == 3  # FE-1 once, FE-404 once, the customer's list once
    ticks.now += 61
    guarded.invoice("FE-1")
    assert source.calls == 4


def test_a_cache_of_zero_seconds_keeps_nothing_and_a_full_one_drops_the_oldest() -> None:
    ticks = Ticks()
    off = TtlCache(0, clock=ticks)
    off.put("a", 1)
    assert off.get("a") == (False, None)
    small = TtlCache(10, size=2, clock=ticks)
    for key in ("a", "b", "c"):
        small.put(key, key)
    assert small.get("a") == (False, None) and small.get("c") == (True, "c")


def test_the_guard_built_from_the_settings_wraps_a_source_with_their_limits() -> None:
    wrapped = guard(timeout_ms=250, cache_seconds=30)(ListInvoiceSource(INVOICES))
    assert isinstance(wrapped, GuardedInvoiceSource)
    assert (wrapped.name, wrapped.timeout, wrapped.cache.seconds) == ("erp_de_prueba", 0.25, 30)


class HungInvoiceSource(ListInvoiceSource):
    """An ERP that answers nothing until ``release`` is set (a fixed delay ends on a loaded machine
    before the test is done, and frees a thread)."""

    def __init__(self) -> None:
        super().__init__(INVOICES)
        self.release = threading.Event()

    def _answer(self) -> None:
        self.calls += 1
        self.release.wait(timeout=60)


def test_while_every_thread_waits_on_a_hung_erp_further_calls_fail_at_once() -> None:
    hung = HungInvoiceSource()
    guarded = GuardedInvoiceSource(hung, timeout=0.01, ttl=0)
    try:
        for number in range(MAX_THREADS):
            with pytest.raises(InvoiceSourceUnavailable):
                guarded.invoice(f"FE-{number}")
        with pytest.raises(InvoiceSourceUnavailable) as refused:
            guarded.invoice("FE-9")
    finally:
        hung.release.set()
    assert refused.value.reason == "demasiadas consultas sin respuesta"
    for _ in range(500):  # each waiting thread has asked by now, or will within moments
        if hung.calls >= MAX_THREADS:
            break
        time.sleep(0.01)
    assert hung.calls == MAX_THREADS  # the ERP was not asked again
