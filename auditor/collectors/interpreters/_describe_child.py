# Runs INSIDE the interpreter being described (any CPython >= 3.8): stdlib only, and it
# must not import anything from site-packages.
import json
import sys
import sysconfig

config_args = sysconfig.get_config_var("CONFIG_ARGS") or ""
cflags = " ".join(
    str(sysconfig.get_config_var(name) or "") for name in ("CFLAGS", "PY_CFLAGS", "CONFIGURE_CFLAGS")
)
free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
abiflags = getattr(sys, "abiflags", "")
print(
    json.dumps(
        {
            "version": "{}.{}.{}".format(*sys.version_info[:3]),
            "implementation": sys.implementation.name,
            "free_threaded": free_threaded,
            "abi_tag": "cp{}{}{}".format(
                sys.version_info[0], sys.version_info[1], "t" if free_threaded else ""
            ),
            "soabi": sysconfig.get_config_var("SOABI") or "",
            "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX") or "",
            "tsan": "--with-thread-sanitizer" in config_args or "-fsanitize=thread" in cflags,
            "platlib": sysconfig.get_paths().get("platlib"),
            "include_dir": sysconfig.get_paths().get("include"),
            "abiflags": abiflags,
        }
    )
)
