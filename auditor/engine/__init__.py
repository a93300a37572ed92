"""The engine: what turns findings and verdicts into a decision. Rule selection and
suppressions, the accepted-findings baseline, the ``[tool.ftaudit]`` policy, the CI gate
and the documented exit codes. It sits above the rules and below the pipelines, the CLI
and the reporters, and imports nothing from them."""
