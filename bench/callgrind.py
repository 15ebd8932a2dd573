"""Instructions a child process runs, counted by valgrind's callgrind: the
measure of ``match_instructions.py`` and ``app_instructions.py``."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def count(script: str, *args: str, seed: int = 0) -> int:
    """Instructions callgrind counts for ``python script args...`` with
    ``PYTHONHASHSEED=seed``, so two runs of one build count the same.

    Another seed lays dicts, the type cache and the heap out differently;
    counts of one build under several seeds show how much of a difference
    between two builds is layout rather than code (``--seeds``)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        script,
        *args,
    ]
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stderr
    found = re.search(r"Collected : (\d+)", out)
    if found is None:
        raise RuntimeError(out[-2000:])
    return int(found.group(1))
