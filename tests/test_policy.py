"""[tool.ftaudit] policy parsing: defaults, every key, and clear errors for bad tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.engine.policy import KNOWN_KEYS, Policy, PolicyError, default_policy, load_policy
from auditor.model import Severity, Verdict

pytestmark = pytest.mark.timeout(30)


def _pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "demo"\nversion = "1"\n\n' + body, encoding="utf-8")
    return path


def test_defaults_fail_on_gil_fallback_needs_build_and_errors():
    policy = default_policy()
    assert policy.fail_on_verdicts == {Verdict.GIL_FALLBACK, Verdict.NEEDS_BUILD}
    assert policy.fail_on_severity is Severity.ERROR
    assert policy.require_free_threaded is True
    assert policy.severity_fails(Severity.ERROR) and not policy.severity_fails(Severity.WARNING)
    assert policy.selects("FTB001") and not policy.is_exempt("numpy")


def test_every_key_is_read(tmp_path):
    path = _pyproject(
        tmp_path,
        """
[tool.ftaudit]
fail-on-verdicts = ["gil-fallback", "unknown"]
fail-on-severity = "warning"
exempt = ["PyYAML", "ruamel.yaml.clib"]
baseline = "ci/ftaudit-baseline.json"
target = "3.14t"
select = ["FTB", "fte"]
ignore = ["FTB011"]
require-free-threaded = false
""",
    )
    policy = load_policy(path)
    assert policy.fail_on_verdicts == {Verdict.GIL_FALLBACK, Verdict.UNKNOWN}
    assert policy.fail_on_severity is Severity.WARNING and policy.severity_fails(Severity.WARNING)
    assert policy.is_exempt("pyyaml") and policy.is_exempt("Ruamel_Yaml-Clib")
    assert policy.baseline == tmp_path / "ci" / "ftaudit-baseline.json"  # relative to the file
    assert policy.target == "3.14t"
    assert policy.selects("FTB010") and policy.selects("FTE003")
    assert not policy.selects("FTB011") and not policy.selects("FTC001")
    assert policy.require_free_threaded is False
    assert policy.source == path


def test_missing_table_or_file_gives_defaults_with_a_note(tmp_path, monkeypatch):
    policy = load_policy(_pyproject(tmp_path, ""))
    assert policy.fail_on_verdicts == default_policy().fail_on_verdicts
    assert "no [tool.ftaudit] table" in policy.notes[0]
    monkeypatch.chdir(tmp_path / "..")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert load_policy() == Policy()
    with pytest.raises(PolicyError, match="no such file"):
        load_policy(empty / "pyproject.toml")


def test_none_severity_lets_findings_pass(tmp_path):
    policy = load_policy(_pyproject(tmp_path, '[tool.ftaudit]\nfail-on-severity = "none"\n'))
    assert policy.fail_on_severity is None and not policy.severity_fails(Severity.ERROR)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('fail-on-verdict = ["gil-fallback"]', "unknown key"),
        ('fail-on-verdicts = "gil-fallback"', "list of strings"),
        ('fail-on-verdicts = ["slow"]', "not a verdict"),
        ('fail-on-verdicts = ["ready"]', "would fail every check"),
        ('fail-on-severity = "fatal"', "not one of"),
        ('exempt = "numpy"', "list of strings"),
        ("baseline = 3", "path string"),
        ('target = "313t"', "3.13t"),
        ('select = ["E501"]', "not a rule code"),
        ('require-free-threaded = "yes"', "true or false"),
    ],
)
def test_bad_tables_are_errors_that_name_the_key(tmp_path, body, message):
    path = _pyproject(tmp_path, "[tool.ftaudit]\n" + body + "\n")
    with pytest.raises(PolicyError, match=message) as raised:
        load_policy(path)
    assert str(path) in str(raised.value)


def test_invalid_toml_is_reported(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ftaudit\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(path)


def test_every_key_is_documented():
    import auditor.engine.policy

    docs = (Path(__file__).resolve().parent.parent / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    for key in KNOWN_KEYS:
        assert f"{key} =" in auditor.engine.policy.__doc__, key
        assert f"`{key}`" in docs, key
