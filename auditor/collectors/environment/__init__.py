"""Reading installed environments (site-packages folders) without importing anything.

* :func:`read_site_packages` - distributions, their extension modules and .py files
* :func:`site_packages_of` - the site-packages folders of an interpreter
* :func:`normalize_name` - PEP 503 distribution-name normal form
* :func:`set_aside_other_interpreter_files` - judge only the build of a module the target imports
"""

from __future__ import annotations

from .import_choice import set_aside_other_interpreter_files
from .locations import EnvironmentLocationError, running_site_packages, site_packages_of
from .names import extension_module_name, normalize_name
from .site_packages import (
    UNOWNED_NAME,
    DistributionListing,
    EnvironmentListing,
    ExtensionFile,
    read_site_packages,
)

__all__ = [
    "UNOWNED_NAME",
    "DistributionListing",
    "EnvironmentListing",
    "EnvironmentLocationError",
    "ExtensionFile",
    "extension_module_name",
    "normalize_name",
    "read_site_packages",
    "running_site_packages",
    "set_aside_other_interpreter_files",
    "site_packages_of",
]
