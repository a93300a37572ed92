"""Mechanical fixes that belong to rules: the lazy-initialisation lock (FTP) and the C
patch suggestions (FTC)."""
