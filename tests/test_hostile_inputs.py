"""Hostile and broken inputs (issue 8): no crash, no hang, nothing executed, nothing lost.

Every input is generated here, small, and fed to the real CLI in a subprocess; each test
names the exit code (docs/exit-codes.md) and the message the user must see.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FREE_THREADED = Path.home() / ".cache" / "ftaudit" / "pythons" / "3.13t" / "bin" / "python3.13t"
SUFFIX = ".cpython-313t-x86_64-linux-gnu.so"
# One nesting shape per parser limit: over CPython's 200 brackets, and brackets hidden from
# the raw bracket count by a string of closers, so that only the crash isolation is left.
DEEP_BRACKETS = "x = " + "[" * 2000 + "]" * 2000 + "\n"
HIDDEN_BRACKETS = "s = '" + ")" * 6000 + "'\nx = " + "[" * 6000 + "]" * 6000 + "\n"
# Passes the pre-filter (a module-level dict mutated in a function): the real parser runs.
NEEDS_PARSER = "import threading\ncache = {}\n\ndef remember(key):\n    cache[key] = 1\n"


def run(*arguments: str, cwd: Path | None = None, timeout: float = 120, env: dict | None = None):
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "auditor", *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
        env=environment,
        errors="backslashreplace",
    )


def dist_info(site: Path, name: str, files: dict[str, bytes] | None = None) -> Path:
    folder = site / f"{name}-1.0.dist-info"
    folder.mkdir(parents=True)
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (folder / "WHEEL").write_text("Wheel-Version: 1.0\nTag: cp313-cp313t-linux_x86_64\n")
    (folder / "INSTALLER").write_text("pip\n")
    (folder / "top_level.txt").write_text(f"{name}\n")
    record = []
    for relative, data in (files or {}).items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
        record.append(f"{relative},,")
    (folder / "RECORD").write_text("\n".join([*record, f"{folder.name}/RECORD,,"]) + "\n")
    return folder


# --------------------------------------------------------------------------- FIFOs and devices


@pytest.mark.parametrize("metadata_file", ["METADATA", "RECORD", "WHEEL", "INSTALLER", "top_level.txt"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_fifo_or_device_as_metadata_file_is_reported_not_read(tmp_path, metadata_file, kind):
    site = tmp_path / "site"
    folder = dist_info(site, "victim", {"victim/__init__.py": b""})
    dist_info(site, "bystander")
    (folder / metadata_file).unlink()
    if kind == "fifo":
        os.mkfifo(folder / metadata_file)  # open() without O_NONBLOCK waits for a writer forever
        expected = "FIFO"
    else:
        (folder / metadata_file).symlink_to("/dev/zero")  # stat says 0 bytes; read() never ends
        expected = "character device"
    completed = run("scan", "--path", str(site), "--no-cache", "--format", "json", timeout=60)
    assert completed.returncode == 3, completed.stderr
    result = json.loads(completed.stdout)
    by_name = {d["name"]: d for d in result["scan"]["distributions"]}
    assert any(expected in message and metadata_file in message for message in by_name["victim"]["errors"])
    assert "bystander" in by_name  # the rest of the work went on


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dev-zero-link"])
def test_scan_source_refuses_fifos_and_devices_named_on_the_command_line(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.py"
        os.mkfifo(target)
        expected = "is a FIFO (named pipe), not a regular file"
    elif kind == "dev-zero":
        target, expected = Path("/dev/zero"), "is a character device, not a regular file"
    else:
        target = tmp_path / "zero.py"
        target.symlink_to("/dev/zero")
        expected = "is a character device, not a regular file"
    good = tmp_path / "good.py"
    good.write_text(NEEDS_PARSER)
    completed = run("scan-source", str(target), str(good), "--no-cache", "--format", "json", timeout=60)
    assert completed.returncode == 1, completed.stderr  # good.py's finding still fails the run
    result = json.loads(completed.stdout)["source"]
    assert {"path": str(target), "message": expected + "; not read"} in result["problems"]
    assert {finding["location"]["path"] for finding in result["findings"]} == {str(good)}


# --------------------------------------------------------------------------- parsers that crash


def test_deep_nesting_is_refused_with_its_limit_and_a_parser_crash_costs_one_file(tmp_path):
    (tmp_path / "deep.py").write_text(NEEDS_PARSER + DEEP_BRACKETS)
    (tmp_path / "hidden.py").write_text(NEEDS_PARSER + HIDDEN_BRACKETS)
    for number in range(30):  # enough files for several chunks and both workers
        (tmp_path / f"good_{number}.py").write_text(NEEDS_PARSER)
    completed = run("scan-source", str(tmp_path), "--no-cache", "--format", "json", "--jobs", "2")
    assert completed.returncode == 1, completed.stderr
    result = json.loads(completed.stdout)["source"]
    problems = {Path(problem["path"]).name: problem["message"] for problem in result["problems"]}
    assert set(problems) == {"deep.py", "hidden.py"}, result["problems"]
    assert problems["deep.py"].startswith("brackets nested more than 200 deep at line 6")
    # libcst's parser dies on this one (SIGSEGV); the pool reports it and goes on.
    assert "the parser crashed on this file" in problems["hidden.py"]
    assert "SIGSEGV" in problems["hidden.py"]
    assert len({f["location"]["path"] for f in result["findings"]}) == 30


def test_scan_source_option_survives_a_parser_crash_inside_a_distribution(tmp_path):
    site = tmp_path / "site"
    dist_info(
        site,
        "nested",
        {"nested/__init__.py": b"", "nested/deep.py": (NEEDS_PARSER + HIDDEN_BRACKETS).encode()},
    )
    dist_info(site, "plain", {"plain/__init__.py": NEEDS_PARSER.encode()})
    completed = run("scan", "--path", str(site), "--source", "--no-cache", "--format", "json")
    assert completed.returncode == 3, completed.stderr
    source = json.loads(completed.stdout)["source"]
    assert any("crashed" in p["message"] and p["path"].endswith("deep.py") for p in source["problems"])
    assert any(f["location"]["path"].endswith("plain/__init__.py") for f in source["findings"])


def test_parser_memory_error_is_an_input_limit_not_an_internal_error(tmp_path):
    # 5,000 nested lambdas: CPython's own parser raises MemoryError building the tree.
    (tmp_path / "lambdas.py").write_text(NEEDS_PARSER + "x = " + "lambda: " * 5000 + "1\n")
    completed = run("scan-source", str(tmp_path / "lambdas.py"), "--no-cache", "--format", "json")
    assert completed.returncode == 3, completed.stderr
    (problem,) = json.loads(completed.stdout)["source"]["problems"]
    assert "ran out of memory" in problem["message"] and "docs/limits.md" in problem["message"]
    assert "internal error" not in problem["message"]


def test_nul_byte_is_reported_at_its_line(tmp_path):
    (tmp_path / "nul.py").write_bytes(b"import threading\ncache = {}\n\nx = '\x00'\n" + NEEDS_PARSER.encode())
    completed = run("scan-source", str(tmp_path / "nul.py"), "--no-cache", "--format", "json")
    assert completed.returncode == 3, completed.stderr
    (problem,) = json.loads(completed.stdout)["source"]["problems"]
    assert problem["message"].startswith("NUL byte at line 4, column 6")


# --------------------------------------------------------------------------- nothing executed


@pytest.fixture(scope="module")
def booby_trapped_venv(tmp_path_factory):
    """A real venv of the free-threaded interpreter whose start-up code leaves marks."""
    root = tmp_path_factory.mktemp("trapped")
    venv = root / "venv"
    subprocess.run([str(FREE_THREADED), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    marker = root / "marker.txt"
    (site / "trap.pth").write_text(f"import sys; open({str(marker)!r}, 'a').write('pth %r\\n' % sys.argv)\n")
    (site / "sitecustomize.py").write_text(f"open({str(marker)!r}, 'a').write('sitecustomize\\n')\n")
    dist_info(site, "present", {"present/__init__.py": b""})
    return venv / "bin" / "python", marker


def test_static_commands_start_no_code_of_the_scanned_environment(booby_trapped_venv, tmp_path):
    python, marker = booby_trapped_venv
    marker.unlink(missing_ok=True)
    completed = run("scan", "--python", str(python), "--no-cache", "--format", "json")
    assert completed.returncode in (0, 3), completed.stderr
    assert "present" in {d["name"] for d in json.loads(completed.stdout)["scan"]["distributions"]}
    completed = run("check", "--python", str(python), "--no-interpreter-guard", cwd=tmp_path)
    assert completed.returncode in (0, 1, 3), completed.stderr
    assert not marker.exists(), marker.read_text()  # neither the .pth nor sitecustomize ran


def test_check_runs_the_environment_start_up_code_once_in_its_guard(booby_trapped_venv, tmp_path):
    # The guard imports the project's modules as the user's program would, .pth files
    # and all; the site-packages discovery before it must not run them a second time.
    python, marker = booby_trapped_venv
    marker.unlink(missing_ok=True)
    completed = run("check", "--python", str(python), cwd=tmp_path)
    assert completed.returncode in (0, 1, 3), completed.stderr
    lines = marker.read_text().splitlines()
    # sitecustomize runs once per interpreter started with site: one process, the guard
    # (whose argv carries its request). The .pth may run twice in it: site.py walks
    # lib/ and the venv's lib64 -> lib link as two folders; that is CPython's doing.
    assert lines.count("sitecustomize") == 1, lines
    assert all('"modules"' in line for line in lines if line.startswith("pth")), lines


# --------------------------------------------------------------------------- names and writers


@pytest.mark.parametrize("output_format", ["terminal", "markdown", "html"])
def test_non_utf8_folder_name_is_written_as_an_escape(tmp_path, output_format):
    site = tmp_path / "site"
    site.mkdir()
    folder = os.path.join(os.fsencode(site), b"caf\xe9-1.0.dist-info")
    os.mkdir(folder)
    with open(os.path.join(folder, b"METADATA"), "w") as stream:
        stream.write("Metadata-Version: 2.1\n")
    output = tmp_path / f"report.{output_format}"
    completed = run("scan", "--path", str(site), "--no-cache", "--format", output_format, "-o", str(output))
    assert completed.returncode == 3, completed.stderr
    assert "caf\\xe9" in output.read_text(encoding="utf-8")


def test_escape_sequences_in_a_name_never_reach_the_terminal(tmp_path):
    site = tmp_path / "site"
    folder = dist_info(site, "evil")
    (folder / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: evil\x1b]0;owned\x07\x1b[2J\nVersion: 1.0\n"
    )
    completed = run("scan", "--path", str(site), "--no-cache", "--format", "terminal")
    assert completed.returncode == 0, completed.stderr
    assert "\x1b" not in completed.stdout and "\x07" not in completed.stdout
    assert "evil\\x1b]0;owned\\x07" in completed.stdout


def test_non_ascii_module_and_unowned_helper_library_are_in_the_result(tmp_path):
    site = tmp_path / "site"
    dist_info(site, "owner", {"owner/__init__.py": b""})
    (site / f"café{SUFFIX}").write_bytes(b"\x7fELF truncated")  # PEP 489: PyInitU_caf_gva
    (site / "libhelper-1.2.so").write_bytes(b"\x7fELF truncated")
    completed = run("scan", "--path", str(site), "--no-cache", "--format", "json")
    assert completed.returncode == 3, completed.stderr
    by_name = {d["name"]: d for d in json.loads(completed.stdout)["scan"]["distributions"]}
    unowned = by_name["(unowned files)"]
    assert [extension["module"] for extension in unowned["extensions"]] == ["café"]
    assert unowned["native_libraries"] == ["libhelper-1.2.so"]


# --------------------------------------------------------------------------- report / diff input


@pytest.fixture()
def scan_json(tmp_path) -> Path:
    site = tmp_path / "site"
    dist_info(site, "sample", {"sample/__init__.py": b""})
    output = tmp_path / "scan.json"
    completed = run("scan", "--path", str(site), "--no-cache", "--format", "json", "-o", str(output))
    assert completed.returncode == 0, completed.stderr
    return output


def _hostile_documents(scan_json: Path) -> dict[str, tuple[str, str]]:
    document = json.loads(scan_json.read_text())
    null_name = json.loads(json.dumps(document))
    null_name["scan"]["distributions"][0]["name"] = None
    infinite = json.loads(json.dumps(document))
    infinite["scan"]["distributions"][0]["version"] = float("inf")
    return {
        "null-name": (json.dumps(null_name), "scan.distributions[0].name: null is not allowed here"),
        "infinity": (json.dumps(infinite), "Infinity is not a JSON value"),
        "nested": ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels"),
    }


@pytest.mark.parametrize("case", ["null-name", "infinity", "nested"])
def test_report_and_diff_refuse_hostile_json_naming_the_problem(tmp_path, scan_json, case):
    text, expected = _hostile_documents(scan_json)[case]
    hostile = tmp_path / f"{case}.json"
    hostile.write_text(text)
    for arguments in (["report", str(hostile), "-f", "markdown"], ["diff", str(scan_json), str(hostile)]):
        completed = run(*arguments)
        assert completed.returncode == 2, (arguments, completed.stderr)
        assert expected in completed.stderr and "Traceback" not in completed.stderr


# --------------------------------------------------------------------------- archives and SIGTERM


def _sdist(path: Path, files: int, size: int) -> Path:
    with tarfile.open(path, "w:gz") as bundle:
        for number in range(files):
            member = path.parent / f"module_{number}.py"
            member.write_text((NEEDS_PARSER + "# padding\n" * (size // 10))[:size])
            bundle.add(member, arcname=f"{path.stem}/module_{number}.py")
            member.unlink()
    return path


def test_extraction_is_capped_over_all_archives_of_a_run(tmp_path):
    archives = [str(_sdist(tmp_path / f"pkg{number}-1.0.tar.gz", 10, 10_000)) for number in range(3)]
    completed = run(
        "scan-source", *archives, "--no-cache", "--format", "json",
        env={"FTAUDIT_MAX_EXTRACTED_BYTES": "250000"},
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr  # findings in what was extracted
    result = json.loads(completed.stdout)["source"]
    limit_messages = [p for p in result["problems"] if "extraction limit for one run" in p["message"]]
    assert len(limit_messages) == 1 and limit_messages[0]["path"].startswith(archives[2])
    assert result["files_checked"] == 25  # 250,000 bytes: two archives and half the third


def test_sigterm_removes_the_extraction_folder(tmp_path):
    work = tmp_path / "tmp"
    work.mkdir()
    archive = _sdist(tmp_path / "big-1.0.tar.gz", 3000, 20_000)
    environment = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(work)}
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", "scan-source", str(archive), "--no-cache", "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while not list(work.glob("ftaudit-sdist-*/archive-0/*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(work.glob("ftaudit-sdist-*")), "the scan never started extracting"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "terminated" in stderr
    assert list(work.iterdir()) == []


# --------------------------------------------------------------------------- exit code 4


def test_a_bug_exits_4_with_the_traceback_saved(tmp_path, scan_json):
    # A reporter plug-in with a bug, registered the way every reporter is, run by the real CLI.
    program = (
        "import sys\n"
        "from auditor.reporters.interface import Reporter, register_reporter\n"
        "@register_reporter\n"
        "class Broken(Reporter):\n"
        "    name, file_extension, description = 'broken', '.txt', 'a reporter with a bug'\n"
        "    def render(self, report):\n"
        "        return {}['missing']\n"
        "from auditor.cli import main\n"
        f"sys.exit(main(['report', {str(scan_json)!r}, '--format', 'broken']))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), "FTAUDIT_CACHE": str(tmp_path / "cache")},
    )
    assert completed.returncode == 4, completed.stderr
    assert "internal error (KeyError: 'missing')" in completed.stderr
    assert "Traceback" not in completed.stderr
    (saved,) = (tmp_path / "cache" / "crashes").iterdir()
    assert str(saved) in completed.stderr
    assert "in render\nKeyError: 'missing'" in saved.read_text()
