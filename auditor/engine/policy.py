"""The CI policy: what makes ``ftaudit check`` fail, read from ``[tool.ftaudit]``.

Every key is optional; without a ``[tool.ftaudit]`` table the defaults apply, and they
fail the check on what blocks a free-threaded deployment: a distribution that falls
back to the GIL or cannot load on the target, any error finding, and an interpreter
that is not a free-threaded build.

.. code-block:: toml

    [tool.ftaudit]
    # Distribution verdicts that fail the check. Any of: "gil-fallback", "needs-build",
    # "unknown" ("ready" and "pure" never fail). Default: ["gil-fallback", "needs-build"].
    fail-on-verdicts = ["gil-fallback", "needs-build"]
    # Findings at or above this severity fail the check: "error", "warning", "note",
    # or "none" to let findings never fail it. Default: "error".
    fail-on-severity = "error"
    # Distributions whose verdicts and findings never fail the check (names are
    # compared after PEP 503 normalisation, so "PyYAML" matches "pyyaml").
    exempt = ["pyyaml"]
    # Accepted findings (written by `ftaudit baseline`); a path relative to this file.
    baseline = "ftaudit-baseline.json"
    # The interpreter the environment is judged for, e.g. "3.13t" or "3.14t".
    target = "3.13t"
    # Rule codes or code prefixes to consider ("FTB", "FTC001"); default: every rule.
    select = ["FTB", "FTE"]
    # Rule codes or prefixes to leave out; wins over `select`.
    ignore = ["FTB011"]
    # Fail when the interpreter is not a free-threaded build (FTE001) or the GIL is
    # enabled after importing the project's modules (FTE002). Default: true.
    require-free-threaded = true
    # Not a gate setting: the project's own harness samples for `ftaudit audit` (a folder
    # or a list of folders). Default: ftaudit-samples/ when it exists.
    samples = "ftaudit-samples"

Unknown keys and wrong types are errors (:class:`PolicyError`), not warnings: a typo in
a CI gate's configuration must not quietly turn the gate off.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..collectors.environment.names import normalize_name
from ..model import Severity, Verdict
from .selection import rule_selected

DEFAULT_FAIL_ON_VERDICTS = frozenset({Verdict.GIL_FALLBACK, Verdict.NEEDS_BUILD})
# Verdicts that describe a working distribution; failing on them would fail every run.
_NEVER_FAILING_VERDICTS = {Verdict.READY, Verdict.PURE}
_CODE_OR_PREFIX = re.compile(r"^FT[BCPRE]?\d{0,3}$")
KNOWN_KEYS = (
    "fail-on-verdicts",
    "fail-on-severity",
    "exempt",
    "baseline",
    "target",
    "select",
    "ignore",
    "require-free-threaded",
    "samples",  # ftaudit audit: the project's harness sample folder(s); not a gate setting
)


class PolicyError(ValueError):
    """A ``[tool.ftaudit]`` table that cannot be used; the message names the key and file."""


@dataclass(frozen=True)
class Policy:
    fail_on_verdicts: frozenset[Verdict] = DEFAULT_FAIL_ON_VERDICTS
    fail_on_severity: Severity | None = Severity.ERROR  # None: findings never fail the check
    exempt: frozenset[str] = frozenset()  # normalised distribution names
    baseline: Path | None = None
    target: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    require_free_threaded: bool = True
    source: Path | None = None  # the pyproject.toml it came from; None for the defaults
    notes: list[str] = field(default_factory=list, compare=False)

    def is_exempt(self, distribution: str | None) -> bool:
        return bool(distribution) and normalize_name(distribution) in self.exempt

    def selects(self, code: str) -> bool:
        """Whether ``code`` counts under ``select`` / ``ignore`` (:func:`rule_selected`)."""
        return rule_selected(code, self.select, self.ignore)

    def severity_fails(self, severity: Severity) -> bool:
        return self.fail_on_severity is not None and severity.rank >= self.fail_on_severity.rank


def default_policy() -> Policy:
    return Policy()


def load_policy(pyproject: str | Path | None = None) -> Policy:
    """Read ``[tool.ftaudit]`` from ``pyproject`` (default: ./pyproject.toml if present).

    A missing file or table gives the defaults; a table that cannot be used raises
    :class:`PolicyError`.
    """
    if pyproject is None:
        candidate = Path("pyproject.toml")
        if not candidate.is_file():
            return default_policy()
        pyproject = candidate
    path = Path(pyproject)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PolicyError(f"{path}: no such file") from error
    except OSError as error:
        raise PolicyError(f"{path}: cannot read it ({error.strerror or error})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path}: not valid TOML ({error})") from error
    table = data.get("tool", {}).get("ftaudit")
    if table is None:
        return Policy(source=path, notes=[f"{path} has no [tool.ftaudit] table; using the defaults"])
    if not isinstance(table, dict):
        raise PolicyError(f"{path}: [tool.ftaudit] must be a table")
    return policy_from_table(table, path)


def policy_from_table(table: dict, path: Path | None = None) -> Policy:
    where = f"{path}: [tool.ftaudit]" if path else "[tool.ftaudit]"
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise PolicyError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(KNOWN_KEYS)}"
        )
    values: dict = {"source": path}
    for key, read in _KEY_READERS.items():
        if key in table:
            values[key.replace("-", "_")] = read(table[key], key, where, path)
    return Policy(**values)


def _fail_on_verdicts(value: object, key: str, where: str, path: Path | None) -> frozenset[Verdict]:
    verdicts = set()
    for item in _string_list(value, key, where):
        try:
            verdict = Verdict(item)
        except ValueError:
            raise PolicyError(
                f"{where}: fail-on-verdicts: {item!r} is not a verdict; choose from "
                f"{', '.join(v.value for v in Verdict)}"
            ) from None
        if verdict in _NEVER_FAILING_VERDICTS:
            raise PolicyError(
                f"{where}: fail-on-verdicts: {item!r} describes a working distribution "
                f"and would fail every check"
            )
        verdicts.add(verdict)
    return frozenset(verdicts)


def _fail_on_severity(value: object, key: str, where: str, path: Path | None) -> Severity | None:
    if not isinstance(value, str):
        raise PolicyError(f"{where}: fail-on-severity must be a string")
    if value.lower() == "none":
        return None
    try:
        return Severity(value.lower())
    except ValueError:
        raise PolicyError(
            f"{where}: fail-on-severity: {value!r} is not one of error, warning, note, none"
        ) from None


def _exempt(value: object, key: str, where: str, path: Path | None) -> frozenset[str]:
    return frozenset(normalize_name(name) for name in _string_list(value, key, where))


def _baseline(value: object, key: str, where: str, path: Path | None) -> Path:
    if not isinstance(value, str) or not value:
        raise PolicyError(f"{where}: baseline must be a path string")
    baseline_path = Path(value)
    if not baseline_path.is_absolute() and path is not None:
        baseline_path = path.parent / baseline_path
    return baseline_path


def _target(value: object, key: str, where: str, path: Path | None) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"3\.\d+t?", value):
        raise PolicyError(f"{where}: target must look like '3.13t', not {value!r}")
    return value


def _codes(value: object, key: str, where: str, path: Path | None) -> tuple[str, ...]:
    codes = tuple(code.upper() for code in _string_list(value, key, where))
    for code in codes:
        if not _CODE_OR_PREFIX.match(code):
            raise PolicyError(f"{where}: {key}: {code!r} is not a rule code or prefix like 'FTB' or 'FTC001'")
    return codes


def _require_free_threaded(value: object, key: str, where: str, path: Path | None) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"{where}: require-free-threaded must be true or false")
    return value


# Each gate setting of [tool.ftaudit] and what reads it; the Policy field is the key with
# "_" for "-". "samples" is read by `ftaudit audit`, not by the gate.
_KEY_READERS = {
    "fail-on-verdicts": _fail_on_verdicts,
    "fail-on-severity": _fail_on_severity,
    "exempt": _exempt,
    "baseline": _baseline,
    "target": _target,
    "select": _codes,
    "ignore": _codes,
    "require-free-threaded": _require_free_threaded,
}


def _string_list(value: object, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyError(f"{where}: {key} must be a list of strings")
    return list(value)
