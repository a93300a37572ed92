"""The rule registry: every check ftaudit makes is a rule with a stable code.

A rule is a class (Fixit's shape): its code, name, category and severity, a one-line
summary, the reason it matters without the GIL (the docstring), the recommended fix,
and VALID / INVALID examples that the test suite runs, so the documentation and the
tests are the same text.

Codes never change meaning and are never reused (users put them in configuration and
suppression comments for years). Prefixes:

* ``FTB`` - extension binaries (ELF), read without importing
* ``FTC`` - C, C++ and Cython sources (also pybind11 / PyO3 declarations)
* ``FTP`` - Python sources
* ``FTR`` - runtime: the thread hammer harness and ThreadSanitizer
* ``FTE`` - the environment and interpreter as a whole (CI gate guards)
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass
from typing import ClassVar

from ..model.finding import Finding, Location, Severity

CATEGORIES = {
    "binary": "FTB",
    "c-source": "FTC",
    "python-source": "FTP",
    "runtime": "FTR",
    "environment": "FTE",
}
# Subpackages of auditor.rules whose modules define rules; imported on first use.
_RULE_PACKAGES = ["binary", "c_source", "python_source", "runtime", "environment"]
_CODE_PATTERN = re.compile(r"^FT[BCPRE]\d{3}$")


@dataclass(frozen=True)
class Example:
    """A snippet that a rule must flag (INVALID) or leave alone (VALID).

    ``language`` tells the test runner how to check it: "c", "cpp", "cython", "python",
    or "rust" for source rules; binary rules use "c"/"cpp" sources compiled into an
    extension; runtime rules may use "sample" (a path under ext_samples/).
    ``expected_fix`` is what ``ftaudit fix`` should turn an invalid example into, when
    the rule has a mechanical fix.
    """

    code: str
    language: str = "c"
    note: str = ""
    expected_fix: str | None = None
    filename: str | None = None  # e.g. "setup.py", "_module.pyx", "lib.rs" when it matters


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, e.g. "borrowed-reference-call"
    category: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line: what is wrong
    fix: ClassVar[str]  # what to do instead
    references: ClassVar[list[str]] = []
    valid: ClassVar[list[Example]] = []
    invalid: ClassVar[list[Example]] = []

    @classmethod
    def rationale(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def finding(
        cls,
        message: str | None = None,
        location: Location | None = None,
        *,
        severity: Severity | None = None,
        evidence: list[str] | None = None,
        fix: str | None = None,
        distribution: str | None = None,
        module: str | None = None,
    ) -> Finding:
        return Finding(
            rule=cls.code,
            message=message or cls.summary,
            severity=severity or cls.severity,
            location=location,
            evidence=list(evidence or []),
            fix=fix or cls.fix,
            distribution=distribution,
            module=module,
        )


_REGISTRY: dict[str, type[Rule]] = {}
_loaded = False


class RuleRegistrationError(Exception):
    pass


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator that adds a rule to the registry, checking its declaration."""
    code = getattr(rule, "code", None)
    if not code or not _CODE_PATTERN.match(code):
        raise RuleRegistrationError(f"{rule.__qualname__}: code {code!r} is not like 'FTB001'")
    expected_prefix = CATEGORIES.get(getattr(rule, "category", ""))
    if expected_prefix is None or not code.startswith(expected_prefix):
        raise RuleRegistrationError(
            f"{code}: category {getattr(rule, 'category', None)!r} needs the prefix {expected_prefix}"
        )
    for attribute in ("name", "severity", "summary", "fix"):
        if not getattr(rule, attribute, None):
            raise RuleRegistrationError(f"{code}: missing {attribute}")
    if not rule.__doc__:
        raise RuleRegistrationError(f"{code}: the docstring must say why this is a risk")
    existing = _REGISTRY.get(code)
    if existing is not None and existing is not rule:
        # Re-registration of the same qualified class happens when a module is reloaded.
        if (existing.__module__, existing.__qualname__) != (rule.__module__, rule.__qualname__):
            raise RuleRegistrationError(f"{code} is already used by {existing.__qualname__}")
    _REGISTRY[code] = rule
    return rule


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for package_name in _RULE_PACKAGES:
        try:
            package = importlib.import_module(f"{__package__}.{package_name}")
        except ModuleNotFoundError as error:
            if error.name == f"{__package__}.{package_name}":
                continue
            raise
        for module_info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module_info.name}")


def all_rules(category: str | None = None) -> list[type[Rule]]:
    _load_all()
    rules = sorted(_REGISTRY.values(), key=lambda rule: rule.code)
    if category:
        rules = [rule for rule in rules if rule.category == category]
    return rules


def get_rule(code: str) -> type[Rule]:
    _load_all()
    try:
        return _REGISTRY[code.upper()]
    except KeyError:
        raise KeyError(f"no rule {code!r}; `ftaudit rules` lists them") from None
