"""Small hand-drawn SVG charts for the eval report: grouped bars, lines, a histogram.

Pure functions returning SVG text (no plotting library: the report stays one
self-contained HTML file and the venv stays as it is). Values are expected in
[0, ymax]; labels are escaped.
"""
from __future__ import annotations

from html import escape
from typing import Mapping, Sequence

COLORS = ("#9e9e9e", "#f28e2b", "#59a14f", "#4e79a7", "#b07aa1", "#e15759", "#76b7b2")
W, H, LEFT, RIGHT, TOP, BOTTOM = 720, 300, 48, 200, 28, 64


def _frame(title: str, ymax: float, ticks: int = 5) -> list[str]:
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for i in range(ticks + 1):
        v = ymax * i / ticks
        y = _y(v, ymax)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.3g}</text>')
    return out


def _y(v: float, ymax: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - min(max(v, 0.0), ymax) / ymax if ymax else 1)


def _legend(names: Sequence[str]) -> list[str]:
    out = []
    for i, n in enumerate(names):
        y = TOP + 16 * i
        out.append(f'<rect x="{W - RIGHT + 12}" y="{y}" width="10" height="10" fill="{COLORS[i % len(COLORS)]}"/>')
        out.append(f'<text x="{W - RIGHT + 26}" y="{y + 9}">{escape(n)}</text>')
    return out


def bar_chart(title: str, groups: Sequence[str], series: Mapping[str, Sequence[float | None]], ymax: float = 1.0) -> str:
    """Grouped bars: one group per label in `groups`, one bar per series.

    >>> svg = bar_chart("hit@5 by type", ["number", "list"], {"ours": [1.0, 0.5]}); svg.count("<rect")
    3
    """
    out = _frame(title, ymax)
    plot_w = W - LEFT - RIGHT
    gw = plot_w / max(len(groups), 1)
    bw = gw * 0.8 / max(len(series), 1)
    for g, label in enumerate(groups):
        x0 = LEFT + g * gw + gw * 0.1
        for s, (name, values) in enumerate(series.items()):
            v = values[g]
            if v is None:
                continue
            y = _y(v, ymax)
            out.append(f'<rect x="{x0 + s * bw:.1f}" y="{y:.1f}" width="{bw * 0.95:.1f}" height="{H - BOTTOM - y:.1f}" '
                       f'fill="{COLORS[s % len(COLORS)]}"><title>{escape(name)} {escape(label)}: {v:.3f}</title></rect>')
        cx = LEFT + g * gw + gw / 2
        out.append(f'<text x="{cx:.1f}" y="{H - BOTTOM + 14}" text-anchor="end" '
                   f'transform="rotate(-30 {cx:.1f} {H - BOTTOM + 14})">{escape(label)}</text>')
    return "\n".join(out + _legend(list(series)) + ["</svg>"])


def line_chart(title: str, xs: Sequence[str], series: Mapping[str, Sequence[float | None]], ymax: float = 1.0) -> str:
    """One line per series over the categorical x values.

    >>> line_chart("hit@k", ["1", "5"], {"a": [0.5, 0.9], "b": [0.2, None]}).count("<polyline")
    2
    """
    out = _frame(title, ymax)
    step = (W - LEFT - RIGHT) / max(len(xs) - 1, 1)
    for i, x in enumerate(xs):
        out.append(f'<text x="{LEFT + i * step:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{escape(x)}</text>')
    for s, (name, values) in enumerate(series.items()):
        pts = [(LEFT + i * step, _y(v, ymax)) for i, v in enumerate(values) if v is not None]
        color = COLORS[s % len(COLORS)]
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                   f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)}"/>')
        out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in pts]
    return "\n".join(out + _legend(list(series)) + ["</svg>"])


def histogram(title: str, values: Sequence[float], bins: int = 20, unit: str = "ms") -> str:
    """Counts of `values` in equal-width bins.

    >>> histogram("latency", [10, 20, 20, 30], bins=2).count("<rect")
    2
    """
    if not values:
        return "\n".join(_frame(title, 1.0) + ["</svg>"])
    lo, hi = min(values), max(values)
    width = (hi - lo) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / width), bins - 1)] += 1
    top = -(-max(counts) // 5) * 5  # whole-number ticks
    out = _frame(title, float(top))
    bw = (W - LEFT - RIGHT) / bins
    for i, c in enumerate(counts):
        y = _y(c, top)
        out.append(f'<rect x="{LEFT + i * bw:.1f}" y="{y:.1f}" width="{bw * 0.92:.1f}" height="{H - BOTTOM - y:.1f}" '
                   f'fill="{COLORS[3]}"><title>{lo + i * width:.0f}-{lo + (i + 1) * width:.0f} {unit}: {c}</title></rect>')
    for i in range(0, bins + 1, max(1, bins // 5)):
        out.append(f'<text x="{LEFT + i * bw:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{lo + i * width:.0f}</text>')
    out.append(f'<text x="{(W - RIGHT + LEFT) / 2:.0f}" y="{H - BOTTOM + 34}" text-anchor="middle">{escape(unit)}</text>')
    return "\n".join(out + ["</svg>"])
