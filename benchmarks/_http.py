"""A plain HTTP client for the benchmarks that talk to ``pqrs serve``: one new connection per request
(gunicorn's sync workers close them), the bearer token of the API, and the workers' resident size."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

# The case both HTTP benchmarks file through the API.
FILING = {"kind": "reclamo", "subject": "Factura con valor errado",
          "description": "La factura FV-1021 cobra 12 unidades y recibimos 10. Solicito la nota crédito.",
          "channel": "api", "typification": "CAMBIO_Y_DEVOLUCION_SIN_APLICAR",
          "requester": {"full_name": "Marta Gómez", "document_type": "CC", "document_number": "43123456",
                        "email": "marta@example.com"}}


def request(url: str, token: str, body: bytes | None = None) -> tuple[int, bytes]:
    """``(status, body)``; GET without ``body``, JSON POST with it; status 0 when the server is gone."""
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    call = urllib.request.Request(url, data=body, headers=headers, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def resident_mb(pids: list[int]) -> float:
    """The largest resident set size among ``pids``, in MiB (``/proc``)."""
    sizes = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return round(max(sizes), 1) if sizes else 0.0
