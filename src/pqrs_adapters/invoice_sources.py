"""Invoice sources (the ERP) as the application calls them: each call runs in a worker thread with a
deadline, and answers are kept for a while, so that a slow or failing ERP costs a form at most one
timeout and never a filing.

A call that does not answer in time, or fails, is logged and raises ``InvoiceSourceUnavailable``: the
core then lists the invoices of the sources that did answer and keeps the items entered by hand,
without an ERP snapshot («no verificada»). A thread left waiting on a hung ERP finishes on its own (a
daemon thread: it never holds the process at exit); at most ``MAX_THREADS`` of them run per source,
after which calls fail at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pqrs_core.ports_integration import Invoice, InvoiceSource, InvoiceSourceUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_THREADS = 4
MAX_CACHED = 2_000


class TtlCache:
    """Answers by key for ``seconds`` (by ``clock``, a monotonic clock), at most ``size`` of them."""

    def __init__(self, seconds: float, *, size: int = MAX_CACHED,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.size = size
        self._clock = clock
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> tuple[bool, Any]:
        """``(True, value)`` while ``key``'s answer is fresh, else ``(False, None)``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= self._clock():
                self._entries.pop(key, None)
                return False, None
            return True, entry[1]

    def put(self, key: Any, value: Any) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.size:
                now = self._clock()
                self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
                while len(self._entries) >= self.size:
                    self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (self._clock() + self.seconds, value)


class GuardedInvoiceSource:
    """``source`` with a deadline of ``timeout`` seconds per call and its answers cached ``ttl`` seconds
    (an invoice the ERP does not have is cached too)."""

    def __init__(self, source: InvoiceSource, *, timeout: float, ttl: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.name = source.name
        self.timeout = timeout
        self.cache = TtlCache(ttl, clock=clock)
        self._busy = threading.BoundedSemaphore(MAX_THREADS)

    def invoices_for(self, customer_id: str) -> Sequence[Invoice]:
        return self._cached(("customer", customer_id), lambda: tuple(self.source.invoices_for(customer_id)),
                            f"las facturas del cliente {customer_id}")

    def invoice(self, number: str) -> Invoice | None:
        return self._cached(("invoice", number.strip().upper()), lambda: self.source.invoice(number),
                            f"la factura {number}")

    def _cached(self, key: Any, call: Callable[[], T], what: str) -> T:
        fresh, value = self.cache.get(key)
        if fresh:
            return value  # type: ignore[no-any-return]
        answer = self._within_deadline(call, what)
        self.cache.put(key, answer)
        return answer

    def _within_deadline(self, call: Callable[[], T], what: str) -> T:
        if not self._busy.acquire(blocking=False):
            log.warning("invoice source %s: %d calls still waiting, %s not asked", self.name, MAX_THREADS,
                        what)
            raise InvoiceSourceUnavailable(self.name, "demasiadas consultas sin respuesta")

        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(call())
            except BaseException as exc:
                future.set_exception(exc)
            finally:
                self._busy.release()

        threading.Thread(target=run, name=f"invoices-{self.name}", daemon=True).start()
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            log.warning("invoice source %s did not answer within %.1f s asking for %s", self.name,
                        self.timeout, what)
            raise InvoiceSourceUnavailable(self.name, f"no respondió en {self.timeout:g} s") from None
        except InvoiceSourceUnavailable:
            log.warning("invoice source %s unavailable asking for %s", self.name, what, exc_info=True)
            raise
        except Exception as exc:
            log.warning("invoice source %s failed asking for %s", self.name, what, exc_info=True)
            raise InvoiceSourceUnavailable(self.name, type(exc).__name__) from exc


def guard(timeout_ms: int, cache_seconds: int) -> Callable[[InvoiceSource], InvoiceSource]:
    """What ``bootstrap(wrap_invoice_source=...)`` takes: each source guarded with these limits."""
    return lambda source: GuardedInvoiceSource(source, timeout=timeout_ms / 1000, ttl=cache_seconds)
