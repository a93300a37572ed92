"""Rules about extension binaries, read without importing them (``FTB``).

Each rule module holds one class derived from :class:`BinaryRule`; ``check`` receives
the :class:`~auditor.collectors.binary.facts.BinaryFacts` of one extension module (what
the binary reader established: ABI and loadability, the Py_mod_gil reading, risky
imports) and yields findings built with ``cls.finding``. The engine
(:mod:`auditor.engine.binary_checks`) runs every rule over every module read.

Each rule's VALID / INVALID examples are whole C or C++ translation units defining
``PyInit_example``; the tests compile them into real extension modules for the target
interpreter (the name in ``Example.filename`` when it matters: its ABI tag decides the
interpreter used), read them and run the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ...collectors.binary.facts import BinaryFacts
from ...collectors.binary.gil_declaration import GilReading
from ...model.finding import Finding, Location
from ..registry import Rule


class BinaryRule(Rule):
    category: ClassVar[str] = "binary"

    @classmethod
    def check(cls, facts: BinaryFacts) -> Iterable[Finding]:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

    @classmethod
    def module_finding(
        cls, facts: BinaryFacts, message: str, evidence: list[str], symbol: str | None = None
    ) -> Finding:
        """A finding located at the module's file (and ``symbol``, when one is to blame)."""
        return cls.finding(
            message,
            Location(path=facts.extension.path, symbol=symbol),
            evidence=evidence,
            module=facts.extension.module,
        )


class GilDeclarationRule(BinaryRule):
    """The rules about what the module declares for Py_mod_gil."""

    @classmethod
    def declaration_read(cls, facts: BinaryFacts) -> GilReading | None:
        """The Py_mod_gil reading, when the target reads the declaration at all: a
        free-threaded target that loads the file (None otherwise, or when not read)."""
        return facts.gil_reading if facts.target_reads_the_declaration else None

    @classmethod
    def declaration_finding(cls, facts: BinaryFacts, message: str) -> Finding:
        generator = facts.generator
        evidence = [facts.gil_reading.evidence, f"generator: {generator.name} ({generator.evidence})"]
        return cls.module_finding(facts, message, evidence, facts.init_symbol)


class RiskyImportRule(BinaryRule):
    """The rules about imported functions that are unsafe without the GIL: each owns one
    family of :data:`~auditor.collectors.binary.risky_symbols.RISKY_FUNCTIONS`."""

    family: ClassVar[str]

    @classmethod
    def check(cls, facts: BinaryFacts) -> Iterable[Finding]:
        for risky in facts.risky_imports:
            if risky.family != cls.family:
                continue
            finding = cls.module_finding(
                facts,
                f"{facts.extension.module} imports {risky.name}: {risky.reason}",
                [f"undefined dynamic symbol {risky.name}"],
                symbol=risky.name,
            )
            finding.fix = fix_sentence(risky.replacement)
            yield finding


# Replacements are either what to call instead ("strtok_r") or already an instruction
# ("iterate inside Py_BEGIN_CRITICAL_SECTION ..."); only the former takes "use".
_INSTRUCTION_VERBS = ("avoid", "take", "read", "iterate", "keep", "guard", "call", "hold")


def fix_sentence(replacement: str) -> str:
    if replacement.startswith(_INSTRUCTION_VERBS):
        return replacement[0].upper() + replacement[1:]
    return f"use {replacement}"
