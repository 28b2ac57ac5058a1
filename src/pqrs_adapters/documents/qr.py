"""QR codes for printed documents (segno: pure Python)."""

from __future__ import annotations

import base64
import io

import segno


def qr_png(payload: str, *, scale: int = 4) -> bytes:
    """``payload`` as a QR code in PNG (error correction M, a quiet zone of four modules)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_data_url(payload: str) -> str:
    """``payload``'s QR code as a ``data:`` address, for an ``<img>`` in a letter's template."""
    return "data:image/png;base64," + base64.b64encode(qr_png(payload)).decode("ascii")
