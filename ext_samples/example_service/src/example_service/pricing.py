"""Quotes for a basket; the exchange rates are loaded once, on first use."""

from __future__ import annotations

import time

_rates: dict[str, float] = {}


def _load_rates() -> dict[str, float]:
    time.sleep(0.01)  # stands for a database round trip
    return {"EUR": 1.0, "USD": 1.08, "GBP": 0.86}


def rate(currency: str) -> float:
    # Check-then-act on module state: two threads can both see it empty and load twice.
    if not _rates:
        _rates.update(_load_rates())
    return _rates[currency]


def quote(prices: list[float], currency: str) -> float:
    from . import _stats

    started = time.perf_counter()
    total = sum(prices) * rate(currency)
    _stats.record(time.perf_counter() - started)
    return total
