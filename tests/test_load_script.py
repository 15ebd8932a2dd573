"""``scripts/load.py`` end to end, briefly: gunicorn serving the fastroute and
Flask apps, wrk checking every answer.  The full run (``nox -s load``) lasts
longer; this only proves the script works and reports no wrong answers.
Skipped where wrk (Debian package ``wrk``) is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("gunicorn")
pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def test_load_script_checks_every_answer(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load.py"), "--duration", "1", "--requests", "300",
         "--connections", "4", "--apps", "fastroute,flask", "--json", str(out)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads(out.read_text())
    for name in ("fastroute", "flask"):
        r = results[name]
        assert r["check_checked"] > 0 and r["check_wrong"] == 0 and r["check_unknown"] == 0
        assert r["requests"] >= r["check_checked"] > 0
        assert r["server_alive"]
