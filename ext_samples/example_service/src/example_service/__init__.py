"""Pricing service: quotes with request statistics kept by the C extension _stats."""

from __future__ import annotations

from .pricing import quote

__all__ = ["quote"]
