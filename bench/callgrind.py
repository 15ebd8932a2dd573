"""Instructions a child process runs, counted by valgrind's callgrind: the
measure of ``match_instructions.py`` and ``app_instructions.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def count(script: str, *args: str, inside: str | None = None) -> int:
    """Instructions callgrind counts for ``python script args...`` (with
    ``PYTHONHASHSEED=0``, so two runs of one build count the same).  With
    *inside* (a C function name), only instructions run inside calls of
    that function are counted (callgrind's ``--toggle-collect``)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        *([f"--toggle-collect={inside}"] if inside else []),
        sys.executable,
        script,
        *args,
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stderr
    found = re.search(r"Collected : (\d+)", out)
    if found is None:
        raise RuntimeError(out[-2000:])
    return int(found.group(1))
