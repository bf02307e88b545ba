"""The HTML report: histogram figures, bar geometry, escaping, determinism, the CLI, a real browser."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from augtool.charts import Row, bar_chart, histogram_chart
from augtool.report import balance_html, balance_summary, stats_html
from augtool.sketches import Bins
from augtool.stats import AgainstStats, DatasetStats

from .conftest import load_script, run_cli

WEIRD = ["<script>alert(1)</script>", 'say "hi" & \'bye\'', "tab\there", "a\x00b", "ünïcødé 中文标签", "x" * 70]


def stats_for(rows: list[tuple[str, str]]) -> dict[str, Any]:
    """stats' JSON document for (text, label) pairs, built with the library."""
    result = DatasetStats(label_field="label")
    for text, label in rows:
        result.add({"text": text, "label": label}, text)
    return result.to_json()


class Charts(HTMLParser):
    """Every <text class="name"> string and every <rect> of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.rects: list[dict[str, str]] = []
        self.scripts = 0
        self._in_name = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
        if tag == "text" and attributes.get("class", "").startswith("name"):
            self._in_name = True
            self.names.append("")
        if tag == "rect":
            self.rects.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "text":
            self._in_name = False

    def handle_data(self, data: str) -> None:
        if self._in_name:
            self.names[-1] += data


def parse(page: str) -> Charts:
    charts = Charts()
    charts.feed(page)
    return charts


# -- figures in stats' JSON ------------------------------------------------------------------


def test_bins_by_hand() -> None:
    # 0..99 once each, plus one 1000: p99 = the 100th of 101 sorted values = 99.
    # Widths 1 and 2 need 100 and 50 bins (> 30); width 5 needs 20: [0,5) ... [95,100).
    counts = Counter([*range(100), 1000])
    bins = Bins.fit(counts)
    assert bins == Bins(start=0, width=5, count=20)
    assert bins.histogram(counts) == {"start": 0, "width": 5, "counts": [5] * 20, "overflow": 1}
    # Start is the smallest value rounded down to the width: 7..12 -> width 1 from 7.
    assert Bins.fit(Counter({7: 2, 12: 1})) == Bins(7, 1, 6)
    assert Bins.fit(Counter()) == Bins(0, 1, 1)


def test_word_histograms_overall_and_per_label() -> None:
    # words per text: x -> 3, 2; y -> 2, 2. p99 of (2, 2, 2, 3) is 3, so bins 2 and 3.
    report = stats_for([("a b c", "x"), ("a b", "x"), ("A  b", "y"), ("a b", "y")])
    assert report["lengths"]["word_histogram"] == {"start": 2, "width": 1, "counts": [3, 1], "overflow": 0}
    assert report["labels"]["x"]["lengths"]["word_histogram"]["counts"] == [1, 1]
    assert report["labels"]["y"]["lengths"]["word_histogram"]["counts"] == [2, 0]


def test_edit_distance_histogram() -> None:
    against = AgainstStats(sources={"1": "the quick dog", "2": "a b c d e f"})
    against.add("1", "the fast dog", ["sr"])  # 1
    against.add("1", "the quick dog", ["rs"])  # 0
    against.add("2", "a b c", ["rd"])  # 3 deleted
    assert against.to_json()["edit_distance_histogram"] == {
        "start": 0, "width": 1, "counts": [1, 1, 0, 1], "overflow": 0}
    # no unchanged copy: the axis still starts at 0 (distance 2 -> the third bin)
    changed = AgainstStats(sources={"1": "a b c"})
    changed.add("1", "x y c", ["sr"])
    assert changed.to_json()["edit_distance_histogram"]["counts"] == [0, 0, 1]


# -- geometry --------------------------------------------------------------------------------


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]


def test_bars_are_proportional_to_counts() -> None:
    page = stats_html(stats_for([("t", "a")] * 10 + [("t", "b")] * 5 + [("t", "c")] * 1))
    charts = parse(page)
    assert charts.names == ["a", "b", "c"]
    label_bars = [float(r["width"]) for r in charts.rects if r.get("class") == "s0"]
    a, b, c = label_bars
    # 10 : 5 : 1 -- coordinates carry one decimal, hence the tolerance
    assert a == pytest.approx(2 * b, abs=0.1)
    assert a == pytest.approx(10 * c, abs=0.5)
    assert a > 400  # the largest label fills most of the 760 px chart


def test_smallest_label_still_gets_a_sliver() -> None:
    svg = bar_chart([Row("big", (100_000,), ""), Row("tiny", (1,), ""), Row("none", (0,), "")],
                    largest=100_000, caption="c")
    big, tiny, none = widths(svg)
    assert big > 500 and tiny == 2 and none == 0


def test_every_label_is_named_in_the_chart() -> None:
    labels = [f"L{i:02d}:{'x' * (i % 9)}" for i in range(50)] + WEIRD
    rows = [(f"text {j}", label) for i, label in enumerate(labels) for j in range(100 - i)]
    report = stats_for(rows)
    charts = parse(stats_html(report))
    # the label chart first; the per-label histograms draw no name texts
    from augtool.charts import display

    assert charts.names == [display(label) for label in report["labels"]]
    assert len(charts.names) == len(labels)
    assert all(float(r["width"]) > 0 for r in charts.rects if r.get("class") == "s0")


def test_histogram_chart_bar_heights() -> None:
    svg = histogram_chart({"start": 0, "width": 5, "counts": [4, 2, 0], "overflow": 1},
                          unit="words", what="texts", caption="c", compact=True)
    heights = [float(h) for h in re.findall(r'height="([0-9.]+)" class="bar', svg)]
    assert len(heights) == 4
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.1)
    assert heights[2] == 0 and heights[3] == pytest.approx(heights[0] / 4, abs=0.1)
    assert svg.count('class="bar over"') == 1  # the overflow bar is drawn apart
    assert ">0–4 words: 4 texts<" in svg


# -- escaping and determinism ----------------------------------------------------------------


def test_user_strings_stay_text() -> None:
    rows = [("some words here", label) for label in WEIRD]
    page = stats_html(stats_for(rows), title="augtool stats: </title><script>x()</script>.jsonl")
    charts = parse(page)
    assert charts.scripts == 0
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x00" not in page and "a\\x00b" in charts.names
    assert 'say "hi" &amp; \'bye\'' not in page  # quotes escaped too: labels also go into attributes
    assert "say &quot;hi&quot; &amp; &#x27;bye&#x27;" in page
    assert "x" * 31 + "…" in charts.names  # long labels cut in the chart, whole in the tooltip
    assert "x" * 70 in page


def test_balance_report_shows_before_target_after() -> None:
    summary = balance_summary(Counter({"<b>": 30, "small": 3}), {"<b>": 30, "small": 30},
                              Counter({"<b>": 30, "small": 29}), Counter({"small": 1}),
                              missing=2, policy="keep")
    page = balance_html(summary, title="augtool balance: x.jsonl")
    charts = parse(page)
    assert charts.names == ["<b>", "small", "(no label)"]
    before_b, after_b, before_s, after_s, missing_before, missing_after = widths(page.split("<svg", 1)[1])
    assert before_b == pytest.approx(after_b) and before_b == pytest.approx(10 * before_s, abs=0.5)
    assert after_s == pytest.approx(before_b * 29 / 30, abs=0.1)
    assert missing_before == missing_after
    assert page.count('class="marker"') == 2  # one target line per real label
    assert "1 copies short" in page and "35 → 61 records" in page


def test_same_figures_same_bytes() -> None:
    rows = [(f"text number {i % 7} " * (i % 5 + 1), f"l{i % 3}") for i in range(200)]
    assert stats_html(stats_for(rows)) == stats_html(stats_for(rows))


# -- CLI ------------------------------------------------------------------------------------


def test_stats_html_cli(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"text": "w " * (i % 9 + 1), "label": ["a", "b", "<i>"][i % 3]}) + "\n"
                            for i in range(60)))
    page = tmp_path / "r.html"
    proc = run_cli("stats", str(data), "--label-field", "label", "--json", "--html", str(page))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode() == f"augtool: report written to {page}\n"
    assert json.loads(proc.stdout)["records"] == 60  # --json still prints the document
    assert sorted(tmp_path.iterdir()) == [data, page]  # no temp file left behind
    first = page.read_bytes()
    assert parse(first.decode()).names == ["a", "b", "<i>"]  # 20 each: first seen first
    assert run_cli("stats", str(data), "--label-field", "label", "--html", str(page)).returncode == 0
    assert page.read_bytes() == first


def test_stats_html_unwritable(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "a b"}\n')
    target = tmp_path / "missing" / "r.html"
    proc = run_cli("stats", str(data), "--html", str(target))
    assert proc.returncode == 4
    assert proc.stderr.decode().startswith(f"augtool: error: cannot write report {target}: ")


def test_terminal_bars_scale_to_largest() -> None:
    from augtool.cli.stats import bar

    assert bar(962, 962) == "█" * 30
    assert bar(481, 962) == "█" * 15
    assert bar(4, 962) == "▏"  # 4/962 of 30 cells is 1 eighth: still visible
    assert bar(1, 10**6) == "▏"


def test_balance_report_cli(tmp_path: Path) -> None:
    rows = [{"id": i, "text": f"the happy dog number {i} runs home", "label": "big"} for i in range(6)]
    rows += [{"id": 10 + i, "text": f"the quick fox number {i} jumps over the car", "label": "small"}
             for i in range(2)]
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    page = tmp_path / "b.html"
    proc = run_cli("balance", str(data), "-o", str(tmp_path / "out"), "--report", str(page))
    assert proc.returncode == 0, proc.stderr
    text = page.read_text()
    assert parse(text).names == ["big", "small"]
    assert "2 → 6" in text and "6 → 6" in text and "8 → 12 records" in text


# -- a real browser --------------------------------------------------------------------------


@pytest.mark.slow
def test_report_renders_in_chromium(tmp_path: Path) -> None:
    script: Any = load_script("report_screenshot")
    chromium = script.find_chromium()
    if chromium is None:
        pytest.skip("chromium not installed (Debian: apt-get install chromium)")
    labels = [f"CLASS:{'name' * (i % 4)}{i}" for i in range(50)] + WEIRD
    rows = [(f"{'word ' * (i % 17 + 1)}{j}", label) for i, label in enumerate(labels) for j in range(60 - i // 2)]
    page = tmp_path / "r.html"
    page.write_text(stats_html(stats_for(rows)), encoding="utf-8")
    layout = script.measure(chromium, page)
    label_chart = layout["charts"][0]
    names = label_chart["names"]
    from augtool.charts import display

    assert [n["text"] for n in names] == [display(label) for label in stats_for(rows)["labels"]]
    for name in names:
        assert name["width"] > 0 and name["left"] >= 0, name  # drawn, and not cut at the left edge
        assert name["right"] <= name["bar_left"] + 0.5, name  # the bar does not cover the name
        assert name["bar_width"] > 0, name
    for upper, lower in pairwise(names):
        assert upper["bottom"] <= lower["top"] + 1, (upper, lower)  # rows do not overlap
    for chart in layout["charts"]:  # axis labels on one line do not collide
        lines: dict[int, list[dict[str, Any]]] = {}
        for tick in chart["ticks"]:
            lines.setdefault(round(tick["top"]), []).append(tick)
        for line in lines.values():
            line.sort(key=lambda t: t["left"])
            for a, b in pairwise(line):
                assert a["right"] <= b["left"] + 0.5, (chart["label"], a, b)
    png = tmp_path / "r.png"
    height = script.screenshot(chromium, page, png)
    assert height > 1000 and png.stat().st_size > 20_000  # a blank page compresses to a few KB
