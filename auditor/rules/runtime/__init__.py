"""FTR: what the thread hammer harness (``ftaudit hammer``) and ThreadSanitizer observe.

Runtime rules are not matched against text: each one names an outcome of hammering a
sample. Their examples are sample folders (``language="sample"``), run by the tests.
"""
