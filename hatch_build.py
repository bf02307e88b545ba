"""Build hook: compile the per-record modules with Cython when Cython and a C compiler are here.

The modules are plain Python (``augtool/_compiled.py`` lists them); Cython compiles them
unchanged, with Python semantics (annotations are not read as C types), so a compiled
and a pure install write the same bytes. A ``.pxd`` beside a module (Cython finds it by
name) declares C types for its positions, counts and private helpers only where the results
are the same (docs/performance.md, session 9); ``make install-check`` compares the two.
Where Cython, a C compiler or the Python headers are missing, or with ``AUGTOOL_PURE=1``, the
wheel is pure Python, as is every editable install (a compiled module beside its source would
hide edits to it).
A module that fails to compile is left as Python, with a warning.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DIRECTIVES = "language_level=3,annotation_typing=False,binding=True,embedsignature=False"


def _modules(root: Path) -> tuple[str, ...]:
    """The list in augtool/_compiled.py, read without importing augtool."""
    namespace: dict[str, Any] = {"__name__": "augtool_compiled_list"}
    exec(compile((root / "augtool" / "_compiled.py").read_text("utf-8"), "_compiled.py", "exec"), namespace)
    return tuple(namespace["MODULES"])


def _toolchain() -> tuple[list[str], list[str], str] | str:
    """(link command, compile flags, extension suffix), or why there is none."""
    if importlib.util.find_spec("Cython") is None:
        return "Cython is not installed"
    ldshared, suffix = sysconfig.get_config_var("LDSHARED"), sysconfig.get_config_var("EXT_SUFFIX")
    if not ldshared or not suffix or os.name == "nt":
        return "no Unix-style C toolchain configuration for this Python"
    link = shlex.split(os.environ.get("LDSHARED", ldshared))
    if "CC" in os.environ:
        link[0] = os.environ["CC"]
    if shutil.which(link[0]) is None:
        return f"no C compiler ({link[0]})"
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").is_file():
        return f"no Python headers ({include}/Python.h)"
    flags = [*shlex.split(sysconfig.get_config_var("CCSHARED") or "-fPIC"), "-O2", "-fwrapv", "-DNDEBUG",
             "-fno-strict-aliasing", "-w", f"-I{include}"]
    return link, flags, suffix


class CompileHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("AUGTOOL_PURE", "") not in ("", "0"):
            self.app.display_info("augtool: AUGTOOL_PURE is set: building pure Python")
            return
        toolchain = _toolchain()
        if isinstance(toolchain, str):
            self.app.display_warning(f"augtool: {toolchain}: building pure Python (same output, slower)")
            return
        link, flags, suffix = toolchain
        root = Path(self.root)
        out = root / "build" / "compiled"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)

        def build(name: str) -> tuple[str, Path | None, str]:
            source = root.joinpath(*name.split(".")).with_suffix(".py")
            c_file, library = out / f"{name}.c", out / (name + suffix)
            steps = [
                [sys.executable, "-m", "cython", "-3", "--directive", DIRECTIVES, "--module-name", name,
                 "-o", str(c_file), str(source)],
                [*link, *flags, str(c_file), "-o", str(library)],
            ]
            for step in steps:
                done = subprocess.run(step, capture_output=True, text=True)
                if done.returncode != 0:
                    return name, None, (done.stderr or done.stdout)[-1500:]
            return name, library, ""

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            results = list(pool.map(build, _modules(root)))
        compiled = 0
        for name, library, error in results:
            if library is None:
                self.app.display_warning(f"augtool: {name} stays Python, it did not compile:\n{error}")
                continue
            target = "/".join(name.split(".")[:-1]) + "/" + name.rpartition(".")[2] + suffix
            build_data["force_include"][str(library)] = target
            compiled += 1
        if compiled:
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        self.app.display_info(f"augtool: compiled {compiled} of {len(results)} modules with Cython")
