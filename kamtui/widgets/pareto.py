"""The Pareto chart of view 1: accounts ranked biggest first (x, % of accounts) against
the cumulative share of revenue and of gross profit (y, %), with the 80 % line and the
top-20 % line. Drawn by plotext through textual-plotext (a maintained terminal-plot
library), imported only when the chart is first made.

Readable without colour (NO_COLOR): the two curves use different marks (revenue a
braille line, gross profit dots) and the legend names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def sample(cumulative: Sequence[float], points: int = 160) -> tuple[list[float], list[float]]:
    """(x %, y %) of the curve at most ``points`` places (10,000 accounts draw as fast as 10),
    starting at the origin and always keeping the last account."""
    n = len(cumulative)
    if n == 0:
        return [], []
    step = max(1, n // points)
    idx = list(range(step - 1, n, step))
    if idx[-1] != n - 1:
        idx.append(n - 1)
    xs = [0.0] + [(i + 1) * 100 / n for i in idx]
    ys = [0.0] + [cumulative[i] * 100 for i in idx]
    return xs, ys


def make_chart(id: str = "pareto") -> Any:
    """A PlotextPlot for ``draw`` (import of plotext happens here, not at start-up)."""
    from textual_plotext import PlotextPlot

    return PlotextPlot(id=id)


def draw(chart: Any, revenue: Sequence[float], profit: Sequence[float]) -> None:
    plt = chart.plt
    plt.clear_data()
    plt.clear_figure()
    rx, ry = sample(revenue)
    px, py = sample(profit)
    if rx:
        plt.plot(rx, ry, marker="braille")
    if px:
        plt.plot(px, py, marker="•")
    plt.hline(80)
    plt.vline(20)
    plt.xlim(0, 100)
    plt.ylim(0, 100)
    plt.xticks([0, 20, 50, 100], ["0", "20%", "50%", "100%"])
    plt.xlabel("% of accounts, biggest first")
    plt.yticks([0, 50, 80, 100], ["0", "50%", "80%", "100%"])
    plt.title("Pareto: ⢕ revenue, • GP" if rx else "Pareto: no revenue in the 4Q")
    chart.refresh()
