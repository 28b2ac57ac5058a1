"""Fixed windows for rate limits, aligned on the epoch so that every process on every host cuts time
the same way (a count kept in the store then means the same thing to all of them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Stores delete old counts after two days: a longer window would lose its count before it ends.
MAX_WINDOW = timedelta(days=1)


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the window ``now`` falls in."""
    if window <= timedelta(0) or window > MAX_WINDOW:
        raise ValueError("a rate-limit window lasts more than nothing and at most a day")
    elapsed = now.astimezone(UTC) - _EPOCH
    return _EPOCH + (elapsed // window) * window


def window_end(now: datetime, window: timedelta) -> datetime:
    """When the window ``now`` falls in ends (attempts are allowed again)."""
    return window_start(now, window) + window
