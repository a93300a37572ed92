"""Which package index a project really installs from: pip's and uv's own configuration.

A team behind a private index has told pip (``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``,
``pip.conf``) or uv (``[[tool.uv.index]]`` in ``pyproject.toml``) where its packages
live; judging its pins against PyPI instead would judge other files, or fail on
private names. The rules followed here are the tools' documented ones:

* pip (https://pip.pypa.io/en/stable/topics/configuration/): ``PIP_CONFIG_FILE`` is
  loaded first (``os.devnull`` disables every file), then the global files
  (``$XDG_CONFIG_DIRS/pip/pip.conf``, ``/etc/pip.conf``), the user files
  (``~/.pip/pip.conf``, then ``$XDG_CONFIG_HOME/pip/pip.conf``) and the site file
  (``$VIRTUAL_ENV/pip.conf``); each later file overrides, ``[install]`` overrides
  ``[global]``, and the ``PIP_*`` variables override every file. pip merges the files of
  the index and of every extra index (``strategy = "merge"``).
* uv (https://docs.astral.sh/uv/concepts/indexes/): ``[[tool.uv.index]]`` entries are
  searched in the order written, before the ``default = true`` one (else PyPI), and a
  project is taken from the first index that has it (``strategy = "first"``);
  ``explicit = true`` indexes only serve packages pinned to them in ``tool.uv.sources``.
  Credentials come from ``UV_INDEX_<NAME>_USERNAME`` / ``_PASSWORD``. The environment
  comes first (https://docs.astral.sh/uv/reference/environment/): ``UV_INDEX`` is a
  space-separated list of extra indexes (``name=url`` or a bare URL) searched before the
  pyproject's, ``UV_DEFAULT_INDEX`` replaces the default; the older ``UV_EXTRA_INDEX_URL``
  and ``UV_INDEX_URL`` mean the same two things.

An index URL given on the command line (or by a requirements file's ``--index-url``)
replaces only the *default* index, as it does for pip and uv; the extra indexes stay.

Credentials may sit in any of these URLs (``https://user:token@host/simple``); they are
kept for the HTTP requests only, and every URL meant for people goes through
:func:`redact_url` first.
"""

from __future__ import annotations

import configparser
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from .client import DEFAULT_INDEX_URL


@dataclass
class IndexSettings:
    index_url: str  # may carry credentials: never print it, print redact_url(index_url)
    extra_index_urls: list[str] = field(default_factory=list)
    strategy: str = "merge"  # "merge" (pip) or "first" (uv's first-index)
    origin: str = "default (PyPI)"  # where the setting was read, for the report
    notes: list[str] = field(default_factory=list)

    @property
    def all_urls(self) -> list[str]:
        return [self.index_url, *self.extra_index_urls]

    def describe(self) -> str:
        """For people: every URL redacted."""
        urls = ", ".join(redact_url(url) for url in self.all_urls)
        return f"{urls} (from {self.origin})"

    def with_default_index(self, url: str, origin: str) -> IndexSettings:
        """These settings with ``url`` as the default index, the extra indexes kept.

        pip's default index is the first URL and its extras merge with it; uv searches
        its named indexes first and falls back to the default, the last one."""
        if self.strategy == "first":
            urls = [*self.all_urls[:-1], url]
        else:
            urls = [url, *self.extra_index_urls]
        return IndexSettings(
            index_url=urls[0],
            extra_index_urls=urls[1:],
            strategy=self.strategy,
            origin=f"{self.origin}; default index from {origin}",
            notes=list(self.notes),
        )


def redact_url(url: str) -> str:
    """``https://user:token@host/x`` -> ``https://user:***@host/x``; a lone token (no
    user) becomes ``***``. URLs without credentials are returned unchanged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    shown = f"{parts.username}:***" if parts.password is not None and parts.username else "***"
    return urlunsplit((parts.scheme, f"{shown}@{host}", parts.path, parts.query, parts.fragment))


_URL_WITH_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<credentials>[^/@\s]+)@", re.I)


def redact_text(text: str) -> str:
    """Redact every URL with credentials inside a message."""

    def replace(match: re.Match) -> str:
        credentials = match["credentials"]
        user = credentials.split(":", 1)[0] if ":" in credentials else ""
        return f"{match['scheme']}{user + ':***' if user else '***'}@"

    return _URL_WITH_CREDENTIALS.sub(replace, text)


def _split_urls(value: str) -> list[str]:
    return [item for item in value.split() if item]


def pip_config_files(environ: dict[str, str], home: Path) -> list[Path]:
    """pip's configuration files in loading order (later ones override); existing only."""
    config_file = environ.get("PIP_CONFIG_FILE")
    if config_file == os.devnull:
        return []
    candidates: list[Path] = [Path(config_file)] if config_file else []
    for directory in (environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":"):
        if directory:
            candidates.append(Path(directory) / "pip" / "pip.conf")
    candidates.append(Path("/etc/pip.conf"))
    candidates.append(home / ".pip" / "pip.conf")
    candidates.append(Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "pip" / "pip.conf")
    if environ.get("VIRTUAL_ENV"):
        candidates.append(Path(environ["VIRTUAL_ENV"]) / "pip.conf")
    seen: list[Path] = []
    for candidate in candidates:
        if candidate.is_file() and candidate not in seen:
            seen.append(candidate)
    return seen


def pip_index_settings(
    environ: dict[str, str] | None = None, home: Path | None = None
) -> IndexSettings | None:
    """pip's index and extra indexes, or None when nothing configures them."""
    environ = dict(os.environ if environ is None else environ)
    home = home or Path(environ.get("HOME") or Path.home())
    index_url: str | None = None
    extra: list[str] | None = None
    origin_index = origin_extra = ""
    notes: list[str] = []
    for path in pip_config_files(environ, home):
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError) as error:
            notes.append(f"{path}: not read as pip configuration ({type(error).__name__})")
            continue
        for section in ("global", "install"):
            if not parser.has_section(section):
                continue
            if parser.has_option(section, "index-url"):
                index_url, origin_index = parser.get(section, "index-url").strip(), f"{path} [{section}]"
            if parser.has_option(section, "extra-index-url"):
                extra = _split_urls(parser.get(section, "extra-index-url"))
                origin_extra = f"{path} [{section}]"
    if environ.get("PIP_INDEX_URL"):
        index_url, origin_index = environ["PIP_INDEX_URL"].strip(), "PIP_INDEX_URL"
    if environ.get("PIP_EXTRA_INDEX_URL"):
        extra, origin_extra = _split_urls(environ["PIP_EXTRA_INDEX_URL"]), "PIP_EXTRA_INDEX_URL"
    if index_url is None and not extra:
        return None
    origins = [each for each in (origin_index, origin_extra) if each]
    return IndexSettings(
        index_url=index_url or DEFAULT_INDEX_URL,
        extra_index_urls=list(extra or []),
        strategy="merge",
        origin="pip configuration: " + ", ".join(dict.fromkeys(origins)),
        notes=notes,
    )


def _uv_credentials(url: str, name: str | None, environ: dict[str, str]) -> str:
    """Put UV_INDEX_<NAME>_USERNAME / _PASSWORD into the URL (uv upper-cases the name and
    turns every non-alphanumeric character into an underscore)."""
    if not name:
        return url
    key = re.sub(r"[^A-Za-z0-9]", "_", name).upper()
    user = environ.get(f"UV_INDEX_{key}_USERNAME")
    password = environ.get(f"UV_INDEX_{key}_PASSWORD")
    if user is None and password is None:
        return url
    parts = urlsplit(url)
    if parts.username is not None:
        return url  # credentials written in the URL win
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    userinfo = quote(user or "", safe="") + (f":{quote(password, safe='')}" if password is not None else "")
    return urlunsplit((parts.scheme, f"{userinfo}@{host}", parts.path, parts.query, parts.fragment))


_UV_ENVIRONMENT = ("UV_INDEX", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX_URL")


def _uv_environment_indexes(environ: dict[str, str]) -> tuple[list[str], str | None]:
    """(extra indexes, default index) set in uv's environment variables, credentials filled in."""
    searched: list[str] = []
    for variable in ("UV_INDEX", "UV_EXTRA_INDEX_URL"):
        for entry in environ.get(variable, "").split():
            name, separator, url = entry.partition("=")
            if separator and "://" not in name:
                searched.append(_uv_credentials(url, name, environ))
            else:
                searched.append(entry)
    default = (environ.get("UV_DEFAULT_INDEX") or environ.get("UV_INDEX_URL") or "").strip() or None
    return searched, default


def _uv_pyproject_indexes(pyproject: Path | None, environ: dict[str, str]):
    """(searched, default, notes) from ``[[tool.uv.index]]``; empty when there is none."""
    searched: list[str] = []
    default: str | None = None
    notes: list[str] = []
    if pyproject is None:
        return searched, default, notes
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return searched, default, notes
    entries = data.get("tool", {}).get("uv", {}).get("index", [])
    if not isinstance(entries, list):
        return searched, default, notes
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            notes.append(f"{pyproject}: a [[tool.uv.index]] entry without a url was ignored")
            continue
        url = _uv_credentials(entry["url"], entry.get("name"), environ)
        if entry.get("explicit"):
            notes.append(
                f"{pyproject}: index {entry.get('name') or redact_url(url)} is explicit (only for packages "
                "that tool.uv.sources pins to it); not searched for the others"
            )
        elif entry.get("default"):
            default = url
        else:
            searched.append(url)
    return searched, default, notes


def uv_index_settings(pyproject: Path | None, environ: dict[str, str] | None = None) -> IndexSettings | None:
    """uv's indexes from its environment variables and ``[[tool.uv.index]]``, or None when
    neither names one."""
    environ = dict(os.environ if environ is None else environ)
    from_environment, environment_default = _uv_environment_indexes(environ)
    from_pyproject, pyproject_default, notes = _uv_pyproject_indexes(pyproject, environ)
    if not (from_environment or environment_default or from_pyproject or pyproject_default or notes):
        return None
    urls = [*from_environment, *from_pyproject, environment_default or pyproject_default or DEFAULT_INDEX_URL]
    origins = [name for name in _UV_ENVIRONMENT if environ.get(name)]
    if from_pyproject or pyproject_default or notes:
        origins.append(f"{pyproject} [[tool.uv.index]]")
    return IndexSettings(
        index_url=urls[0],
        extra_index_urls=urls[1:],
        strategy="first",
        origin=", ".join(origins),
        notes=notes,
    )


def _is_uv_project(pyproject: Path) -> bool:
    if (pyproject.parent / "uv.lock").is_file():
        return True
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return isinstance(data.get("tool", {}).get("uv"), dict)


def project_index_settings(
    project: Path | None = None, environ: dict[str, str] | None = None, home: Path | None = None
) -> IndexSettings:
    """The indexes a project installs from: uv's for a uv project (a ``uv.lock``, a
    ``[tool.uv]`` table or uv indexes in its pyproject), else pip's configuration, else uv's
    environment variables alone (``uv pip``), else PyPI."""
    environ = dict(os.environ if environ is None else environ)
    pyproject = None
    if project is not None:
        candidate = project / "pyproject.toml" if project.is_dir() else project
        if candidate.name == "pyproject.toml" and candidate.is_file():
            pyproject = candidate
        elif (candidate if candidate.is_dir() else candidate.parent).joinpath("pyproject.toml").is_file():
            pyproject = (candidate if candidate.is_dir() else candidate.parent) / "pyproject.toml"
    uv_settings = uv_index_settings(pyproject, environ)
    if pyproject is not None and uv_settings is not None and _is_uv_project(pyproject):
        return uv_settings
    pip_settings = pip_index_settings(environ, home)
    return pip_settings or uv_settings or IndexSettings(DEFAULT_INDEX_URL)
