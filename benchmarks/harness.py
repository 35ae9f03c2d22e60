"""What every benchmark shares: timing by median of repeats, and one printed line per
figure with the anchor measured in the same run, our figure and the ratio.

These machines are noisy, so absolute times mean little; the ratio to an anchor measured
seconds apart on the same machine is the figure to read.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from typing import Callable


@dataclasses.dataclass
class Figure:
    """One comparison: our figure beside an anchor's, in the same unit."""

    benchmark: str
    what: str
    unit: str
    ours: float
    anchor_name: str
    anchor: float
    higher_is_better: bool

    @property
    def ratio(self) -> float:
        """How many times better we are than the anchor (>1 means better)."""
        if self.higher_is_better:
            return self.ours / self.anchor if self.anchor else float("inf")
        return self.anchor / self.ours if self.ours else float("inf")


def median_seconds(fn: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Median wall time of `fn()` over `repeats` runs after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_median_seconds(fns: "dict[str, Callable[[], object]]", rounds: int) -> "dict[str, float]":
    """Median wall time of each function, measured in rounds that run every function once.

    These machines drift between fast and slow phases; timing ours and the anchors in
    alternation puts them in the same phases, so their ratio means something even when
    the absolute times move.
    """
    times: "dict[str, list]" = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def format_value(value: float, unit: str) -> str:
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 1:
        return f"{value:.2f} {unit}"
    return f"{value:.4g} {unit}"


def print_header() -> None:
    print(f"{'benchmark':<18} {'figure':<46} {'ours':>16} {'anchor':>34} {'ratio':>9}")
    print("-" * 127)


def print_figure(figure: Figure) -> None:
    anchor = f"{figure.anchor_name}: {format_value(figure.anchor, figure.unit)}"
    print(
        f"{figure.benchmark:<18} {figure.what:<46} "
        f"{format_value(figure.ours, figure.unit):>16} {anchor:>34} {figure.ratio:>8.3g}x",
        flush=True,
    )
