"""The decision a team needs, target by target: can we move to 3.13t, 3.14t or 3.15t
today, and what blocks each.

Built from a report's multi-target dependency tree (``tree_targets``, or ``tree`` for
one target) and the project's own harness samples. Every blocker carries advice that is
right for that package on that target: an upgrade only to a newer release, a downgrade
called a downgrade, and never a rebuild for a target the package has never shipped for
when it ships for another one (cffi refuses 3.13t; PyYAML never shipped cp313t wheels
but does cp314t).
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from ..collectors.binary.abi_tag import static_only_note
from ..collectors.environment.names import normalize_name
from ..model import AuditReport, Blocker, PackageWheelStatus, TargetDecision, TreeResult


def _abi(target: str) -> str:
    return "cp" + target.replace(".", "")


def _newer(candidate: str | None, current: str | None) -> bool:
    if not candidate or not current:
        return False
    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False


def _trees(report: AuditReport) -> list[TreeResult]:
    if report.tree_targets:
        return list(report.tree_targets)
    return [report.tree] if report.tree else []


def package_advice(package: PackageWheelStatus, target: str, elsewhere: dict[str, PackageWheelStatus]) -> str:
    """What to do about a package that has no ``target`` wheel; ``elsewhere`` is the same
    package judged for the other targets."""
    name, version, abi = package.name, package.version or "?", _abi(target)
    same_pin_ready = [other for other, status in elsewhere.items() if status.status in ("ready", "pure")]
    keep_pin = (
        f"; {name} {version} does ship {', '.join(_abi(each) for each in same_pin_ready)} wheels, so "
        f"{' and '.join(same_pin_ready)} need{'s' if len(same_pin_ready) == 1 else ''} no change to this pin"
        if same_pin_ready
        else ""
    )
    if _newer(package.first_ready_version, package.version):
        advice = (
            f"upgrade {name} from {version} to {package.first_ready_version}, the first release with {abi} "
            "wheels"
        )
        if package.held_back_by:
            advice += f" (other requirements rule it out first: {'; '.join(package.held_back_by)})"
        return advice + keep_pin
    if package.first_ready_version:
        # Older releases had target wheels, this one has none: the project stopped.
        last = package.last_ready_before or package.first_ready_version
        if same_pin_ready:
            return (
                f"{name} {version} ships no {abi} wheel ({name} stopped after {last}){keep_pin}; to stay on "
                f"{target}, pin {name}=={last} (a downgrade from {version})"
            )
        return (
            f"{name} {version} ships no {abi} wheel; {name} stopped shipping them after {last}: pin "
            f"{name}=={last} (a downgrade from {version}) or build {version} from source for {abi}"
        )
    if same_pin_ready:
        return (
            f"{name} has never shipped {abi} wheels (none up to {package.latest_version or version}): "
            f"do not rebuild it for {target}{keep_pin}"
        )
    later = {
        other: status.first_ready_version
        for other, status in elsewhere.items()
        if status.first_ready_version and _newer(status.first_ready_version, package.version)
    }
    if later:
        other, first = next(iter(later.items()))
        return (
            f"{name} has never shipped {abi} wheels (none up to {package.latest_version or version}); "
            f"{first} is its first release with {_abi(other)} wheels: upgrade to it and move to {other} "
            f"rather than rebuilding for {target}"
        )
    targets = ", ".join(sorted([target, *elsewhere], key=lambda name: Version(name.rstrip("t"))))
    return (
        f"{name}: no release up to {package.latest_version or version} ships a free-threaded wheel for "
        f"{targets} (GIL builds only): ask upstream for free-threaded wheels, or build {version} from "
        f"source (pip install --no-binary {name} {name}=={version}) and check it with `ftaudit scan --probe`"
        ", or replace it"
    )


def decide_targets(report: AuditReport) -> tuple[list[TargetDecision], str | None]:
    """(one decision per target judged, the recommended target or None)."""
    trees = _trees(report)
    if not trees:
        return [], None
    by_target = {tree.target: {normalize_name(p.name): p for p in tree.packages} for tree in trees}
    own_races = [
        sample for sample in report.hammer or [] if sample.classification in ("race-without-gil", "race")
    ]
    decisions: list[TargetDecision] = []
    for tree in trees:
        blockers: list[Blocker] = []
        for package in tree.packages:
            key = normalize_name(package.name)
            elsewhere = {
                other: packages[key]
                for other, packages in by_target.items()
                if other != tree.target and key in packages
            }
            if package.status == "needs-build":
                blockers.append(
                    Blocker(
                        "dependency",
                        package.name,
                        package.version,
                        package_advice(package, tree.target, elsewhere),
                    )
                )
            elif package.status == "ready" and package.gil_fallback:
                modules = ", ".join(package.gil_fallback_modules) or "its extension modules"
                blockers.append(
                    Blocker(
                        "gil-fallback",
                        package.name,
                        package.version,
                        f"{package.name} {package.version}: its {_abi(tree.target)} wheel installs, but "
                        f"importing {modules} re-enables the GIL for the whole process; ask upstream to "
                        "declare "
                        "Py_mod_gil = Py_MOD_GIL_NOT_USED once it is thread-safe",
                    )
                )
            elif package.status == "unknown":
                blockers.append(
                    Blocker(
                        "unknown",
                        package.name,
                        package.version,
                        f"{package.name}: could not be judged ({package.reason or 'see the errors'}); "
                        "check the index or the pin",
                    )
                )
        for sample in own_races:
            when = (
                "only without the GIL" if sample.classification == "race-without-gil" else "even with the GIL"
            )
            blockers.append(
                Blocker(
                    "own-code",
                    sample.name,
                    None,
                    f"our code races {when} (sample {sample.name}, {sample.failures} failing trial(s) of "
                    f"{sample.trials}): fix it before moving to any free-threaded target"
                    + (f"; {sample.safe_twin} shows the fix" if sample.safe_twin else ""),
                )
            )
        decisions.append(
            TargetDecision(
                target=tree.target,
                ready=not blockers,
                headline=_headline(tree.target, blockers, len(tree.packages)),
                blockers=blockers,
                static_only=static_only_note(tree.target),
            )
        )
    # Fewest blockers that are not our own code (those are the same for every target);
    # on a tie the older release: it has been out longer, and a team moves one interpreter
    # release at a time (3.14t is the first whose free-threaded build is supported, PEP 779).
    recommended = min(
        decisions,
        key=lambda decision: (
            sum(1 for blocker in decision.blockers if blocker.kind != "own-code"),
            Version(decision.target.rstrip("t")),
        ),
    )
    return decisions, recommended.target


def _headline(target: str, blockers: list[Blocker], packages: int) -> str:
    dependencies = [b for b in blockers if b.kind != "own-code"]
    own = [b for b in blockers if b.kind == "own-code"]
    if not blockers:
        return f"{target}: ready to move: all {packages} dependencies ship wheels that keep the GIL off"
    races = f"{len(own)} race{'s' if len(own) != 1 else ''} in our code ({', '.join(b.name for b in own)})"
    if not dependencies:
        return f"{target}: all {packages} dependencies are ready; blocked by {races}"
    names = ", ".join(f"{b.name} {b.version}" if b.version else b.name for b in dependencies)
    text = f"{target}: blocked by {len(dependencies)} of {packages} dependencies ({names})"
    return text + (f" and {races}" if own else "")
