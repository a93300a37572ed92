"""Rules: stable codes, rationale, fixes and examples; see :mod:`.registry`."""

from __future__ import annotations

from .registry import CATEGORIES, Example, Rule, all_rules, get_rule, register

__all__ = ["CATEGORIES", "Example", "Rule", "all_rules", "get_rule", "register"]
