"""The documentation: every ```python block in docs/*.md and README.md runs, and the site builds.

The blocks of one page run in order in a shared namespace (a page may build
on its earlier examples), each page in a fresh one.  The build test runs
``mkdocs build --strict`` (warnings are errors) and is skipped when mkdocs
is not installed (``pip install -e '.[docs]'``).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
# The README's quick start is run too.
EXAMPLE_PAGES = [*PAGES, ROOT / "README.md"]
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """(line number, code) of each ```python block of *page*."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in FENCE.finditer(text)]


def test_docs_exist() -> None:
    names = {p.name for p in PAGES}
    assert {"index.md", "migrating.md", "routing.md", "locals.md", "app.md", "compat.md",
            "performance.md", "changelog.md"} <= names  # fmt: skip


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=[p.name for p in EXAMPLE_PAGES])
def test_code_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    module = types.ModuleType(f"docs_{page.stem}")  # Flask(__name__) needs an importable name
    module.__file__ = str(tmp_path / f"{page.stem}.py")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = module.__dict__
    namespace["__name__"] = module.__name__
    for line, code in python_blocks(page):
        compiled = compile(code, f"{page.relative_to(ROOT)}:{line}", "exec")
        exec(compiled, namespace)


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed")
def test_docs_build_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").exists()
