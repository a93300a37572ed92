"""Pipelines: compose the collectors (binaries, environments, interpreters, the import
probe, the index), the rules and the engine into one result; they never render one
(that is :mod:`auditor.reporters`' job).

* :mod:`.scan` - the static scan of an installed environment, with its binary workers
  (:mod:`.scan_workers`), their cache (:mod:`.scan_cache`), the verdicts
  (:mod:`.verdicts`) and the import probe on top (:mod:`.scan_probe`, :mod:`.probe`);
* :mod:`.source_scan` - source rules over files (:mod:`.source_files`,
  :mod:`.source_workers`); :mod:`.fix` - their fixes;
* :mod:`.dependency_tree` - a dependency file resolved and judged against an index
  (:mod:`.tree_wheels` reads the wheels); :mod:`.survey` - many projects at once;
* :mod:`.report` - documents read and merged; :mod:`.report_advice` - the next steps;
  :mod:`.diff` - what changed between two; :mod:`.decision` - the target to move to;
* :mod:`.hammer` - samples built and hammered by the harness, judged by the FTR rules;
* :mod:`.project_audit` - ``ftaudit audit``: every part above on one project.

The public functions are ``auditor.scan``, ``auditor.audit`` and the rest; this package
is named apart from them so that importing one never hides the other."""
