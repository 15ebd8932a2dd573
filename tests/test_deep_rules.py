"""Very deep rules and very deep paths, compared with werkzeug, on both cores.

werkzeug walks its rule tree recursively, so a rule deeper than the
recursion limit allows raises RecursionError at the first match or build
(``Map.update``).  Both cores must give werkzeug's answer or raise the same
exception class at the same call, and never crash: the compiled core once
recursed in C without a check and segfaulted at 50,000 segments.  Each case
runs in a child process so that a crash fails the test instead of killing
pytest; the child asks werkzeug and fastroute the same questions from the
same stack depth.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent(
    """
    import json, sys
    import werkzeug.routing as wz
    import fastroute.routing as fr

    kind, size, order = sys.argv[1], int(sys.argv[2]), sys.argv[3]

    def segment(i):
        if kind == "static" or (kind == "mixed" and i % 2):
            return f"s{i}"
        return f"<x{i}>"

    def outcome(call):
        try:
            value = call()
        except RecursionError:
            return ["raise", "RecursionError"]
        except Exception as exc:  # an HTTP exception (404, redirect) is an answer too
            return ["raise", type(exc).__name__, getattr(exc, "new_url", None)]
        if isinstance(value, tuple):
            return ["ok", value[0], sorted(value[1].items())]
        return ["ok", value]

    def run(routing):
        out = []
        if kind == "shallow":
            # a deep path against a shallow map; many slashes to merge
            rules = [routing.Rule("/a/<x>", endpoint="a"), routing.Rule("/p/<path:p>", endpoint="p"),
                     routing.Rule("/s/", endpoint="s"), routing.Rule("/", endpoint="root")]
            adapter = routing.Map(rules).bind("example.org")
            for path in ("/a" + "/b" * size, "/p" + "/b" * size, "/" * size, "/s" + "/" * size,
                         "/a" + "/" * size + "b", "/x" * size):
                out.append(outcome(lambda: adapter.match(path)))
            out.append(outcome(lambda: adapter.build("p", {"p": "/".join(["b"] * size)})))
            return out
        rule = "/" + "/".join(segment(i) for i in range(size))
        path = "/" + "/".join(f"s{i}" for i in range(size))
        values = {f"x{i}": f"s{i}" for i in range(size) if "<" in segment(i)}
        try:
            adapter = routing.Map([routing.Rule(rule, endpoint="e")]).bind("example.org")
        except RecursionError:
            return [["raise", "RecursionError"]]
        calls = [lambda: adapter.match(path), lambda: adapter.build("e", values),
                 lambda: adapter.match(path + "/x")]
        if order == "build-first":
            calls.reverse()
        out.append(["ok", "added"])
        for call in calls:
            out.append(outcome(call))
        return out

    print(json.dumps({"werkzeug": run(wz), "fastroute": run(fr)}))
    """
)

SIZES = [1, 500, 1000, 2000, 20000, 100000]


def _child(core: str, kind: str, size: int, order: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("FASTROUTE_NO_EXTENSIONS", None)
    if core == "pure":
        env["FASTROUTE_NO_EXTENSIONS"] = "1"
    return subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(size), order],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("core", ["compiled", "pure"])
@pytest.mark.parametrize(
    "kind, size, order",
    [(kind, size, "match-first") for kind in ("static", "dynamic", "mixed") for size in SIZES]
    + [(kind, 20000, "build-first") for kind in ("static", "dynamic", "mixed")]
    + [("shallow", size, "match-first") for size in (1000, 100000)],
)
def test_deep_rule_answers_as_werkzeug(core: str, kind: str, size: int, order: str) -> None:
    proc = _child(core, kind, size, order)
    assert proc.returncode == 0, f"child ended with {proc.returncode}: {proc.stderr[-2000:]}"
    answers = json.loads(proc.stdout)
    assert answers["fastroute"] == answers["werkzeug"]
