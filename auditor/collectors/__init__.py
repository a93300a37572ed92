"""Collectors: the parts that read the world (extension binaries, installed environments,
interpreters, sources, the package index, the harness and import-probe subprocesses) and
produce facts. They never name a rule; the rules judge what they collect."""
