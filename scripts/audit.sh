#!/usr/bin/env bash
# The README's main command: set up (idempotent, cached), then audit the shipped example
# project (ext_samples/example_service: pinned dependencies judged for 3.13t/3.14t/3.15t,
# its own C extension's race hammered against the GIL baseline). The reports are written
# in the current folder. Arguments go to `ftaudit audit` (e.g. --project DIR).
set -euo pipefail
here="$(pwd)"
cd "$(dirname "$0")/.."
bash scripts/setup.sh
repo="$(pwd)"
cd "$here"
project=()
if [[ " $* " != *" --project "* && " $* " != *" --no-project "* ]]; then
    project=(--project "$repo/ext_samples/example_service")
fi
exec "$repo/.venv/bin/ftaudit" audit "${project[@]}" "$@"
