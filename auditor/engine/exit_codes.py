"""The exit codes every command documents (docs/exit-codes.md), decided here, not in the CLI."""

from __future__ import annotations

EXIT_OK = 0  # the command ran and found nothing it is asked to fail on
EXIT_FAILED = 1  # the gate failed: a policy violation, a race observed, a regression
EXIT_USAGE = 2  # bad arguments or input that stopped the command from running
EXIT_PARTIAL = 3  # the command ran but some items could not be processed (see the output)
EXIT_INTERNAL = 4  # a bug in ftaudit itself
