"""pip's requirements file format, the parts that matter for judging wheels.

Follows pip's own reading order: join ``\\``-continued lines, drop comments (``#`` at
the start or after whitespace), expand ``${VAR}``, then treat each line as an option
or a PEP 508 requirement. ``-r`` includes and ``-c`` constraints are followed relative
to the including file; ``--hash`` options are accepted and ignored (hashes pin files,
not versions); ``--index-url`` is remembered. Editable installs, local paths and
direct URLs are not on an index, so they are reported as notes and not judged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from .interface import DependencySource, RootRequirement, TreeInputError

_COMMENT = re.compile(r"(^|\s+)#.*$")
_ENVIRONMENT_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)\}")
# Options pip accepts in a requirements file that do not change which versions exist.
_IGNORED_OPTIONS = {
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--no-index",
    "--use-feature",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--find-links",
    "-f",
    "--extra-index-url",
    "--config-settings",
    "--global-option",
}
_OPTIONS_WITH_VALUE = {
    "--use-feature",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--find-links",
    "-f",
    "--extra-index-url",
    "--config-settings",
    "--global-option",
}


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line number, joined text) with comments removed."""
    joined: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined.append((start, " ".join(pending)))
        pending = []
    if pending:
        joined.append((start, " ".join(pending)))
    cleaned = []
    for number, line in joined:
        line = _COMMENT.sub("", line).strip()
        line = _ENVIRONMENT_VARIABLE.sub(lambda match: os.environ.get(match[1], match[0]), line)
        if line:
            cleaned.append((number, line))
    return cleaned


def _split_option(line: str) -> tuple[str, str]:
    """``-r file``, ``-rfile``, ``--requirement=file`` -> (option, value)."""
    if line.startswith("--"):
        option, separator, value = line.partition("=")
        if not separator:
            option, _, value = line.partition(" ")
        return option.strip(), value.strip()
    return line[:2], line[2:].strip()


_PER_REQUIREMENT_OPTION = re.compile(r"\s+--(hash|config-settings|global-option)(?:=|\s+)\S+")
_OTHER_OPTION = re.compile(r"\s+(--?[A-Za-z][\w-]*)(?:=\S+)?")


def _strip_requirement_options(line: str) -> tuple[str, list[str]]:
    """Remove ``--hash=...`` (hashes pin files, not versions); returns (requirement, unknown options).

    A regex rather than shell splitting, because splitting would drop the quotes that a
    PEP 508 marker needs (``python_version < '3.12'``).
    """
    line = _PER_REQUIREMENT_OPTION.sub("", " " + line).strip()
    unknown = [match[1] for match in _OTHER_OPTION.finditer(" " + line)]
    if unknown:
        line = _OTHER_OPTION.sub("", " " + line).strip()
    return line, unknown


def read_requirements_txt(
    path: Path,
    *,
    _seen: set[Path] | None = None,
    _source: DependencySource | None = None,
    _as_constraints: bool = False,
) -> DependencySource:
    path = Path(path)
    seen = _seen if _seen is not None else set()
    source = _source if _source is not None else DependencySource(path=path, kind="requirements")
    resolved = path.resolve()
    if resolved in seen:
        source.problems.append(f"{path}: included more than once (an -r/-c cycle); read only once")
        return source
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as problem:
        raise TreeInputError(f"{path}: not UTF-8 text ({problem})") from problem
    except OSError as problem:
        raise TreeInputError(f"{path}: cannot read it ({problem.strerror or problem})") from problem
    display = str(path)
    for number, line in _logical_lines(text):
        where = f"{display}:{number}"
        if line.startswith("-"):
            _read_option(line, where, path, seen, source, as_constraints=_as_constraints)
        else:
            _read_requirement(line, where, source, as_constraints=_as_constraints)
    return source


def _read_option(
    line: str, where: str, path: Path, seen: set[Path], source: DependencySource, *, as_constraints: bool
) -> None:
    option, value = _split_option(line)
    if option in ("-r", "--requirement", "-c", "--constraint"):
        if not value:
            source.problems.append(f"{where}: {option} needs a file name")
            return
        included = (path.parent / value) if not Path(value).is_absolute() else Path(value)
        if re.match(r"^[a-z]+://", value):
            source.problems.append(f"{where}: remote requirement files ({value}) are not fetched")
            return
        try:
            read_requirements_txt(
                included,
                _seen=seen,
                _source=source,
                _as_constraints=as_constraints or option in ("-c", "--constraint"),
            )
        except TreeInputError as problem:
            source.problems.append(f"{where}: {problem}")
    elif option in ("-i", "--index-url"):
        if value and source.index_url is None:
            source.index_url = value
    elif option in ("-e", "--editable"):
        source.notes.append(f"{where}: editable requirement {value!r} is not on an index; not judged")
    elif option in _IGNORED_OPTIONS:
        if option in ("--extra-index-url", "--find-links", "-f"):
            source.notes.append(f"{where}: {option} {value} is not consulted; only the index URL is")
    else:
        source.problems.append(f"{where}: unknown option {option!r}")


def _read_requirement(line: str, where: str, source: DependencySource, *, as_constraints: bool) -> None:
    if (
        line.startswith((".", "/"))
        or re.match(r"^[a-z]+://", line)
        or line.endswith((".whl", ".tar.gz", ".zip"))
    ):
        source.notes.append(f"{where}: {line!r} is a local path or URL, not an index requirement; not judged")
        return
    requirement_text, unknown = _strip_requirement_options(line)
    if unknown:
        source.problems.append(f"{where}: unknown option(s) {', '.join(unknown)} ignored")
    try:
        requirement = Requirement(requirement_text)
    except InvalidRequirement as problem:
        first_line = str(problem).splitlines()[0]
        source.problems.append(f"{where}: invalid requirement {requirement_text!r}: {first_line}")
        return
    if requirement.url:
        source.notes.append(f"{where}: {requirement.name} comes from a direct URL; not judged")
        return
    root = RootRequirement(requirement=requirement, origin=where)
    (source.constraints if as_constraints else source.requirements).append(root)
