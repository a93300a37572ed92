"""Reading sources: C/C++ (tree-sitter), Cython (Cython's own parser) and Python (LibCST)
into facts the FTC and FTP rules judge.

The scan over files and archives is :func:`auditor.pipelines.source_scan.scan_source`;
the rules live in :mod:`auditor.rules.c_source` and :mod:`auditor.rules.python_source`.
"""
