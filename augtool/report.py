"""HTML reports for ``augtool stats --html`` and ``augtool balance --report``.

Pure rendering: a dict of figures in, one self-contained HTML page out -- inline CSS and
SVG, no script, nothing fetched. Every user string (labels, paths) is escaped and
control characters are shown as escapes, so a label cannot change the page. The same
figures always give the same bytes: no clock, no random ids, fixed number formats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from augtool.charts import Row, bar_chart, display, esc, histogram_chart

MAX_SMALL_MULTIPLES = 60  # per-label histograms drawn; the label bars always show every label
TABLE_OPEN_ROWS = 12  # a balance table with more rows starts folded (<details>)

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
        f'<meta name="generator" content="augtool {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{esc(subtitle)}</p>',
        *body,
        "</main></body>",
        "</html>",
        "",
    ])


def _figures_table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><td>{esc(name)}</td><td class="n">{esc(value)}</td></tr>' for name, value in rows)
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
        + f"<figcaption>{esc(' '.join(notes))}</figcaption></figure>",
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
                f'<figure><h3 title="{esc(display(label, limit=10_000))}">{esc(display(label))}</h3>'
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
        f'<p class="hint">Source: {esc(display(str(against.get("source", "")), limit=10_000))}</p>',
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
        f'<tr><td>{esc(display(r["label"], limit=10_000))}</td><td class="n">{r["before"]:,}</td>'
        f'<td class="n">{r["target"]:,}</td><td class="n">{r["after"]:,}</td>'
        f"<td>{esc(short_note(r['short']))}</td></tr>"
        for r in rows_data
    )
    if missing["count"]:
        table_rows += (f'<tr><td>(no label)</td><td class="n">{missing["count"]:,}</td><td></td>'
                       f'<td class="n">{missing["after"]:,}</td><td>{esc(missing["policy"])}</td></tr>')
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
