"""A real package index for the tree tests: real wheel/sdist files built here, served by
``http.server`` on 127.0.0.1 (ephemeral port) as a PEP 691 JSON and PEP 503 HTML
simple index with PEP 658 ``.metadata`` files, ETags and Cache-Control.

Nothing here touches the internet. The benchmark imports it too.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import html
import io
import json
import subprocess
import tarfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

from packaging.utils import canonicalize_name

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
LINUX = "manylinux_2_17_x86_64.manylinux2014_x86_64"


@dataclass
class Release:
    project: str
    version: str
    wheel_tags: list[str] = field(default_factory=list)  # "cp313-cp313t-manylinux_2_17_x86_64"
    sdist: bool = False
    requires_dist: list[str] = field(default_factory=list)
    requires_python: str | None = None
    yanked: bool | str = False
    pep658: bool = True  # serve <wheel>.metadata
    sdist_metadata_version: str = "2.2"
    sdist_dynamic_requires: bool = False
    tampered_metadata: bool = False  # serve a .metadata that does not match its advertised hash
    binaries: dict[str, bytes] = field(default_factory=dict)  # extra wheel members (compiled .so files)
    # Members of the wheels whose platform tag starts with the key ("macosx", "win"): a
    # macOS wheel carries Mach-O files, a Windows one PE files.
    platform_binaries: dict[str, dict[str, bytes]] = field(default_factory=dict)


def _metadata_text(release: Release, metadata_version: str = "2.1", dynamic: bool = False) -> str:
    lines = [
        f"Metadata-Version: {metadata_version}",
        f"Name: {release.project}",
        f"Version: {release.version}",
    ]
    if release.requires_python:
        lines.append(f"Requires-Python: {release.requires_python}")
    if dynamic:
        lines.append("Dynamic: Requires-Dist")
    for requirement in release.requires_dist:
        lines.append(f"Requires-Dist: {requirement}")
        if "extra ==" in requirement:
            extra = requirement.split("extra ==", 1)[1].strip().strip("'\"")
            lines.append(f"Provides-Extra: {extra}")
    return "\n".join(lines) + "\n\n"


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build_wheel(directory: Path, release: Release, tag: str) -> Path:
    """A tiny but real wheel (PEP 427): a module, METADATA, WHEEL and RECORD."""
    distribution = canonicalize_name(release.project).replace("-", "_")
    filename = f"{distribution}-{release.version}-{tag}.whl"
    dist_info = f"{distribution}-{release.version}.dist-info"
    files = {
        f"{distribution}/__init__.py": f"__version__ = {release.version!r}\n".encode(),
        **release.binaries,
        **next(
            (
                members
                for prefix, members in release.platform_binaries.items()
                if tag.split("-")[-1].startswith(prefix)
            ),
            {},
        ),
        f"{dist_info}/METADATA": _metadata_text(release).encode(),
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: ftaudit-tests\nRoot-Is-Purelib: "
            f"{'true' if tag.endswith('none-any') else 'false'}\n"
            + "".join(
                f"Tag: {tag.split('-')[0]}-{tag.split('-')[1]}-{platform}\n"
                for platform in tag.split("-")[2].split(".")
            )
        ).encode(),
    }
    record = [_record_line(path, data) for path, data in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    path = directory / filename
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # A fixed timestamp: the same release built twice (two servers) is the same
            # bytes, so the hashes one index advertises hold for the other's copy.
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return path


def build_sdist(directory: Path, release: Release) -> Path:
    distribution = canonicalize_name(release.project).replace("-", "_")
    root = f"{distribution}-{release.version}"
    files = {
        f"{root}/PKG-INFO": _metadata_text(
            release, release.sdist_metadata_version, release.sdist_dynamic_requires
        ).encode(),
        f"{root}/pyproject.toml": (
            f'[project]\nname = "{release.project}"\nversion = "{release.version}"\n'
        ).encode(),
    }
    path = directory / f"{root}.tar.gz"
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1704067200  # 2024-01-01, for the same reason as the wheels
            archive.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(tar_bytes.getvalue(), mtime=0))
    return path


@dataclass
class ServedFile:
    filename: str
    path: Path
    release: Release
    metadata: bytes | None  # PEP 658 body (its hash is what the pages advertise)
    served_metadata: bytes | None = None  # what is actually sent, when tampered with


_EXTENSION_SOURCE = """\
#include <Python.h>

/* Multi-phase init (PEP 489); the slot below is what free-threaded CPython reads to
   decide whether importing the module re-enables the GIL (PEP 703). */
static PyModuleDef_Slot module_slots[] = {
#ifdef DECLARE_GIL_NOT_USED
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, .m_name = "_core", .m_size = 0, .m_slots = module_slots,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&module_definition); }
"""


@functools.cache
def compiled_core_extension(python: str, declare_gil_not_used: bool) -> tuple[bytes, str]:
    """(binary, file name) of a real ``_core`` extension built for ``python`` with gcc,
    cached under ~/.cache/ftaudit/test-builds keyed by source, flags and interpreter."""
    query = (
        "import sysconfig; print(sysconfig.get_paths()['include']);"
        " print(sysconfig.get_config_var('EXT_SUFFIX'))"
    )
    include, suffix = subprocess.run(
        [python, "-c", query], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    flags = ["-shared", "-fPIC", "-O2", f"-I{include}"] + (
        ["-DDECLARE_GIL_NOT_USED"] if declare_gil_not_used else []
    )
    key = hashlib.sha256("\0".join([_EXTENSION_SOURCE, *flags, python, suffix]).encode()).hexdigest()[:16]
    folder = Path.home() / ".cache" / "ftaudit" / "test-builds" / f"tree-{key}"
    output = folder / f"_core{suffix}"
    if not output.exists():
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "core.c"
        source.write_text(_EXTENSION_SOURCE)
        temporary = folder / f".building-{output.name}"
        subprocess.run(
            ["gcc", *flags, str(source), "-o", str(temporary)], check=True, timeout=120, capture_output=True
        )
        temporary.replace(output)
    return output.read_bytes(), output.name


def gil_only_release(gil_python: str) -> Release:
    """``gilonly2`` 1.0: a real extension built for the GIL build of 3.13 (cp313 wheel
    and an sdist), the typical package that lacks a free-threaded wheel."""
    binary, name = compiled_core_extension(gil_python, False)
    return Release(
        "gilonly2", "1.0", [f"cp313-cp313-{LINUX}"], sdist=True, binaries={f"gilonly2/{name}": binary}
    )


def inspection_world(python: str) -> list[Release]:
    """Two cp313t wheels with a real compiled extension: one declares Py_MOD_GIL_NOT_USED,
    one does not (so importing it re-enables the GIL), plus a bundled shared library that
    is not an extension module."""
    free, free_name = compiled_core_extension(python, True)
    keeper, keeper_name = compiled_core_extension(python, False)
    return [
        Release(
            "gilfree",
            "1.0",
            [f"cp313-cp313t-{LINUX}"],
            binaries={f"gilfree/{free_name}": free, "gilfree.libs/libhelper-1a2b3c.so": keeper},
        ),
        Release("gilkeeper", "1.0", [f"cp313-cp313t-{LINUX}"], binaries={f"gilkeeper/{keeper_name}": keeper}),
        Release("purelib", "3.0", ["py3-none-any"]),
    ]


def standard_world() -> list[Release]:
    """The fixture index most tests use; see test_tree.py for the story of each package."""
    return [
        # 1.0 has no free-threaded wheel (abi3 cannot load on 3.13t); 1.1 adds cp313t.
        Release("fastlib", "1.0", [f"cp312-cp312-{LINUX}", f"cp311-abi3-{LINUX}"], sdist=True),
        Release(
            "fastlib",
            "1.1",
            [
                f"cp312-cp312-{LINUX}",
                f"cp311-abi3-{LINUX}",
                f"cp313-cp313t-{LINUX}",
                "cp313-cp313t-macosx_11_0_arm64",
            ],
            sdist=True,
        ),
        Release("fastlib", "2.0rc1", [f"cp313-cp313t-{LINUX}", f"cp314-cp314t-{LINUX}"], sdist=True),
        Release(
            "purelib", "3.0", ["py3-none-any"], sdist=True, requires_dist=['fastlib>=1.0; extra == "speed"']
        ),
        # The story: the 2024 release has no cp314t wheel, the latest one does.
        Release(
            "oldpin",
            "2024.1",
            [f"cp312-cp312-{LINUX}", f"cp313-cp313-{LINUX}", f"cp313-cp313t-{LINUX}"],
            sdist=True,
        ),
        Release("oldpin", "2025.2", [f"cp313-cp313t-{LINUX}", f"cp314-cp314t-{LINUX}"], sdist=True),
        # A chain A -> B -> C, where B caps C below its first free-threaded release.
        Release("chaina", "1.0", ["py3-none-any"], requires_dist=["chainb>=2"]),
        Release(
            "chainb", "2.0", [f"cp313-cp313t-{LINUX}", f"cp314-cp314t-{LINUX}"], requires_dist=["chainc<2"]
        ),
        Release("chainc", "1.5", [f"cp312-cp312-{LINUX}"], sdist=True),
        Release("chainc", "2.0", [f"cp313-cp313t-{LINUX}"], sdist=True),
        Release("sdistonly", "0.5", [], sdist=True, requires_dist=["purelib>=3"]),
        Release("yankpkg", "1.0", [f"cp313-cp313t-{LINUX}"]),
        Release("yankpkg", "2.0", [f"cp313-cp313t-{LINUX}"], yanked="broken build"),
        Release("winonly", "1.0", ["cp313-cp313t-win_amd64"]),
        # No PEP 658 file: the client must download the wheel and read METADATA.
        Release("nometa", "1.0", [f"cp313-cp313t-{LINUX}"], requires_dist=["purelib"], pep658=False),
        # The newest release needs Python 3.14: a 3.13 target gets 1.0.
        Release("newpy", "1.0", [f"cp313-cp313t-{LINUX}"]),
        Release("newpy", "2.0", [f"cp314-cp314t-{LINUX}"], requires_python=">=3.14"),
        # An sdist whose PKG-INFO marks Requires-Dist dynamic: dependencies unknown.
        Release("dynsdist", "1.0", [], sdist=True, requires_dist=["purelib"], sdist_dynamic_requires=True),
        # Wheels for CPython 3.13 with the GIL only: the most common trap on 3.13t.
        Release("gilonly", "1.0", [f"cp313-cp313-{LINUX}", f"cp312-cp312-{LINUX}"], sdist=True),
        # A PEP 658 file that does not match its hash: not trusted, the wheel is read instead.
        Release(
            "tampered", "1.0", [f"cp313-cp313t-{LINUX}"], requires_dist=["purelib"], tampered_metadata=True
        ),
        # A dependency cycle, and an extra that pulls in another extra of the same project.
        Release("cyca", "1.0", ["py3-none-any"], requires_dist=["cycb"]),
        Release("cycb", "1.0", ["py3-none-any"], requires_dist=["cyca>=1"]),
        Release(
            "selfx",
            "1.0",
            ["py3-none-any"],
            requires_dist=['selfx[fast]; extra == "all"', 'fastlib==1.1; extra == "fast"'],
        ),
        # Needs backtracking: with btpin==1.0 pinned, the newest btuser (needs btpin>=2) must
        # give way to btuser 1.0.
        Release("btpin", "1.0", [f"cp313-cp313t-{LINUX}"]),
        Release("btpin", "2.0", [f"cp313-cp313t-{LINUX}"]),
        Release("btuser", "1.0", ["py3-none-any"], requires_dist=["btpin>=1"]),
        Release("btuser", "2.0", ["py3-none-any"], requires_dist=["btpin>=2"]),
        # Dropped its cp313t wheels after 1.2 (and its 0.0.1 was a pure placeholder).
        Release("dropper", "0.0.1", ["py3-none-any"]),
        Release("dropper", "1.1", [f"cp313-cp313t-{LINUX}"]),
        Release("dropper", "1.2", [f"cp313-cp313t-{LINUX}"]),
        Release("dropper", "2.0", [f"cp314-cp314t-{LINUX}", f"cp313-cp313-{LINUX}"], sdist=True),
        *story_world(10),
    ]


def story_world(count: int) -> list[Release]:
    """The issue's story: ``count`` projects whose 2024 release has no cp314t wheel while
    their latest release does."""
    releases = []
    for number in range(count):
        name = f"story{number}"
        releases.append(
            Release(
                name,
                "2024.3",
                [f"cp312-cp312-{LINUX}", f"cp313-cp313-{LINUX}", f"cp313-cp313t-{LINUX}"],
                sdist=True,
            )
        )
        releases.append(
            Release(
                name,
                "2025.9",
                [f"cp313-cp313t-{LINUX}", f"cp314-cp314-{LINUX}", f"cp314-cp314t-{LINUX}"],
                sdist=True,
            )
        )
    return releases


class FixtureIndex:
    """A running index. ``mode``: "negotiate" (PEP 691 content negotiation), "html"
    (a PEP 503-only server) or "json". Use as a context manager."""

    def __init__(
        self,
        releases: list[Release],
        build_dir: Path,
        *,
        mode: str = "negotiate",
        max_age: int | None = 600,
        latency_seconds: float = 0.0,
        basic_auth: tuple[str, str] | None = None,
        redirect_files_to: str | None = None,
    ) -> None:
        self.basic_auth = basic_auth
        # Answer /files/... with a 302 to this base URL (a CDN, like files.pythonhosted.org).
        self.redirect_files_to = redirect_files_to
        self.authorization_headers: list[str] = []  # every Authorization header received
        self.mode = mode
        self.latency_seconds = latency_seconds  # simulated round trip (benchmarks)
        self.max_age = max_age
        self.requests: list[str] = []
        self.not_modified = 0
        self.files: dict[str, ServedFile] = {}
        self.projects: dict[str, list[ServedFile]] = {}
        self._lock = threading.Lock()
        build_dir.mkdir(parents=True, exist_ok=True)
        for release in releases:
            built: list[Path] = [build_wheel(build_dir, release, tag) for tag in release.wheel_tags]
            if release.sdist:
                built.append(build_sdist(build_dir, release))
            for path in built:
                metadata = None
                if path.name.endswith(".whl") and release.pep658:
                    metadata = _metadata_text(release).encode()
                served = ServedFile(path.name, path, release, metadata)
                if release.tampered_metadata and metadata is not None:
                    served.served_metadata = metadata + b"Requires-Dist: evilpkg\n"
                self.files[path.name] = served
                self.projects.setdefault(canonicalize_name(release.project), []).append(served)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/simple"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def count(self, fragment: str) -> int:
        with self._lock:
            return sum(fragment in path for path in self.requests)

    # -- page bodies ----------------------------------------------------------------------
    def json_page(self, project: str) -> bytes:
        files = []
        for served in self.projects[project]:
            entry = {
                "filename": served.filename,
                "url": f"../../files/{served.filename}",
                "hashes": {"sha256": hashlib.sha256(served.path.read_bytes()).hexdigest()},
                "requires-python": served.release.requires_python,
                "yanked": served.release.yanked,
            }
            if served.metadata is not None:
                entry["core-metadata"] = {"sha256": hashlib.sha256(served.metadata).hexdigest()}
            files.append(entry)
        return json.dumps(
            {
                "meta": {"api-version": "1.1"},
                "name": project,
                "files": files,
                "versions": sorted({served.release.version for served in self.projects[project]}),
            }
        ).encode()

    def html_page(self, project: str) -> bytes:
        anchors = []
        for served in self.projects[project]:
            digest = hashlib.sha256(served.path.read_bytes()).hexdigest()
            attributes = [f'href="/files/{served.filename}#sha256={digest}"']
            if served.release.requires_python:
                attributes.append(f'data-requires-python="{html.escape(served.release.requires_python)}"')
            if served.release.yanked:
                reason = served.release.yanked if isinstance(served.release.yanked, str) else ""
                attributes.append(f'data-yanked="{html.escape(reason)}"')
            if served.metadata is not None:
                attributes.append(
                    f'data-core-metadata="sha256={hashlib.sha256(served.metadata).hexdigest()}"'
                )
            anchors.append(f"<a {' '.join(attributes)}>{served.filename}</a><br/>")
        return (
            '<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1">'
            f"<title>Links for {project}</title></head><body><h1>Links for {project}</h1>"
            + "\n".join(anchors)
            + "</body></html>"
        ).encode()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_FixtureHandler,), {"index": self})


class _FixtureHandler(BaseHTTPRequestHandler):
    """Answers like a simple index (PEP 503 / PEP 691) for the :class:`FixtureIndex` set
    as ``index`` on the subclass :meth:`FixtureIndex._handler_class` makes."""

    index: FixtureIndex

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str, cacheable: bool = False) -> None:
        index = self.index
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if cacheable and self.headers.get("If-None-Match") == etag:
            with index._lock:
                index.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if cacheable:
            self.send_header("ETag", etag)
            if index.max_age is not None:
                self.send_header("Cache-Control", f"max-age={index.max_age}, public")
        self.end_headers()
        self.wfile.write(body)

    def _send_header_only(self, status: int, header: str, value: str) -> None:
        self.send_response(status)
        self.send_header(header, value)
        self.end_headers()

    def do_GET(self) -> None:
        index = self.index
        with index._lock:
            index.requests.append(self.path)
            if self.headers.get("Authorization"):
                index.authorization_headers.append(self.headers["Authorization"])
        if index.latency_seconds:
            time.sleep(index.latency_seconds)
        if index.basic_auth is not None:
            expected = "Basic " + base64.b64encode(":".join(index.basic_auth).encode()).decode()
            if self.headers.get("Authorization") != expected:
                self._send_header_only(401, "WWW-Authenticate", 'Basic realm="fixture"')
                return
        path = self.path.split("?", 1)[0]
        if path.startswith("/files/") and index.redirect_files_to:
            self._send_header_only(302, "Location", index.redirect_files_to.rstrip("/") + path)
        elif path.startswith("/files/"):
            self._serve_file(path[len("/files/") :])
        elif path.startswith("/simple/"):
            self._serve_project_page(path)
        else:
            self._send(404, b"not found", "text/plain")

    def _serve_file(self, name: str) -> None:
        files = self.index.files
        if name.endswith(".metadata") and name[: -len(".metadata")] in files:
            served = files[name[: -len(".metadata")]]
            metadata = served.served_metadata or served.metadata
            if metadata is not None:
                self._send(200, metadata, "application/octet-stream")
                return
        elif name in files:
            self._send(200, files[name].path.read_bytes(), "application/octet-stream")
            return
        self._send(404, b"not found", "text/plain")

    def _serve_project_page(self, path: str) -> None:
        index = self.index
        project = path[len("/simple/") :].strip("/")
        if not path.endswith("/"):
            self._send_header_only(301, "Location", path + "/")
            return
        if project not in index.projects:
            self._send(404, b"no such project", "text/plain")
            return
        wants_json = JSON_TYPE in self.headers.get("Accept", "")
        if index.mode == "json" or (index.mode == "negotiate" and wants_json):
            self._send(200, index.json_page(project), JSON_TYPE, cacheable=True)
        else:
            self._send(200, index.html_page(project), "text/html; charset=utf-8", cacheable=True)
