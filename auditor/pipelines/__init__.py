"""Pipelines: compose the collectors (binaries, environments, interpreters, the import
probe), the rules and the engine into one result. :mod:`.scan` is the static scan of an
installed environment. The public function is :func:`auditor.scan`; this package is named
apart from it so that importing one never hides the other."""
