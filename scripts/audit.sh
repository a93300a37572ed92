#!/usr/bin/env bash
# The README's main command: set up (idempotent, cached), then audit this environment
# and hammer the shipped samples on the free-threaded interpreter, with defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/ftaudit audit "$@"
