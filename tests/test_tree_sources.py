"""The dependency file readers, on real files written here (no index needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.collectors.binary.target import make_target
from auditor.collectors.tree.sources import TreeInputError, detect_kind, read_dependency_source

LINUX_313T = make_target("3.13t").marker_environment


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def names(requirements) -> list[str]:
    return [root.requirement.name for root in requirements]


def test_requirements_txt_options_includes_continuations_and_hashes(tmp_path, monkeypatch):
    monkeypatch.setenv("FTAUDIT_TEST_VERSION", "2.0")
    write(tmp_path, "base/common.txt", "shared>=1  # a comment\n-c ../pins.txt\n")
    write(tmp_path, "pins.txt", "shared==1.4\n")
    path = write(
        tmp_path,
        "requirements.txt",
        """\
# top comment
--index-url https://mirror.example/simple
-r base/common.txt
alpha==1.0 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
beta[fast,cli] >= 2 ; python_version >= "3.12"
gamma==${FTAUDIT_TEST_VERSION}
-e ./local-project
delta @ https://example.org/delta-1.0.tar.gz
./wheels/epsilon-1.0-py3-none-any.whl
--extra-index-url https://other.example/simple
""",
    )
    source = read_dependency_source(path, LINUX_313T)
    assert source.kind == "requirements"
    assert source.index_url == "https://mirror.example/simple"
    assert names(source.requirements) == ["shared", "alpha", "beta", "gamma"]
    alpha = source.requirements[1]
    assert str(alpha.pinned_version) == "1.0" and alpha.origin == f"{path}:4"
    beta = source.requirements[2]
    assert (
        beta.requirement.extras == {"fast", "cli"}
        and str(beta.requirement.marker) == 'python_version >= "3.12"'
    )
    assert beta.pinned_version is None
    assert str(source.requirements[3].pinned_version) == "2.0"
    assert names(source.constraints) == ["shared"]
    assert source.constraints[0].origin == f"{tmp_path / 'base/../pins.txt'}:1"
    assert len(source.notes) == 4  # editable, direct URL, local wheel, extra index
    assert any("editable" in note for note in source.notes)


def test_requirements_txt_bad_lines_are_reported_with_file_and_line_and_reading_goes_on(tmp_path):
    path = write(tmp_path, "requirements.txt", "good==1\nbad ===\n--frobnicate\n-r missing.txt\nalso-good\n")
    source = read_dependency_source(path, LINUX_313T)
    assert names(source.requirements) == ["good", "also-good"]
    assert source.problems[0].startswith(f"{path}:2: invalid requirement 'bad ==='")
    assert source.problems[1] == f"{path}:3: unknown option '--frobnicate'"
    assert (
        source.problems[2].startswith(f"{path}:4: {tmp_path / 'missing.txt'}: no such file")
        or "cannot read it" in source.problems[2]
    )


def test_requirements_include_cycle_is_read_once(tmp_path):
    write(tmp_path, "b.txt", "-r a.txt\nbeta\n")
    path = write(tmp_path, "a.txt", "-r b.txt\nalpha\n")
    source = read_dependency_source(path, LINUX_313T)
    assert names(source.requirements) == ["beta", "alpha"]
    assert "cycle" in source.problems[0]


def test_wildcard_pin_is_not_a_pin(tmp_path):
    source = read_dependency_source(write(tmp_path, "requirements.txt", "a==1.*\nb===1.0\n"), LINUX_313T)
    assert [str(root.pinned_version) for root in source.requirements] == ["None", "1.0"]


def test_pyproject_without_project_table_or_with_dynamic_dependencies(tmp_path):
    poetry = write(tmp_path, "a/pyproject.toml", "[tool.poetry]\nname = 'x'\n")
    with pytest.raises(TreeInputError, match=r"no \[project\] table"):
        read_dependency_source(poetry, LINUX_313T)
    dynamic = write(tmp_path, "b/pyproject.toml", "[project]\nname = 'x'\ndynamic = ['dependencies']\n")
    source = read_dependency_source(dynamic, LINUX_313T)
    assert source.requirements == [] and "dynamic" in source.problems[0]
    broken = write(
        tmp_path, "c/pyproject.toml", "[project]\nname = 'x'\ndependencies = ['ok', 'not valid !!', 3]\n"
    )
    source = read_dependency_source(broken, LINUX_313T)
    assert names(source.requirements) == ["ok"]
    assert source.problems[0].startswith(f"{broken}:3: project.dependencies[1] is not a valid requirement")
    assert "project.dependencies[2] is not a string" in source.problems[1]


def test_pyproject_requires_python_that_excludes_the_target_is_noted(tmp_path):
    path = write(
        tmp_path, "pyproject.toml", "[project]\nname = 'x'\nrequires-python = '<3.13'\ndependencies = ['a']\n"
    )
    source = read_dependency_source(path, LINUX_313T)
    assert names(source.requirements) == ["a"]
    assert "requires-python '<3.13' excludes Python 3.13" in source.notes[0]
    assert read_dependency_source(path, make_target("3.12").marker_environment).notes == []


def test_extras_on_a_requirements_file_are_a_problem_not_silence(tmp_path):
    source = read_dependency_source(write(tmp_path, "requirements.txt", "a\n"), LINUX_313T, extras=["x"])
    assert "--extra applies to pyproject.toml and uv.lock" in source.problems[0]


def test_pylock_validation_errors_are_input_errors(tmp_path):
    missing_hashes = write(
        tmp_path,
        "pylock.toml",
        """\
lock-version = "1.0"
created-by = "x"
[[packages]]
name = "a"
version = "1"
wheels = [{ url = "https://x/a-1-py3-none-any.whl" }]
""",
    )
    with pytest.raises(TreeInputError, match=r"pylock.toml: not a valid PEP 751 lock file: .*hashes"):
        read_dependency_source(missing_hashes, LINUX_313T)
    future = write(tmp_path, "pylock.dev.toml", 'lock-version = "2.0"\ncreated-by = "x"\npackages = []\n')
    with pytest.raises(TreeInputError, match="not a valid PEP 751 lock file"):
        read_dependency_source(future, LINUX_313T)


def test_pylock_vcs_and_directory_packages_are_noted_not_judged(tmp_path):
    lock = write(
        tmp_path,
        "pylock.toml",
        """\
lock-version = "1.0"
created-by = "x"
[[packages]]
name = "local"
directory = { path = "./local" }

[[packages]]
name = "dep"
version = "1.0"
dependencies = [{ name = "leaf" }]
sdist = { url = "https://x/dep-1.0.tar.gz", hashes = { sha256 = "00" } }

[[packages]]
name = "leaf"
version = "2.0"
wheels = [
  { name = "leaf-2.0-py3-none-any.whl", url = "https://x/leaf-2.0-py3-none-any.whl", hashes = { md5 = "0" } },
]
""",
    )
    source = read_dependency_source(lock, LINUX_313T)
    assert [(p.name, p.version, p.sdist_filename, p.wheel_filenames) for p in source.locked] == [
        ("dep", "1.0", "dep-1.0.tar.gz", []),
        ("leaf", "2.0", None, ["leaf-2.0-py3-none-any.whl"]),
    ]
    assert source.locked[1].required_by == ["dep"]
    assert "local is locked from a VCS, directory or archive" in source.notes[0]


def test_pylock_markers_on_extras_and_dependency_groups(tmp_path):
    lock = write(
        tmp_path,
        "pylock.toml",
        """\
lock-version = "1.0"
created-by = "x"
dependency-groups = ["dev", "docs"]
default-groups = ["dev"]
[[packages]]
name = "devtool"
version = "1.0"
marker = "'dev' in dependency_groups"
sdist = { url = "https://x/devtool-1.0.tar.gz", hashes = { sha256 = "00" } }

[[packages]]
name = "doctool"
version = "1.0"
marker = "'docs' in dependency_groups and sys_platform == 'linux'"
sdist = { url = "https://x/doctool-1.0.tar.gz", hashes = { sha256 = "00" } }
""",
    )
    by_default = read_dependency_source(lock, LINUX_313T)
    assert [package.name for package in by_default.locked] == ["devtool"] and by_default.problems == []
    docs = read_dependency_source(lock, LINUX_313T, extras=["docs"])
    assert [package.name for package in docs.locked] == ["doctool"]


def test_uv_lock_that_is_not_one(tmp_path):
    with pytest.raises(TreeInputError, match="not a uv lock file"):
        read_dependency_source(write(tmp_path, "uv.lock", "[tool]\nx = 1\n"), LINUX_313T)
    with pytest.raises(TreeInputError, match="not valid TOML"):
        read_dependency_source(write(tmp_path, "x/uv.lock", "version = \n"), LINUX_313T)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("requirements.txt", "requirements"),
        ("requirements-dev.in", "requirements"),
        ("dev.txt", "requirements"),
        ("pyproject.toml", "pyproject"),
        ("pylock.toml", "pylock"),
        ("pylock.ci.toml", "pylock"),
        ("uv.lock", "uv-lock"),
    ],
)
def test_detect_kind(name, kind):
    assert detect_kind(Path(name)) == kind


def test_detect_kind_refuses_unknown_names(tmp_path):
    with pytest.raises(TreeInputError, match="cannot tell what kind of file"):
        read_dependency_source(write(tmp_path, "Pipfile.lock", "{}"), LINUX_313T)
