"""Wheel inspection for ``tree --inspect-wheels``: the target wheel of every ready
package is downloaded (up to a size limit) and read for whether its extension modules
keep the GIL off, for one platform or for each ``--platform`` asked."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ..collectors.binary.target import Target
from ..collectors.tree.index.client import IndexClient, IndexFetchError
from ..collectors.tree.index.project_page import ProjectPage
from ..collectors.tree.judge import READY
from ..collectors.tree.wheel_inspection import choose_inspectable_wheel, inspect_wheel
from ..model.tree import PackageWheelStatus, WheelPlatformInspection


def page_or_none(client: IndexClient, name: str) -> ProjectPage | None:
    try:
        return client.project_page(name)
    except IndexFetchError:
        return None


def _inspect_per_platform(
    status: PackageWheelStatus, client: IndexClient, target: Target, max_bytes: int, platforms: list[str]
) -> bool:
    """--platform given: read the wheel of each platform asked, one result per platform; the
    package's own GIL fields say whether any of them re-enables the GIL."""
    complete = True
    for platform in platforms:
        filename = choose_inspectable_wheel(status.matching_files, platform)
        entry = WheelPlatformInspection(platform=platform, wheel=filename)
        status.platform_inspections.append(entry)
        if filename is None:
            entry.problems.append(f"no {platform} wheel to inspect for the GIL declaration")
            continue
        page = page_or_none(client, status.name)
        file = next((each for each in page.files if each.filename == filename), None) if page else None
        if file is None:
            entry.problems.append(f"{filename}: not on the index any more; not inspected")
            complete = False
            continue
        inspection = inspect_wheel(client, file, target, status.name, max_bytes, platform=platform)
        entry.gil_fallback = inspection.gil_fallback
        entry.gil_fallback_modules = list(inspection.gil_fallback_modules)
        entry.problems.extend(inspection.problems)
        status.reason += "".join(f"; {platform}: {note}" for note in inspection.notes)
        complete &= inspection.gil_fallback is not None
    read = [entry for entry in status.platform_inspections if entry.wheel]
    if not read:
        status.reason += f"; no wheel for {', '.join(platforms)} to inspect for the GIL declaration"
        return True
    status.inspected_wheel = read[0].wheel
    status.errors.extend(f"{entry.platform}: {problem}" for entry in read for problem in entry.problems)
    falling_back = [entry for entry in read if entry.gil_fallback]
    status.gil_fallback = (
        True if falling_back else None if any(entry.gil_fallback is None for entry in read) else False
    )
    for entry in falling_back:
        status.gil_fallback_modules.extend(
            module for module in entry.gil_fallback_modules if module not in status.gil_fallback_modules
        )
        status.reason += (
            f"; but on {entry.platform} importing {', '.join(entry.gil_fallback_modules)} re-enables the GIL"
            f" (no Py_mod_gil = Py_MOD_GIL_NOT_USED in its {target.abi} wheel)"
        )
    return complete


def _inspect_one(
    status: PackageWheelStatus,
    client: IndexClient,
    target: Target,
    max_bytes: int,
    platforms: list[str] | None = None,
) -> bool:
    """Fill the GIL fields of one ready package; returns False when it could not be done."""
    if platforms:
        return _inspect_per_platform(status, client, target, max_bytes, platforms)
    filename = choose_inspectable_wheel(status.matching_files)
    if filename is None:
        status.reason += "; no Linux (ELF) wheel to inspect for the GIL declaration"
        return True  # nothing that can be read: not a failure of the run
    page = page_or_none(client, status.name)
    file = next((each for each in page.files if each.filename == filename), None) if page else None
    if file is None:
        status.errors.append(f"{filename}: not on the index any more; not inspected")
        return False
    inspection = inspect_wheel(client, file, target, status.name, max_bytes)
    status.inspected_wheel = filename
    status.gil_fallback = inspection.gil_fallback
    status.gil_fallback_modules = list(inspection.gil_fallback_modules)
    status.errors.extend(inspection.problems)
    for note in inspection.notes:
        status.reason += f"; {note}"
    if inspection.gil_fallback:
        modules = ", ".join(inspection.gil_fallback_modules)
        status.reason += (
            f"; but importing {modules} re-enables the GIL (no Py_mod_gil = Py_MOD_GIL_NOT_USED in its"
            f" {target.abi} wheel)"
        )
    return inspection.gil_fallback is not None


def inspect_ready_wheels(
    judged: list[tuple[PackageWheelStatus, IndexClient]],
    target: Target,
    max_bytes: int,
    platforms: list[str] | None = None,
) -> bool:
    """Inspect every ready package's wheel; returns True when some could not be inspected."""
    ready = [(status, client) for status, client in judged if status.status == READY]
    # Reading ELF and disassembling init functions is CPU work: two workers are plenty.
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(
            pool.map(lambda pair: _inspect_one(pair[0], pair[1], target, max_bytes, platforms), ready)
        )
    return not all(done)
