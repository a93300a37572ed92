#!/usr/bin/env bash
# Idempotent setup for a fresh machine: system packages, the project's virtualenv, and
# the free-threaded interpreters it tests against (built once, then reused from
# ~/.cache/ftaudit or $FTAUDIT_CACHE).
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(build-essential dpkg-dev pkg-config libffi-dev libssl-dev zlib1g-dev
  libbz2-dev liblzma-dev libsqlite3-dev libreadline-dev uuid-dev libncurses-dev
  chromium)
missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The auditor runs on an ordinary interpreter (libcst has no free-threaded wheel).
HOST_PYTHON="${FTAUDIT_HOST_PYTHON:-}"
if [[ -z "$HOST_PYTHON" ]]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null; then HOST_PYTHON="$(command -v "$candidate")"; break; fi
  done
fi
if [[ ! -x .venv/bin/python ]]; then
  "$HOST_PYTHON" -m venv .venv
fi
stamp=.venv/.ftaudit-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test,dask]'
  touch "$stamp"
fi

.venv/bin/ftaudit provision
.venv/bin/ftaudit provision --tsan
.venv/bin/ftaudit provision --gil-baseline

# Real wheels of other projects (cp314t, cp315t, abi3t, macOS, Windows) that the binary
# tests read; pinned by sha256 in tests/data/free_threaded_wheels.json, cached after the
# first download.
.venv/bin/python scripts/fetch_test_wheels.py
