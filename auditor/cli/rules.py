"""`ftaudit rules`: list every rule, or explain one.

ftaudit rules              # code, name, severity, summary of every registered rule
ftaudit rules FTP003       # why it matters, the fix, and its valid / invalid examples
ftaudit rules --category c-source
"""

from __future__ import annotations

import argparse
import textwrap

from ..rules.registry import CATEGORIES, all_rules, get_rule
from .common import EXIT_OK, EXIT_USAGE, error


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "rules",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("code", nargs="?", default=None, help="a rule code such as FTC003")
    parser.add_argument(
        "--category",
        default=None,
        help="only this category (binary, c-source, python-source, runtime, environment)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.code:
        try:
            rule = get_rule(args.code)
        except KeyError as problem:
            error(str(problem.args[0]))
            return EXIT_USAGE
        print(explain(rule))
        return EXIT_OK
    if args.category and args.category not in CATEGORIES:
        error(f"unknown category {args.category!r}; choose from {', '.join(CATEGORIES)}")
        return EXIT_USAGE
    for rule in all_rules(args.category):
        print(f"{rule.code}  {rule.name:38} {rule.severity.value:8} {rule.summary}")
    return EXIT_OK


def explain(rule) -> str:
    """The long form of one rule, as plain text."""
    lines = [
        f"{rule.code} {rule.name} ({rule.category}, {rule.severity.value})",
        "",
        rule.summary,
        "",
        "Why:",
        textwrap.indent(rule.rationale(), "  "),
        "",
        "Fix:",
        textwrap.indent(textwrap.fill(rule.fix, 88), "  "),
    ]
    for reference in rule.references:
        lines.append(f"  see {reference}")
    for title, examples in (("Flagged", rule.invalid), ("Not flagged", rule.valid)):
        for example in examples:
            note = f" - {example.note}" if example.note else ""
            lines += [
                "",
                f"{title} ({example.language}){note}:",
                textwrap.indent(example.code.rstrip(), "    "),
            ]
            if example.expected_fix:
                lines += [
                    "  after `ftaudit fix --apply`:",
                    textwrap.indent(example.expected_fix.rstrip(), "    "),
                ]
    return "\n".join(lines)
