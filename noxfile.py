"""Development sessions: ``nox -l`` lists them, ``nox -s tests`` runs one.

* ``tests``      every CPython >= 3.10 found on this machine, both cores: the
                 suite once with the compiled cores required
                 (``FASTROUTE_REQUIRE_COMPILED=1``) and once with the pure ones
                 (``FASTROUTE_NO_EXTENSIONS=1``), against an installed build
* ``bench``      pytest-benchmark suite in ``bench/`` (arguments after ``--``
                 go to pytest)
* ``lint``       ruff check and ruff format --check
* ``typecheck``  mypy --strict on the public API (settings in pyproject.toml)
* ``docs``       the docs' code examples (``tests/test_docs.py``) and
                 ``mkdocs build --strict`` (warnings are errors) into the
                 session's tmp dir
* ``build``      sdist + wheel, then ``scripts/check_install.py`` (arguments
                 after ``--`` go to it, e.g. ``nox -s build -- --quick --worktree``)
* ``fuzz``       ``python -m fuzz.differential``: 1,000,000 differential cases against
                 werkzeug, both cores; divergences land in tests/regressions/
* ``atheris``    coverage-guided fuzzing of rule parsing, match and build,
                 5 minutes per harness (``fuzz/README.md``)
* ``leaks``      ``python -m scripts.leaks``: 1,000,000 matches and 100,000 app
                 requests, memory and reference cycles, both cores
* ``load``       ``scripts/load.py``: gunicorn serving a fastroute app and
                 Flask apps of the same shape, driven by wrk (Debian package)

Interpreters are looked up on PATH (``python3.X``) and, when pyenv is used,
among all pyenv-installed versions, active or not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.error_on_missing_interpreters = False

ROOT = Path(__file__).parent
SUPPORTED = ["3.10", "3.11", "3.12", "3.13", "3.14"]
TYPED_API = [
    "src/fastroute/routing",
    "src/fastroute/local.py",
    "src/fastroute/__init__.py",
    "src/fastroute/app.py",
]


def _add_pyenv_versions_to_path() -> None:
    """Put every pyenv CPython's bin/ on PATH (newest patch release first), so
    that ``python3.X`` finds versions the pyenv shims would refuse to run."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if not root.is_dir():
        return
    found = []
    for path in root.iterdir():
        match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", path.name)  # plain CPython only
        if match and (path / "bin").is_dir():
            found.append((tuple(int(x) for x in match.groups()), path / "bin"))
    bins = [str(b) for _, b in sorted(found, reverse=True)]
    os.environ["PATH"] = os.pathsep.join([*bins, os.environ.get("PATH", "")])


def _available(versions: list[str]) -> list[str]:
    ok = []
    for version in versions:
        exe = shutil.which(f"python{version}")
        if exe and subprocess.run([exe, "-c", ""], capture_output=True, check=False).returncode == 0:
            ok.append(version)
    return ok


_add_pyenv_versions_to_path()
PYTHONS = _available(SUPPORTED) or SUPPORTED[:1]


def _source_copy(session: nox.Session) -> Path:
    """The working tree minus ignored files, in the session's tmp dir.

    Installing from the copy keeps build/, egg-info and the compiled modules
    of other interpreters out of the repository, and in-place builds (.so/.c
    in src/) out of the install."""
    dest = Path(session.create_tmp()) / "src"
    shutil.rmtree(dest, ignore_errors=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite against an installed build, compiled cores then pure ones."""
    src = _source_copy(session)
    # Required at build time too: a failed compile fails the install.
    session.install(f"{src}[test]", env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    # Run from the session's tmp dir against a copy of tests/: the source tree
    # must not be importable (src/fastroute may hold in-place builds).
    args = session.posargs or ["-q", "-p", "no:cacheprovider"]
    session.chdir(src)
    session.run("python", "-m", "pytest", *args, env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    session.run("python", "-m", "pytest", *args, env={"FASTROUTE_NO_EXTENSIONS": "1"})


@nox.session(python=PYTHONS[-1:])
def bench(session: nox.Session) -> None:
    """pytest-benchmark on bench/ (compiled cores unless FASTROUTE_NO_EXTENSIONS=1)."""
    src = _source_copy(session)
    session.install(f"{src}[bench]", env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    session.chdir(src)
    session.run("python", "-m", "pytest", "bench/", *(session.posargs or ["--benchmark-columns=median,ops"]))


@nox.session(python=PYTHONS[-1:])
def lint(session: nox.Session) -> None:
    """ruff check + ruff format --check (settings in pyproject.toml)."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHONS[:1])
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the public API, with the oldest supported Python."""
    # The app layer is typed against Flask's own annotations; mypy < 1.20
    # reports other errors.
    session.install("mypy>=1.20", "werkzeug>=3.1,<3.2", "itsdangerous>=2.2", "flask>=3.1,<3.2")
    session.run("mypy", *(session.posargs or TYPED_API))


@nox.session(python=PYTHONS[-1:])
def docs(session: nox.Session) -> None:
    """Run every code example of docs/ and build the site with warnings as errors."""
    session.install("-e", ".[docs,test]", env={"FASTROUTE_NO_EXTENSIONS": "1"})
    session.run("python", "-m", "pytest", "tests/test_docs.py", "-q", "-p", "no:cacheprovider")
    site = Path(session.create_tmp()) / "site"
    session.run("mkdocs", "build", "--strict", "--site-dir", str(site), *session.posargs)


@nox.session(python=PYTHONS[-1:])
def build(session: nox.Session) -> None:
    """sdist + wheel from a fresh clone, installed and tested in fresh venvs."""
    session.install("build>=1.2")
    session.run("python", "scripts/check_install.py", *session.posargs)


@nox.session(python=PYTHONS[-1:])
def leaks(session: nox.Session) -> None:
    """scripts/leaks.py (arguments after -- go to it), compiled cores then pure ones."""
    src = _source_copy(session)
    session.install(f"{src}[test]", env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    session.chdir(src)
    # As modules from the copy's root: they import tests.support.
    session.run("python", "-m", "scripts.leaks", *session.posargs)
    session.run("python", "-m", "scripts.leaks", *session.posargs, env={"FASTROUTE_NO_EXTENSIONS": "1"})


@nox.session(python=PYTHONS[-1:])
def load(session: nox.Session) -> None:
    """scripts/load.py: gunicorn + wrk, fastroute vs Flask (arguments after -- go to it)."""
    if shutil.which("wrk") is None:
        session.error("wrk not found: install the Debian package 'wrk'")
    src = _source_copy(session)
    session.install(f"{src}[test]", env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    session.chdir(src)
    session.run("python", "scripts/load.py", *session.posargs)


@nox.session(python=PYTHONS[-1:])
def fuzz(session: nox.Session) -> None:
    """Differential fuzzing against werkzeug (arguments after -- go to fuzz/differential.py)."""
    src = _source_copy(session)
    session.install(f"{src}[test]", env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    session.chdir(src)
    session.run(
        "python", "-m", "fuzz.differential",  # from the copy's root: it imports tests.support
        "--out", str(ROOT / "tests" / "regressions"), "--slow-dir", str(ROOT / "fuzz" / "slow"),
        *(session.posargs or ["--cases", "1000000"]),
    )  # fmt: skip


@nox.session(python="3.11")  # atheris publishes wheels for it
def atheris(session: nox.Session) -> None:
    """Coverage-guided fuzzing, 5 minutes per harness (arguments after -- go to libFuzzer)."""
    src = _source_copy(session)
    session.install(f"{src}[test]", "atheris>=2.3", env={"FASTROUTE_REQUIRE_COMPILED": "1"})
    session.chdir(src)
    crashes = ROOT / "build" / "fuzz"
    crashes.mkdir(parents=True, exist_ok=True)
    for name in ("match", "rules"):
        corpus = Path(session.create_tmp()) / f"corpus-{name}"
        corpus.mkdir(exist_ok=True)
        session.run(
            "python", "-m", f"fuzz.atheris_{name}", "-max_total_time=300", "-timeout=20",
            "-print_final_stats=1", f"-artifact_prefix={crashes}/{name}-",
            *session.posargs, str(corpus), f"fuzz/corpus/{name}",
        )  # fmt: skip
