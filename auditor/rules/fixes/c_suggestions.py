"""Suggested patches for C findings: printed for a person to review, never applied.

A C fix changes ownership (a borrowed reference becomes a new one that must be
released on every path), so no rewrite is safe without reading the function. What
``ftaudit fix`` can do is show the replacement call and the Py_DECREF it needs, as a
unified diff against the finding's line.
"""

from __future__ import annotations

import re

from ...model.finding import Finding

# (call, replacement template, note). {out} is the variable, {args} the original arguments.
_OUT_PARAMETER_FORMS = {
    "PyDict_GetItem": "PyDict_GetItemRef({args}, &{out})",
    "PyDict_GetItemWithError": "PyDict_GetItemRef({args}, &{out})",
    "PyDict_GetItemString": "PyDict_GetItemStringRef({args}, &{out})",
    "_PyDict_GetItemStringWithError": "PyDict_GetItemStringRef({args}, &{out})",
    "PyWeakref_GetObject": "PyWeakref_GetRef({args}, &{out})",
    "PyWeakref_GET_OBJECT": "PyWeakref_GetRef({args}, &{out})",
    "PyDict_SetDefault": "PyDict_SetDefaultRef({args}, &{out})",
}
_RETURN_FORMS = {
    "PyList_GetItem": "PyList_GetItemRef({args})",
    "PyList_GET_ITEM": "PyList_GetItemRef({args})",
    "PyImport_AddModule": "PyImport_AddModuleRef({args})",
    "PyImport_AddModuleObject": "PyImport_AddModuleRef(PyUnicode_AsUTF8({args}))",
}
_ASSIGNMENT = re.compile(
    r"^(?P<indent>\s*)(?P<decl>(?:const\s+)?\w+\s*\*\s*)?(?P<out>\w+)\s*=\s*(?P<call>\w+)\s*\((?P<args>.*)\)\s*;\s*(?:/\*.*\*/|//.*)?\s*$"
)


def suggest_patch(finding: Finding, source_lines: list[str]) -> str | None:
    """A unified diff for one FTC003 finding's line, or None when the line is not a simple assignment."""
    if finding.rule != "FTC003" or finding.location is None or not finding.location.line:
        return None
    line_number = finding.location.line
    if line_number > len(source_lines):
        return None
    original = source_lines[line_number - 1]
    match = _ASSIGNMENT.match(original)
    if not match:
        return None
    call, out, args = match.group("call"), match.group("out"), match.group("args")
    indent, declaration = match.group("indent"), match.group("decl") or ""
    if call in _OUT_PARAMETER_FORMS:
        replacement = _OUT_PARAMETER_FORMS[call].format(args=args, out=out)
        new_lines = []
        if declaration:
            new_lines.append(f"{indent}{declaration}{out};")
        new_lines += [
            f"{indent}if ({replacement} < 0) {{",
            f"{indent}    return NULL;  /* error set; adjust the cleanup to this function */",
            f"{indent}}}",
            f"{indent}/* {out} is now a new reference (or NULL when absent): Py_XDECREF({out}) on every "
            "path */",
        ]
    elif call in _RETURN_FORMS:
        replacement = _RETURN_FORMS[call].format(args=args)
        new_lines = [
            f"{indent}{declaration}{out} = {replacement};",
            f"{indent}if ({out} == NULL) {{",
            f"{indent}    return NULL;  /* error set; adjust the cleanup to this function */",
            f"{indent}}}",
            f"{indent}/* {out} is now a new reference: Py_DECREF({out}) when done */",
        ]
    else:
        return None
    path = finding.location.path
    header = [
        f"--- a/{path.lstrip('/')}",
        f"+++ b/{path.lstrip('/')}",
        f"@@ -{line_number},1 +{line_number},{len(new_lines)} @@",
    ]
    return "\n".join([*header, f"-{original}", *(f"+{line}" for line in new_lines)]) + "\n"
