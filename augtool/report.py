"""HTML reports for ``augtool stats --html`` and ``augtool balance --report``.

Pure rendering: a dict of figures in, one self-contained HTML page out -- inline CSS and
SVG, no script, nothing fetched. Every user string (labels, paths) is escaped and
control characters are shown as escapes, so a label cannot change the page. The same
figures always give the same bytes: no clock, no random ids, fixed number formats.
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
MAX_SMALL_MULTIPLES = 60  # per-label histograms drawn; the label bars always show every label
MAX_SLOT = 48  # px, the widest histogram bar pitch
MIN_HISTOGRAM_WIDTH = 320  # px, a histogram of few bins is no narrower than this
TABLE_OPEN_ROWS = 12  # a balance table with more rows starts folded (<details>)
_NICE = (1, 2, 5)


def _e(value: object) -> str:
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
        f'viewBox="0 0 {_px(WIDTH)} {_px(height)}" role="img" aria-label="{_e(caption)}">',
        f"<title>{_e(caption)}</title>",
    ]
    for index, (row, name) in enumerate(zip(rows, names, strict=True)):
        top = gap + index * row_height
        middle = top + series * bar_height / 2
        out.append(f"<g><title>{_e(display(row.name, limit=10_000))}: {_e(row.note)}</title>")
        out.append(
            f'<text x="{_px(label_w - 8)}" y="{_px(middle)}" text-anchor="end" dominant-baseline="central" '
            f'class="name{" muted" if row.muted else ""}">{_e(name)}</text>'
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
            f"{_e(row.note)}</text></g>"
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
        f'viewBox="0 0 {_px(width)} {_px(height)}" role="img" aria-label="{_e(caption)}">',
        f"<title>{_e(caption)}</title>",
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
            f'height="{_px(bar_h)}" class="{cls}"><title>{_e(span)} {_e(unit)}: {count:,} {_e(what)}</title></rect>'
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
        out.append(f'<text x="{_px(x)}" y="{_px(base + 12)}" text-anchor="middle" class="tick">{_e(text)}</text>')
    return out


# -- pages ---------------------------------------------------------------------------------

_CSS = """
body{margin:0;background:#fff;color:#1d1d1f;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"DejaVu Sans",sans-serif}
main{max-width:800px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:22px;margin:0 0 2px}h2{font-size:17px;margin:30px 0 6px;border-bottom:1px solid #ddd;
padding-bottom:3px}h3{font-size:13px;margin:0;font-weight:600;overflow:hidden;text-overflow:ellipsis;
white-space:nowrap}
p{margin:6px 0}.sub,.hint,figcaption{color:#5f6368;font-size:12.5px}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
td,th{padding:2px 12px 2px 0;text-align:left;vertical-align:top}td.n,th.n{text-align:right}
th{font-weight:600;border-bottom:1px solid #ddd}
figure{margin:8px 0}svg.chart{display:block;max-width:100%;height:auto}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#1d1d1f}
svg text.tick{font-size:11px;fill:#5f6368}svg text.note{fill:#3c4043}
svg .s0,svg .bar{fill:#3b6ea8}svg .s1{fill:#e07b39}svg .muted{fill:#9aa0a6}svg text.muted{fill:#5f6368}
svg .over{fill:#9dbbd9}svg .marker{stroke:#1d1d1f;stroke-width:2}
svg .grid{stroke:#eceff1}svg .axis{stroke:#5f6368}
summary{cursor:pointer;color:#5f6368;font-size:12.5px;margin-top:8px}
.legend span{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:-1px}
.legend span:first-child{margin-left:0}.legend .s0{background:#3b6ea8}.legend .s1{background:#e07b39}
.legend .mk{width:2px;background:#1d1d1f}
.grid-small{display:grid;grid-template-columns:repeat(3,1fr);gap:14px 18px;margin-top:10px}
.grid-small figure{margin:0;min-width:0}.grid-small p{margin:0;font-size:11.5px;color:#5f6368}
"""


def _page(title: str, subtitle: str, body: list[str]) -> str:
    from augtool import __version__

    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="augtool {_e(__version__)}">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{_e(subtitle)}</p>',
        *body,
        "</main></body>",
        "</html>",
        "",
    ])


def _figures_table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><td>{_e(name)}</td><td class="n">{_e(value)}</td></tr>' for name, value in rows)
    return f"<table>{cells}</table>"


def _lengths_text(lengths: Mapping[str, Any], key: str) -> str:
    data = lengths[key]
    return f"{data['p5']:,} / {data['p50']:,} / {data['p95']:,} / {data['max']:,}"


def stats_html(report: Mapping[str, Any], *, title: str = "augtool stats") -> str:
    """The ``augtool stats --json`` document as one HTML page.

    >>> page = stats_html({"records": 1, "rejected_lines": 0, "augmented_records": 0,
    ...     "lengths": {"words": {"p5": 2, "p50": 2, "p95": 2, "max": 2},
    ...                 "chars": {"p5": 7, "p50": 7, "p95": 7, "max": 7}, "sampled": False},
    ...     "labels": {"<b>": {"count": 1, "share": 1.0}}, "missing_label": 0})
    >>> "&lt;b&gt;" in page and "<b>" not in page
    True
    """
    body: list[str] = ['<h2 id="overview">Overview</h2>']
    records = int(report.get("records", 0))
    estimated = " (estimated)" if report.get("distinct_estimated") else ""
    figures = [
        ("records", f"{records:,}"),
        ("augmented records (with provenance)", f"{report.get('augmented_records', 0):,}"),
        ("rejected lines", f"{report.get('rejected_lines', 0):,}"),
    ]
    if "vocabulary" in report:
        figures += [
            ("vocabulary (lowercased words)" + estimated, f"{report['vocabulary']:,}"),
            ("distinct-1" + estimated, f"{report['distinct_1']:.4f}"),
            ("distinct-2" + estimated, f"{report['distinct_2']:.4f}"),
            ("exact duplicate rate", f"{report['exact_duplicate_rate']:.2%}"),
            ("case/space-normalised duplicate rate", f"{report['normalized_duplicate_rate']:.2%}"),
        ]
    lengths = report.get("lengths")
    if lengths:
        figures += [
            ("words per text (p5 / p50 / p95 / max)", _lengths_text(lengths, "words")),
            ("characters per text (p5 / p50 / p95 / max)", _lengths_text(lengths, "chars")),
        ]
    body.append(_figures_table(figures))
    labels: Mapping[str, Any] = report.get("labels") or {}
    if "labels" in report:
        body += _label_section(labels, int(report.get("missing_label", 0)))
    else:
        body.append('<p class="hint">No label bars: run <code>augtool stats --label-field FIELD</code> '
                     "to count labels.</p>")
    if lengths and "word_histogram" in lengths:
        body += _length_section(lengths, labels)
    if "against" in report:
        body += _against_section(report["against"])
    return _page(title, f"{records:,} records", body)


def _label_section(labels: Mapping[str, Any], missing: int) -> list[str]:
    counts = {label: int(data["count"]) for label, data in labels.items()}
    largest = max([*counts.values(), missing], default=0)
    rows = [Row(label, (count,), f"{count:,} ({labels[label]['share']:.1%})") for label, count in counts.items()]
    if missing:
        rows.append(Row("(no label)", (missing,), f"{missing:,}", muted=True))
    out = [
        '<h2 id="labels">Labels</h2>',
        f'<p class="hint">{len(counts):,} labels; bars are scaled to the largest label, and even the smallest '
        "shows at least a sliver. Hover a bar for its full name.</p>",
    ]
    if rows:
        out.append(f"<figure>{bar_chart(rows, largest=largest, caption='Records per label')}</figure>")
    return out


def _length_section(lengths: Mapping[str, Any], labels: Mapping[str, Any]) -> list[str]:
    hist = lengths["word_histogram"]
    what = "texts in the sample" if lengths.get("sampled") else "texts"
    over = hist["start"] + len(hist["counts"]) * hist["width"]
    notes = [f"x: words per text, in bins of {hist['width']}; y: {what}."]
    if hist.get("overflow"):
        notes.append(f"The pale bar on the right gathers the longest texts (≥{over:,} words).")
    if lengths.get("sampled"):
        notes.append("Counted on a uniform sample of 100,000 texts.")
    out = [
        '<h2 id="lengths">Text length</h2>',
        "<figure>"
        + histogram_chart(hist, unit="words", what=what, caption="Words per text, all texts")
        + f"<figcaption>{_e(' '.join(notes))}</figcaption></figure>",
    ]
    drawn = [(label, data) for label, data in labels.items() if "word_histogram" in data.get("lengths", {})]
    if drawn:
        out.append(
            '<h3 style="margin-top:14px">Per label</h3>'
            '<p class="hint">Same bins as above; each chart is scaled to its own tallest bar.</p>'
            '<div class="grid-small">'
        )
        for label, data in drawn[:MAX_SMALL_MULTIPLES]:
            words = data["lengths"]["words"]
            caption = f"Words per text, label {display(label, limit=10_000)}"
            out.append(
                f'<figure><h3 title="{_e(display(label, limit=10_000))}">{_e(display(label))}</h3>'
                f"<p>n = {data['count']:,} · median {words['p50']:,} · p95 {words['p95']:,} words</p>"
                + histogram_chart(data["lengths"]["word_histogram"], unit="words", what=what, caption=caption,
                                  width=240, height=84, compact=True)
                + "</figure>"
            )
        out.append("</div>")
        if len(drawn) > MAX_SMALL_MULTIPLES:
            out.append(f'<p class="hint">{len(drawn) - MAX_SMALL_MULTIPLES:,} smaller labels not drawn; '
                       "their figures are in <code>augtool stats --json</code>.</p>")
    return out


def _against_section(against: Mapping[str, Any]) -> list[str]:
    out = [
        '<h2 id="against">Augmented vs source</h2>',
        f'<p class="hint">Source: {_e(display(str(against.get("source", "")), limit=10_000))}</p>',
        _figures_table([
            ("augmented records compared", f"{against['compared']:,}"),
            ("without a source record", f"{against['without_source']:,}"),
            ("identical to source", f"{against['identical_to_source']:.2%}"),
            ("mean word edit distance", f"{against['mean_word_edit_distance']:.2f}"),
            ("protected tokens preserved", f"{against['protected_tokens_preserved']:.2%}"),
        ]),
    ]
    hist = against.get("edit_distance_histogram")
    if hist:
        out.append(
            "<figure>"
            + histogram_chart(hist, unit="words changed", what="copies", caption="Word edit distance to the source")
            + "<figcaption>x: word-level edit distance from each augmented copy to its source "
            "(0 = unchanged); y: copies.</figcaption></figure>"
        )
    rates: Mapping[str, float] = against.get("change_rate_by_op") or {}
    if rates:
        rows = [Row(op, (rate,), f"{rate:.1%}") for op, rate in rates.items()]
        out.append(
            "<h3 style=\"margin-top:14px\">Copies changed, by operation</h3>"
            f"<figure>{bar_chart(rows, largest=1.0, caption='Share of copies changed, by operation')}"
            "<figcaption>Share of the copies an operation was applied to that differ from their source "
            "(full width = 100%).</figcaption></figure>"
        )
    return out


def balance_summary(before: Mapping[str, int], wanted: Mapping[str, int], after: Mapping[str, int],
                    short: Mapping[str, int], *, missing: int, policy: str) -> dict[str, Any]:
    """The before/target/after figures of ``augtool balance``, largest label first (ties by name).

    >>> balance_summary({"a": 1, "b": 3}, {"a": 3, "b": 3}, {"a": 3, "b": 3}, {}, missing=0, policy="keep")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'labels': [{'label': 'b', 'before': 3, 'target': 3, 'after': 3, 'short': 0},
                {'label': 'a', 'before': 1, 'target': 3, 'after': 3, 'short': 0}],
     'missing': {'count': 0, 'policy': 'keep', 'after': 0}}
    """
    return {
        "labels": [
            {"label": label, "before": before[label], "target": wanted[label], "after": after.get(label, 0),
             "short": short.get(label, 0)}
            for label in sorted(before, key=lambda x: (-before[x], x))
        ],
        "missing": {"count": missing, "policy": policy, "after": missing if policy == "keep" else 0},
    }


def balance_html(summary: Mapping[str, Any], *, title: str = "augtool balance",
                 options: Sequence[tuple[str, str]] = ()) -> str:
    """A :func:`balance_summary` as one HTML page: before and after bars per label, the target marked."""
    rows_data: Sequence[Mapping[str, Any]] = summary["labels"]
    missing = summary["missing"]
    largest = max([max(r["before"], r["after"], r["target"]) for r in rows_data] + [missing["count"]], default=0)
    rows = [
        Row(r["label"], (r["before"], r["after"]), f"{r['before']:,} → {r['after']:,}", marker=r["target"])
        for r in rows_data
    ]
    if missing["count"]:
        rows.append(Row("(no label)", (missing["count"], missing["after"]),
                        f"{missing['count']:,} → {missing['after']:,} ({missing['policy']})", muted=True))
    total_before = sum(r["before"] for r in rows_data) + missing["count"]
    total_after = sum(r["after"] for r in rows_data) + missing["after"]
    table_rows = "".join(
        f'<tr><td>{_e(display(r["label"], limit=10_000))}</td><td class="n">{r["before"]:,}</td>'
        f'<td class="n">{r["target"]:,}</td><td class="n">{r["after"]:,}</td>'
        f"<td>{_e(short_note(r['short']))}</td></tr>"
        for r in rows_data
    )
    if missing["count"]:
        table_rows += (f'<tr><td>(no label)</td><td class="n">{missing["count"]:,}</td><td></td>'
                       f'<td class="n">{missing["after"]:,}</td><td>{_e(missing["policy"])}</td></tr>')
    body = [
        '<h2 id="overview">Overview</h2>',
        _figures_table([("records before", f"{total_before:,}"), ("records after", f"{total_after:,}"),
                        ("labels", f"{len(rows_data):,}"), *options]),
        '<h2 id="labels">Labels before and after</h2>',
        '<p class="legend"><span class="s0"></span>before<span class="s1"></span>after'
        '<span class="mk"></span>target</p>',
        f"<figure>{bar_chart(rows, largest=largest, caption='Records per label before and after balancing')}"
        "</figure>",
        # Open when short; a long table (TREC: 50 rows) repeats the chart, so it starts folded.
        f"<details{' open' if len(rows_data) <= TABLE_OPEN_ROWS else ''}><summary>Figures as a table</summary>"
        '<table><tr><th>label</th><th class="n">before</th><th class="n">target</th><th class="n">after</th>'
        f"<th>note</th></tr>{table_rows}</table></details>",
    ]
    return _page(title, f"{total_before:,} → {total_after:,} records", body)


def short_note(short: int) -> str:
    """Why a label ended below its target, or nothing."""
    return f"{short} copies short: texts no operation can change" if short else ""
