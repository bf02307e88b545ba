"""SVG charts for the HTML reports: horizontal bars and histograms, as inline SVG strings.

Pure and byte-stable: the same figures give the same markup (one-decimal coordinates, no
ids). Every user string is escaped and its control characters shown as escapes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

WIDTH = 760  # px, every full-width chart
FONT = 12  # px, chart text
MAX_LABEL_CHARS = 32  # longer labels are cut with an ellipsis (the tooltip has them whole)
MAX_SLOT = 48  # px, the widest histogram bar pitch
MIN_HISTOGRAM_WIDTH = 320  # px, a histogram of few bins is no narrower than this
_NICE = (1, 2, 5)


def esc(value: object) -> str:
    """``value`` as HTML text or attribute content."""
    return escape(str(value), quote=True)


def display(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    r"""A label as shown: control characters as escapes, long labels cut with an ellipsis.

    >>> display("a\nb"), display("x" * 40, limit=5)
    ('a\\nb', 'xxxx…')
    """
    shown = "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in ("Cc", "Cs") else ch
        for ch in text
    )
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of rendered width in px (no font metrics without a browser)."""
    return sum(size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.62) for ch in text)


def _px(value: float) -> str:
    """Coordinates with one decimal: short, and the same on every platform."""
    return f"{value:.1f}".removesuffix(".0")


def _nice_step(largest: float, most: int) -> int:
    """The smallest 1-2-5 step that needs at most ``most`` steps to reach ``largest``."""
    magnitude = 1
    while True:
        for nice in _NICE:
            if nice * magnitude * most >= largest:
                return nice * magnitude
        magnitude *= 10


# -- horizontal bars -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a bar chart: a name, one value per series, a note printed after the bars."""

    name: str
    values: tuple[float, ...]
    note: str
    marker: float | None = None  # a target line across the row, in the values' unit
    muted: bool = False  # drawn grey: not a real label, e.g. records without one


def bar_chart(rows: Sequence[Row], *, largest: float, caption: str, bar_height: float = 12) -> str:
    """Horizontal bars scaled so ``largest`` fills the plot; every value above 0 is at least a sliver.

    >>> svg = bar_chart([Row("a", (2,), "2"), Row("b", (1,), "1")], largest=2, caption="c")
    >>> svg.count("<rect"), 'class="name">b</text>' in svg
    (2, True)
    """
    series = max((len(row.values) for row in rows), default=1)
    gap = 5 if series == 1 else 8
    row_height = series * bar_height + gap
    names = [display(row.name) for row in rows]
    label_w = min(max((text_width(n) for n in names), default=0), text_width("M" * MAX_LABEL_CHARS)) + 10
    note_w = max((text_width(row.note) for row in rows), default=0) + 8
    plot_w = max(WIDTH - label_w - note_w, 60)
    height = len(rows) * row_height + gap
    scale = plot_w / largest if largest > 0 else 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_px(WIDTH)}" height="{_px(height)}" '
        f'viewBox="0 0 {_px(WIDTH)} {_px(height)}" role="img" aria-label="{esc(caption)}">',
        f"<title>{esc(caption)}</title>",
    ]
    for index, (row, name) in enumerate(zip(rows, names, strict=True)):
        top = gap + index * row_height
        middle = top + series * bar_height / 2
        out.append(f"<g><title>{esc(display(row.name, limit=10_000))}: {esc(row.note)}</title>")
        out.append(
            f'<text x="{_px(label_w - 8)}" y="{_px(middle)}" text-anchor="end" dominant-baseline="central" '
            f'class="name{" muted" if row.muted else ""}">{esc(name)}</text>'
        )
        end = label_w
        for k, value in enumerate(row.values):
            length = value * scale
            if value > 0:
                length = max(length, 2.0)  # a sliver: the smallest label must stay visible
            cls = "muted" if row.muted else f"s{k}"
            out.append(
                f'<rect x="{_px(label_w)}" y="{_px(top + k * bar_height)}" width="{_px(length)}" '
                f'height="{_px(bar_height - 1)}" class="{cls}"/>'
            )
            end = max(end, label_w + length)
        if row.marker is not None:
            x = label_w + row.marker * scale
            out.append(
                f'<line x1="{_px(x)}" x2="{_px(x)}" y1="{_px(top - 2)}" y2="{_px(top + series * bar_height + 1)}" '
                'class="marker"/>'
            )
            end = max(end, x)
        out.append(
            f'<text x="{_px(end + 6)}" y="{_px(middle)}" dominant-baseline="central" class="note">'
            f"{esc(row.note)}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out)


# -- histograms ----------------------------------------------------------------------------


def histogram_bars(hist: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(range, count) per bar of a stats histogram, the open-ended overflow bar last when used.

    >>> histogram_bars({"start": 0, "width": 5, "counts": [3, 0], "overflow": 2})
    [('0–4', 3), ('5–9', 0), ('≥10', 2)]
    >>> histogram_bars({"start": 3, "width": 1, "counts": [1, 2], "overflow": 0})
    [('3', 1), ('4', 2)]
    """
    start, width = int(hist["start"]), int(hist["width"])
    bars = []
    for i, count in enumerate(hist["counts"]):
        low = start + i * width
        bars.append((str(low) if width == 1 else f"{low}–{low + width - 1}", int(count)))
    if hist.get("overflow"):
        bars.append((f"≥{start + len(hist['counts']) * width}", int(hist["overflow"])))
    return bars


def histogram_chart(hist: Mapping[str, Any], *, unit: str, what: str, caption: str,
                    width: float = WIDTH, height: float = 180, compact: bool = False) -> str:
    """Vertical bars for a stats histogram; the overflow bar (the longest 1%) is hatched.

    >>> svg = histogram_chart({"start": 0, "width": 1, "counts": [1, 3], "overflow": 0},
    ...                       unit="words", what="texts", caption="c")
    >>> svg.count('class="bar"')
    2
    """
    bars = histogram_bars(hist)
    regular = len(hist["counts"])
    counts = [count for _, count in bars]
    top_count = max(counts, default=0)
    step = 0 if compact else _nice_step(top_count, 4) if top_count else 1
    y_max = (-(-top_count // step) * step if step else top_count) or 1
    left = 6 if compact else text_width(f"{y_max:,}", 11) + 12
    right, top, bottom = 6, 8, 18
    # A few bins must not turn into slabs: cap the bar pitch and let the chart be narrower.
    slot = min((width - left - right) / max(len(bars), 1), MAX_SLOT)
    width = max(left + right + slot * len(bars), min(width, MIN_HISTOGRAM_WIDTH))
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(bars), 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_px(width)}" height="{_px(height)}" '
        f'viewBox="0 0 {_px(width)} {_px(height)}" role="img" aria-label="{esc(caption)}">',
        f"<title>{esc(caption)}</title>",
    ]
    if step:
        for tick in range(0, y_max + 1, step):
            y = top + plot_h - tick / y_max * plot_h
            out.append(f'<line x1="{_px(left)}" x2="{_px(width - right)}" y1="{_px(y)}" y2="{_px(y)}" class="grid"/>')
            out.append(f'<text x="{_px(left - 5)}" y="{_px(y)}" text-anchor="end" dominant-baseline="central" '
                       f'class="tick">{tick:,}</text>')
    for i, (span, count) in enumerate(bars):
        bar_h = count / y_max * plot_h
        x = left + i * slot + (0.5 if slot > 3 else 0)
        cls = "bar over" if i >= regular else "bar"
        out.append(
            f'<rect x="{_px(x)}" y="{_px(top + plot_h - bar_h)}" width="{_px(max(slot - 1, 0.5))}" '
            f'height="{_px(bar_h)}" class="{cls}"><title>{esc(span)} {esc(unit)}: {count:,} {esc(what)}</title></rect>'
        )
    base = top + plot_h
    out.append(f'<line x1="{_px(left)}" x2="{_px(width - right)}" y1="{_px(base)}" y2="{_px(base)}" class="axis"/>')
    out.extend(_x_labels(hist, left, slot, base, regular, compact))
    out.append("</svg>")
    return "\n".join(out)


def _x_labels(hist: Mapping[str, Any], left: float, slot: float, base: float, regular: int,
              compact: bool) -> list[str]:
    """Bin labels under the axis: round values only, and none closer than its width to the last."""
    start, width = int(hist["start"]), int(hist["width"])
    widest = text_width(f"≥{start + (regular + 1) * width}", 11) + (8 if not compact else 14)
    every = _nice_step(widest / slot, 1) if slot < widest else 1
    if width == 1:  # one value per bar: label the bar itself
        positions = [(left + (i + 0.5) * slot, f"{start + i:,}") for i in range(regular)
                     if (start + i) % every == 0]
        if hist.get("overflow"):
            positions.append((left + (regular + 0.5) * slot, f"≥{start + regular:,}"))
    else:  # ranges: label the edges between bars
        positions = [(left + i * slot, f"{start + i * width:,}") for i in range(regular + 1)
                     if (start + i * width) % (every * width) == 0]
    out = []
    last_right = float("-inf")
    for x, text in positions:
        half = text_width(text, 11) / 2
        if x - half < last_right + 4:
            continue
        last_right = x + half
        out.append(f'<text x="{_px(x)}" y="{_px(base + 12)}" text-anchor="middle" class="tick">{esc(text)}</text>')
    return out
