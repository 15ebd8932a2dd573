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


def _section_blocks(page: Path, start: str, end: str) -> list[tuple[int, str]]:
    """The ```python blocks of *page* between the headings *start* and *end*."""
    text = page.read_text(encoding="utf-8")
    first = text.count("\n", 0, text.index(f"\n{start}\n"))
    last = text.count("\n", 0, text.index(f"\n{end}\n"))
    return [(line, code) for line, code in python_blocks(page) if first < line < last]


def _printed(blocks: list[tuple[int, str]], routing: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What *blocks* print, run with ``from <routing> import``."""
    namespace: dict[str, object] = {"__name__": "docs_example"}
    capsys.readouterr()
    for line, code in blocks:
        exec(
            compile(
                code.replace("from fastroute.routing import", f"from {routing} import"),
                f"block {line}",
                "exec",
            ),
            namespace,
        )
    return capsys.readouterr().out.splitlines()


def test_index_router_examples_print_what_werkzeug_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """The router examples of the getting-started page, with werkzeug.routing
    in place of fastroute.routing, print the same lines; the error example
    reaches both of its handlers (its 405 once matched a path that accepted
    every method, so nothing was printed and nothing failed)."""
    blocks = _section_blocks(DOCS / "index.md", "## A router on its own", "## An application")
    ours = _printed(blocks, "fastroute.routing", capsys)
    theirs = _printed(blocks, "werkzeug.routing", capsys)
    assert ours == theirs
    assert [line.split(",")[0] for line in ours] == ["404", "405"]


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed")
def test_docs_build_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").exists()
