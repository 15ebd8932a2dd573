"""``--plot FILE.png``: the results drawn with matplotlib (imported lazily).

Top: time per match and time to build a ``Map`` against the number of rules
(log-log).  Bottom: one bar chart per route table, time per operation of each
case for each router (log scale).
"""

from __future__ import annotations

import typing as t

from . import tables as tb

COLORS = {
    "werkzeug": "#7f7f7f",
    "fastroute-compiled": "#d62728",
    "fastroute-pure": "#ff9896",
    "falcon": "#1f77b4",
    "sanic-routing": "#2ca02c",
    "http-router": "#9467bd",
}
MARKERS = {"werkzeug": "s", "fastroute-compiled": "o", "fastroute-pure": "D", "falcon": "^"}


class MatplotlibMissing(SystemExit):
    pass


def require_matplotlib() -> t.Any:
    """``matplotlib.pyplot`` with a non-interactive backend, or exit with a hint."""
    try:
        import matplotlib
    except ImportError:
        raise MatplotlibMissing(
            "error: --plot needs matplotlib, which is not installed.\n"
            "Install it with:  pip install matplotlib   (or: pip install 'fastroute[bench]')"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _ns_axis(ax: t.Any, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter, LogFormatterSciNotation

    def fmt(v: float, _pos: int) -> str:
        if v >= 1e9:
            return f"{v / 1e9:g} s"
        if v >= 1e6:
            return f"{v / 1e6:g} ms"
        if v >= 1e3:
            return f"{v / 1e3:g} µs"
        return f"{v:g} ns"

    class MinorInUnits(LogFormatterSciNotation):  # type: ignore[misc]
        # matplotlib labels some minor ticks when an axis spans less than a
        # decade or two; label those in the same units as the major ones.
        def __call__(self, x: float, pos: int | None = None) -> str:
            return fmt(x, 0) if super().__call__(x, pos) else ""

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(fmt))
    target.set_minor_formatter(MinorInUnits(labelOnlyBase=False))


def plot(doc: dict[str, t.Any], filename: str) -> None:
    """Draw the results document of :func:`fastroute.bench.runner.run` into *filename*."""
    plt = require_matplotlib()
    results = doc["results"]
    routers: list[str] = doc["routers"]

    fig = plt.figure(figsize=(15, 10), layout="constrained")
    grid = fig.add_gridspec(2, len(tb.FILE_TABLES))
    top = [fig.add_subplot(grid[0, :2]), fig.add_subplot(grid[0, 2:])]
    for ax, section, title, ylabel in (
        (
            top[0],
            "scaling",
            "Match time vs. table size\n(90% hits / 5% 404 / 5% 405)",
            "median time per match",
        ),
        (
            top[1],
            "map build",
            "Map build time vs. table size\n(rules → Map → bind → first match)",
            "median time per Map",
        ),
    ):
        for router in routers:
            points = sorted(
                (r["rules"], r["median_ns"])
                for r in results
                if r["section"] == section and r["router"] == router
            )
            if points:
                xs, ys = zip(*points, strict=False)
                ax.plot(xs, ys, marker=MARKERS.get(router, "o"), color=COLORS.get(router), label=router)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("number of rules (log scale)")
        ax.set_ylabel(f"{ylabel} (log scale)")
        _ns_axis(ax)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()

    shown: dict[str, None] = {}
    for i, table in enumerate(tb.FILE_TABLES):
        ax = fig.add_subplot(grid[1, i])
        rows = [
            r
            for r in results
            if r["table"] in (table, f"{table}-slash") and r["section"] in ("tables", "build")
        ]
        cases = list(dict.fromkeys(r["case"] for r in rows))
        present = [n for n in routers if any(r["router"] == n for r in rows)]
        width = 0.8 / max(len(present), 1)
        for j, router in enumerate(present):
            by_case = {r["case"]: r["median_ns"] for r in rows if r["router"] == router}
            xs = [k + (j - (len(present) - 1) / 2) * width for k, c in enumerate(cases) if c in by_case]
            ys = [by_case[c] for c in cases if c in by_case]
            ax.bar(xs, ys, width, color=COLORS.get(router), label=router)
        ax.set_xticks(range(len(cases)), cases)
        ax.set_yscale("log")
        _ns_axis(ax)
        ax.set_xlabel("case")
        if i == 0:
            ax.set_ylabel("median time per operation (log scale)")
        rules = next((r["rules"] for r in rows if r["table"] == table), 0)
        ax.set_title(f"{table} table ({rules} rules)")
        ax.grid(True, axis="y", which="both", alpha=0.3)
        for router in present:
            shown.setdefault(router, None)

    from matplotlib.patches import Patch

    fig.legend(
        [Patch(color=COLORS.get(r)) for r in shown],
        list(shown),
        loc="outside lower center",
        ncols=len(shown),
        title="per table: median time per operation of each case (log scale)",
    )
    fig.suptitle(
        f"fastroute {doc['fastroute']} vs. werkzeug {doc['werkzeug']} — {doc['python']}, {doc['mode']} run "
        "(lower is faster)"
    )
    fig.savefig(filename, dpi=100)
    plt.close(fig)
