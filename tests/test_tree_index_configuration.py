"""`ftaudit tree` uses the indexes pip or uv would install from (PIP_INDEX_URL,
PIP_EXTRA_INDEX_URL, pip.conf, [[tool.uv.index]]) with their credentials (user:token in
the URL, netrc, uv's UV_INDEX_<NAME>_* variables), against real index servers on
127.0.0.1 that demand HTTP basic auth, and never prints a secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _index_server import LINUX, FixtureIndex, Release

from auditor.collectors.tree.index.configuration import (
    pip_index_settings,
    project_index_settings,
    redact_text,
    redact_url,
)

pytestmark = pytest.mark.timeout(120)

SECRET = "tok-9f8e7d6c5b"  # must never appear in any output
PRIVATE = [Release("corp-core", "1.0", [f"cp313-cp313t-{LINUX}"], requires_dist=["publicdep"])]
PUBLIC = [Release("publicdep", "2.0", ["py3-none-any"])]


@pytest.fixture()
def private_index(tmp_path):
    with FixtureIndex(PRIVATE, tmp_path / "private-files", basic_auth=("ci", SECRET)) as index:
        yield index


@pytest.fixture()
def public_index(tmp_path):
    with FixtureIndex(PUBLIC, tmp_path / "public-files") as index:
        yield index


def with_credentials(url: str, user: str = "ci", password: str = SECRET) -> str:
    return url.replace("http://", f"http://{user}:{password}@")


def clean_environment(home: Path, **extra: str) -> dict[str, str]:
    """No pip configuration of this machine leaks in: HOME is a fresh folder and the
    system files are switched off unless a test names a PIP_CONFIG_FILE."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "UV_")) and key not in ("NETRC", "VIRTUAL_ENV", "XDG_CONFIG_HOME")
    }
    environment.update(HOME=str(home), XDG_CONFIG_DIRS=str(home / "no-xdg"), PIP_CONFIG_FILE=os.devnull)
    environment.update(extra)
    return environment


def ftaudit_tree(project: Path, environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "tree",
            str(project),
            "--target",
            "3.13t",
            "--format",
            "json",
            "--cache-dir",
            str(project.parent / "cache"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=90,
        check=False,
    )


def statuses(completed: subprocess.CompletedProcess) -> dict[str, str]:
    document = json.loads(completed.stdout)
    return {package["name"]: package["status"] for package in document["tree"]["packages"]}


def assert_no_secret(completed: subprocess.CompletedProcess) -> None:
    assert SECRET not in completed.stdout and SECRET not in completed.stderr


def test_pip_index_url_with_a_token_reaches_the_private_index_and_hides_the_token(tmp_path, private_index):
    # corp-core's dependency is not on the private index: the result is partial, but
    # corp-core itself was read through the authenticated index.
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("corp-core==1.0\n")
    environment = clean_environment(tmp_path, PIP_INDEX_URL=with_credentials(private_index.url))
    completed = ftaudit_tree(requirements, environment)
    assert statuses(completed)["corp-core"] == "ready", completed.stderr
    assert private_index.authorization_headers, "no credentials were sent"
    assert "ci:***@" in completed.stdout  # the note names the index, redacted
    assert_no_secret(completed)


def test_pip_conf_extra_index_merges_a_public_and_a_private_index(tmp_path, private_index, public_index):
    config = tmp_path / "pip.conf"
    config.write_text(
        f"[global]\nindex-url = {public_index.url}\n[install]\nextra-index-url =\n"
        f"    {with_credentials(private_index.url)}\n"
    )
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("corp-core==1.0\n")
    environment = clean_environment(tmp_path, PIP_CONFIG_FILE=str(config))
    completed = ftaudit_tree(requirements, environment)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert statuses(completed) == {"corp-core": "ready", "publicdep": "pure"}
    assert_no_secret(completed)


def test_netrc_supplies_the_credentials_for_the_index_host(tmp_path, private_index):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1\nlogin ci\npassword {SECRET}\n")
    netrc.chmod(0o600)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("corp-core==1.0\n")
    environment = clean_environment(tmp_path, PIP_INDEX_URL=private_index.url, NETRC=str(netrc))
    completed = ftaudit_tree(requirements, environment)
    assert statuses(completed)["corp-core"] == "ready", completed.stderr
    assert_no_secret(completed)


def test_uv_index_in_pyproject_with_uv_credentials_comes_before_the_default(
    tmp_path, private_index, public_index
):
    project = tmp_path / "pyproject.toml"
    project.write_text(
        '[project]\nname = "svc"\nversion = "0"\ndependencies = ["corp-core==1.0"]\n\n'
        f'[[tool.uv.index]]\nname = "corp"\nurl = "{private_index.url}"\n\n'
        f'[[tool.uv.index]]\nname = "mirror"\nurl = "{public_index.url}"\ndefault = true\n'
    )
    environment = clean_environment(tmp_path, UV_INDEX_CORP_USERNAME="ci", UV_INDEX_CORP_PASSWORD=SECRET)
    completed = ftaudit_tree(project, environment)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert statuses(completed) == {"corp-core": "ready", "publicdep": "pure"}
    assert "as uv does" in completed.stdout
    assert_no_secret(completed)


def test_wrong_credentials_are_an_error_that_names_the_index_but_not_the_secret(tmp_path, private_index):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("corp-core==1.0\n")
    wrong = with_credentials(private_index.url, password="wrong-" + SECRET)
    completed = ftaudit_tree(requirements, clean_environment(tmp_path, PIP_INDEX_URL=wrong))
    document = json.loads(completed.stdout)
    assert completed.returncode == 3
    messages = " ".join(document["tree"]["errors"] + document["tree"]["packages"][0]["errors"])
    assert "HTTP 401" in messages and "127.0.0.1" in messages
    assert_no_secret(completed)


def test_pip_settings_follow_pips_order_env_over_files_install_over_global(tmp_path):
    home = tmp_path / "home"
    (home / ".config" / "pip").mkdir(parents=True)
    (home / ".config" / "pip" / "pip.conf").write_text(
        "[global]\nindex-url = https://user.example/simple\n[install]\nextra-index-url = https://x.example/s\n"
    )
    first = tmp_path / "first.conf"
    first.write_text("[global]\nindex-url = https://first.example/simple\n")
    environ = {"HOME": str(home), "PIP_CONFIG_FILE": str(first), "XDG_CONFIG_DIRS": str(tmp_path / "none")}
    settings = pip_index_settings(environ)
    # PIP_CONFIG_FILE is loaded first, so the user file overrides it.
    assert settings.index_url == "https://user.example/simple"
    assert settings.extra_index_urls == ["https://x.example/s"]
    environ["PIP_INDEX_URL"] = "https://env.example/simple"
    assert pip_index_settings(environ).index_url == "https://env.example/simple"
    environ["PIP_CONFIG_FILE"] = os.devnull
    del environ["PIP_INDEX_URL"]
    assert pip_index_settings(environ) is None


def test_explicit_uv_indexes_are_not_searched(tmp_path):
    project = tmp_path / "pyproject.toml"
    project.write_text(
        '[[tool.uv.index]]\nname = "torch"\nurl = "https://download.example/whl"\nexplicit = true\n'
    )
    settings = project_index_settings(tmp_path, environ={})
    assert settings.all_urls == ["https://pypi.org/simple"]
    assert "explicit" in settings.notes[0]


def test_redaction_keeps_the_user_and_hides_the_secret():
    assert redact_url("https://ci:tok@host:8443/simple") == "https://ci:***@host:8443/simple"
    assert redact_url("https://tok@host/simple") == "https://***@host/simple"
    assert redact_url("https://host/simple") == "https://host/simple"
    assert (
        redact_text("failed: https://ci:tok@h/x and http://t@h2/y")
        == "failed: https://ci:***@h/x and http://***@h2/y"
    )


def test_uv_index_from_the_environment_with_credentials_in_a_uv_project(
    tmp_path, private_index, public_index
):
    project = tmp_path / "pyproject.toml"
    project.write_text(
        '[project]\nname = "svc"\nversion = "0"\ndependencies = ["corp-core==1.0"]\n\n'
        "[tool.uv]\npackage = false\n"
    )
    environment = clean_environment(
        tmp_path,
        UV_INDEX=f"corp={private_index.url}",
        UV_DEFAULT_INDEX=public_index.url,
        UV_INDEX_CORP_USERNAME="ci",
        UV_INDEX_CORP_PASSWORD=SECRET,
    )
    completed = ftaudit_tree(project, environment)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert statuses(completed) == {"corp-core": "ready", "publicdep": "pure"}
    assert private_index.authorization_headers, "no credentials were sent"
    assert "UV_INDEX" in completed.stdout and "as uv does" in completed.stdout
    assert_no_secret(completed)


def test_index_url_on_the_command_line_keeps_pips_extra_index(tmp_path, private_index, public_index):
    # pip's --index-url replaces only the default index; the configured extra index stays.
    config = tmp_path / "pip.conf"
    config.write_text(f"[global]\nextra-index-url = {with_credentials(private_index.url)}\n")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("corp-core==1.0\n")
    environment = clean_environment(tmp_path, PIP_CONFIG_FILE=str(config))
    completed = ftaudit_tree(requirements, environment, "--index-url", public_index.url)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert statuses(completed) == {"corp-core": "ready", "publicdep": "pure"}
    document = json.loads(completed.stdout)
    assert document["tree"]["index_url"] == public_index.url.rstrip("/")
    assert_no_secret(completed)


def test_uv_environment_indexes_come_before_the_pyprojects_and_replace_the_default(tmp_path):
    project = tmp_path / "pyproject.toml"
    project.write_text(
        '[[tool.uv.index]]\nname = "corp"\nurl = "https://corp.example/simple"\n\n'
        '[[tool.uv.index]]\nname = "mirror"\nurl = "https://mirror.example/simple"\ndefault = true\n'
    )
    environ = {
        "UV_INDEX": "https://first.example/simple extra=https://second.example/simple",
        "UV_DEFAULT_INDEX": "https://default.example/simple",
        "UV_INDEX_EXTRA_USERNAME": "bot",
    }
    settings = project_index_settings(tmp_path, environ=environ)
    assert settings.all_urls == [
        "https://first.example/simple",
        "https://bot@second.example/simple",
        "https://corp.example/simple",
        "https://default.example/simple",
    ]
    assert settings.strategy == "first"
    overridden = settings.with_default_index("https://cli.example/simple", "--index-url")
    assert overridden.all_urls[-1] == "https://cli.example/simple"
    assert overridden.all_urls[:3] == settings.all_urls[:3]
    # Without a uv project, pip's configuration wins and uv's variables are the fallback.
    plain = tmp_path / "plain"
    plain.mkdir()
    no_pip = {"PIP_CONFIG_FILE": os.devnull, "UV_INDEX_URL": "https://old.example/simple"}
    assert project_index_settings(plain, environ=no_pip).all_urls == ["https://old.example/simple"]
    no_pip["PIP_INDEX_URL"] = "https://pip.example/simple"
    assert project_index_settings(plain, environ=no_pip).all_urls == ["https://pip.example/simple"]
