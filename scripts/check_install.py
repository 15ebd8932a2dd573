#!/usr/bin/env python3
"""Check that fastroute's sdist and wheel build, install and pass the tests.

Everything happens in a temporary directory, away from the source tree:

1. the sources: a ``git clone`` of this repository (its committed HEAD, or
   ``--ref``), so uncommitted and ignored files (in-place ``.so``/``.c``,
   ``build/``) cannot leak into the artefacts.  ``--worktree`` takes the
   working tree instead (tracked and untracked files, ignored ones left
   out), to check changes before committing them;
2. ``python -m build`` makes the sdist and, from it, the wheel; their file
   lists are checked (sdist: ``.pyx``, ``.pxd``, ``.pxi``, ``.pyi``,
   ``py.typed``, no generated C or built modules; wheel: both compiled
   modules, stubs, no Cython sources, no sources of tests or benchmarks);
3. each scenario installs into a fresh venv and runs pytest from a scratch
   directory holding a copy of the sources without ``src/`` (``tests/`` and
   what the tests read: the pytest settings, ``README.md``, ``docs/``,
   ``mkdocs.yml``, ``scripts/``), so the installed package is what gets
   tested:

   ``wheel``      the built wheel; ``FASTROUTE_REQUIRE_COMPILED=1``, COMPILED True
   ``sdist``      ``pip install`` of the sdist (compiles); the same
   ``no-cc``      the sdist with the C compiler hidden (``CC=false``): a pure
                  install, COMPILED False (POSIX only)
   ``no-ext``     ``FASTROUTE_NO_EXTENSIONS=1`` at build time: a
                  ``py3-none-any`` wheel, COMPILED False

``--quick`` runs a subset of the tests (for CI); the full suite takes a few
minutes per scenario.  Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK_TESTS = ["-x", "-q", "tests/test_map.py", "tests/test_smoke_cores.py"]
FULL_TESTS = ["-q"]
TIMEOUT = 1800  # seconds, for any single command
SCENARIOS = ("wheel", "sdist", "no-cc", "no-ext")


class CheckFailed(Exception):
    pass


def log(msg: str) -> None:
    print(f"[check_install] {msg}", flush=True)


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    capture: bool = False,
) -> str:
    shown = " ".join(str(c) for c in cmd)
    log(f"$ {shown}" + (f"    (in {cwd})" if cwd else ""))
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
        timeout=TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        if capture:
            print(proc.stdout, flush=True)
        raise CheckFailed(f"command failed ({proc.returncode}): {shown}")
    return proc.stdout if capture else ""


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus anything that could pick the source tree or a core."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FASTROUTE_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env.update(extra)
    return env


# -- sources and artefacts --------------------------------------------------------------------


def get_sources(dest: Path, *, worktree: bool, ref: str | None) -> None:
    if worktree:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        for name in filter(None, out.decode().split("\0")):
            src = ROOT / name
            if src.is_file():  # deleted-but-tracked files are skipped
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / name)
        log(f"copied the working tree (no ignored files) to {dest}")
        return
    run(["git", "clone", "--quiet", "--no-hardlinks", ROOT, dest])
    if ref:
        run(["git", "checkout", "--quiet", ref], cwd=dest)
    head = run(["git", "log", "-1", "--format=%h %s"], cwd=dest, capture=True).strip()
    log(f"cloned {head}")


def build_artefacts(src: Path, dist: Path) -> tuple[Path, Path]:
    try:
        import build  # noqa: F401
    except ImportError as exc:
        raise CheckFailed(f"`build` is not installed for {sys.executable}: pip install build") from exc
    env = clean_env(FASTROUTE_REQUIRE_COMPILED="1")  # a failed compile must fail the build
    run([sys.executable, "-m", "build", "--outdir", dist, src], env=env)
    sdists, wheels = sorted(dist.glob("*.tar.gz")), sorted(dist.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        raise CheckFailed(f"expected one sdist and one wheel, got {[p.name for p in dist.iterdir()]}")
    return sdists[0], wheels[0]


def check_sdist_contents(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    required = [
        "pyproject.toml",
        "setup.py",
        "src/fastroute/_match.pyx",
        "src/fastroute/_match.pxd",
        "src/fastroute/_match_parts/tree.pxi",
        "src/fastroute/_local.pyx",
        "src/fastroute/_local.pyi",
        "src/fastroute/py.typed",
        "tests/conftest.py",
    ]
    problems = [f"missing {r}" for r in required if r not in names]
    problems += [
        f"unexpected {n}"
        for n in names
        if n.endswith((".c", ".so", ".pyd", ".html", ".pyc")) or n.startswith(("bench/", "build/"))
    ]
    if problems:
        raise CheckFailed(f"{sdist.name}: " + "; ".join(problems))
    log(f"{sdist.name}: {len(names)} entries, contents OK")


def check_wheel_contents(wheel: Path, *, compiled: bool) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    ext_suffixes = (".so", ".pyd")
    modules = {n.split("/")[-1].split(".")[0] for n in names if n.endswith(ext_suffixes)}
    problems = []
    for required in ("fastroute/py.typed", "fastroute/_local.pyi"):
        if required not in names:
            problems.append(f"missing {required}")
    if compiled and modules != {"_match", "_local"}:
        problems.append(f"compiled modules are {sorted(modules)}, expected _local and _match")
    if not compiled and modules:
        problems.append(f"a pure wheel with compiled modules {sorted(modules)}")
    if not compiled and not wheel.name.endswith("-py3-none-any.whl"):
        problems.append("a pure wheel not tagged py3-none-any")
    problems += [
        f"unexpected {n}"
        for n in names
        if n.endswith((".pyx", ".pxd", ".pxi", ".c", ".html"))
        or n.split("/")[0] in ("tests", "bench", "scripts")
    ]
    if problems:
        raise CheckFailed(f"{wheel.name}: " + "; ".join(problems))
    log(f"{wheel.name}: {len(names)} entries, contents OK")


# -- scenarios --------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    expect_compiled: bool
    build_env: dict[str, str]


def venv_python(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")


def run_scenario(sc: Scenario, *, sdist: Path, wheel: Path, work: Path, test_args: list[str]) -> None:
    log(f"=== scenario {sc.name}: expect fastroute.COMPILED == {sc.expect_compiled}")
    py = venv_python(work / f"venv-{sc.name}")
    pip: list[str | os.PathLike[str]] = [py, "-m", "pip", "--disable-pip-version-check", "--no-cache-dir"]
    build_env = clean_env(**sc.build_env)
    # -v: pip shows the build backend's output (the setup.py warnings) only then.
    if sc.name == "no-ext":
        # The pure wheel a separate CI job publishes: built from the sdist.
        wheel_dir = work / "pure-wheel"
        out = run(
            [*pip, "wheel", "-v", "--no-deps", "--wheel-dir", wheel_dir, sdist], env=build_env, capture=True
        )
        [artefact] = wheel_dir.glob("*.whl")
        check_wheel_contents(artefact, compiled=False)
    else:
        out = ""
        artefact = wheel if sc.name == "wheel" else sdist
    out += run(
        [*pip, "install", "-v", f"fastroute[test] @ {artefact.resolve().as_uri()}"],
        env=build_env,
        capture=True,
    )
    warnings = sorted({line.strip() for line in out.splitlines() if "WARNING: fastroute:" in line})
    for line in warnings:
        log(f"build said: {line}")
    if sc.expect_compiled and warnings:
        raise CheckFailed(f"scenario {sc.name}: the build warned")
    if not sc.expect_compiled and not warnings:
        raise CheckFailed(f"scenario {sc.name}: a pure build without the warning")

    test_dir = work / f"tests-{sc.name}"
    # The tests read files of the checkout (pyproject.toml's pytest settings, README.md and docs/
    # for test_docs.py, scripts/ for test_load_script.py): copy all of it but the package sources.
    top = work / "src"
    shutil.copytree(top, test_dir, ignore=lambda d, names: {"src", ".git"} if Path(d) == top else set())
    run_env = clean_env(FASTROUTE_REQUIRE_COMPILED="1") if sc.expect_compiled else clean_env()
    probe = (
        "import fastroute, pathlib, sys; p = pathlib.Path(fastroute.__file__).resolve(); "
        "print(fastroute.COMPILED, p); "
        "sys.exit(0 if pathlib.Path(sys.prefix).resolve() in p.parents else 'not the installed copy')"
    )
    out = run([py, "-c", probe], cwd=test_dir, env=run_env, capture=True).strip()
    log(f"fastroute.COMPILED, location: {out}")
    if out.split()[0] != str(sc.expect_compiled):
        raise CheckFailed(f"scenario {sc.name}: fastroute.COMPILED is {out.split()[0]}")
    run([py, "-m", "pytest", "-p", "no:cacheprovider", *test_args], cwd=test_dir, env=run_env)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--worktree", action="store_true", help="use the working tree, not a clone of HEAD")
    source.add_argument("--ref", help="clone and check out this commit/branch/tag instead of HEAD")
    parser.add_argument("--quick", action="store_true", help=f"run only: pytest {' '.join(QUICK_TESTS)}")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=SCENARIOS,
        help="run only this scenario (repeatable; default: all)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--dist", type=Path, help="also copy the built sdist and wheel here")
    args = parser.parse_args(argv)

    scenarios = [
        Scenario("wheel", True, {}),
        Scenario("sdist", True, {"FASTROUTE_REQUIRE_COMPILED": "1"}),
        Scenario("no-cc", False, {"CC": "false", "CXX": "false", "LDSHARED": "false"}),
        Scenario("no-ext", False, {"FASTROUTE_NO_EXTENSIONS": "1"}),
    ]
    if os.name == "nt":  # CC is not how setuptools finds MSVC
        scenarios = [s for s in scenarios if s.name != "no-cc"]
    if args.scenario:
        scenarios = [s for s in scenarios if s.name in args.scenario]
    test_args = QUICK_TESTS if args.quick else FULL_TESTS

    work = Path(tempfile.mkdtemp(prefix="fastroute-check-"))
    results: list[tuple[str, str, float]] = []
    start = time.monotonic()
    try:
        (work / "src").mkdir()
        get_sources(work / "src", worktree=args.worktree, ref=args.ref)
        t0 = time.monotonic()
        try:
            sdist, wheel = build_artefacts(work / "src", work / "dist")
            check_sdist_contents(sdist)
            check_wheel_contents(wheel, compiled=True)
        except CheckFailed as exc:
            log(f"FAILED: {exc}")
            results.append(("build", "FAILED", time.monotonic() - t0))
            return 1
        results.append(("build", "ok", time.monotonic() - t0))
        if args.dist:
            args.dist.mkdir(parents=True, exist_ok=True)
            for artefact in (sdist, wheel):
                shutil.copy2(artefact, args.dist)
        for sc in scenarios:
            t0 = time.monotonic()
            try:
                run_scenario(sc, sdist=sdist, wheel=wheel, work=work, test_args=test_args)
            except (CheckFailed, subprocess.TimeoutExpired) as exc:
                log(f"FAILED: {exc}")
                results.append((sc.name, "FAILED", time.monotonic() - t0))
            else:
                results.append((sc.name, "ok", time.monotonic() - t0))
    finally:
        log("summary:")
        for name, status, secs in results:
            log(f"  {name:<8} {status:<7} {secs:6.0f}s")
        log(f"  total {time.monotonic() - start:.0f}s")
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(status == "ok" for _, status, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
