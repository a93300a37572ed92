"""Rules about extension binaries, read without importing them (``FTB``).

Each rule's VALID / INVALID examples are whole C or C++ translation units defining
``PyInit_example``; the tests compile them into real extension modules for the target
interpreter (the name in ``Example.filename`` when it matters: its ABI tag decides the
interpreter used) and run :func:`auditor.collectors.binary.analyse_extension` on them.
"""
