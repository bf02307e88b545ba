"""Build augtool's HTML reports and screenshot them in headless Chromium, to look at them.

Usage: python scripts/report_screenshot.py [--out build/report] [--data ../shared/eval-data] [--docs]

Reports built:
- sample.html: ``augtool stats`` of the bundled sample augmented as ``make run`` does
  (--seed 7), with --label-field label --against corpora/sample.jsonl;
- sample-balance.html: ``augtool balance --report`` of the sample with three of every
  four "neg" records left out (60 pos, 15 neg), so there is something to balance;
  (all run in a temporary directory, so the titles show short relative names)
- trec.html, trec-balance.html: the same for TREC's 50 fine labels
  (eval-data/raw/trec-raw.train.jsonl; --target mean --undersample), when present.
Each gets a PNG as tall as the page. With --docs, the sample's two screenshots are copied
to docs/report-sample.png and docs/report-balance.png.

Needs Chromium (Debian: apt-get install chromium). The reports themselves hold no script;
to size the screenshot, a copy of each page with a one-line measuring script is loaded
with --dump-dom first.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WIDTH = 860  # px: the report's 800 px column plus margins

# Run in the page copy: the page height, and the layout facts tests check (labels inside
# the picture, not cut by their bars, not overlapping each other).
MEASURE = """<script>
(function () {
  const box = e => e.getBoundingClientRect();
  const out = {height: Math.ceil(document.querySelector("main").getBoundingClientRect().bottom), charts: []};
  for (const svg of document.querySelectorAll("svg.chart")) {
    const frame = box(svg);
    const names = [...svg.querySelectorAll("text.name")].map(t => {
      const r = box(t);
      const bar = t.parentNode.querySelector("rect");
      return {text: t.textContent, left: r.left - frame.left, right: r.right - frame.left,
              top: r.top - frame.top, bottom: r.bottom - frame.top, width: r.width,
              bar_left: bar ? box(bar).left - frame.left : null, bar_width: bar ? box(bar).width : null};
    });
    const ticks = [...svg.querySelectorAll("text.tick")].map(t => {
      const r = box(t);
      return {text: t.textContent, left: r.left - frame.left, right: r.right - frame.left,
              top: r.top - frame.top, bottom: r.bottom - frame.top};
    });
    out.charts.push({label: svg.getAttribute("aria-label"), width: frame.width, names: names, ticks: ticks});
  }
  document.body.setAttribute("data-measure", JSON.stringify(out));
})();
</script>"""

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=1",
]


def find_chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(chromium: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout, check=False)


def measure(chromium: str, page: Path, width: int = WIDTH) -> dict:
    """Load a copy of ``page`` with the measuring script; its height and chart layout as rendered."""
    html = page.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        copy.write_text(html.replace("</body>", MEASURE + "</body>", 1), encoding="utf-8")
        proc = _chromium(chromium, f"--window-size={width},1000", "--dump-dom", copy.as_uri())
    found = re.search(r'data-measure="([^"]*)"', proc.stdout)
    if not found:
        raise RuntimeError(f"chromium did not render {page}: {proc.stderr[-2000:]}")
    import html as html_module

    return json.loads(html_module.unescape(found.group(1)))


def screenshot(chromium: str, page: Path, png: Path, width: int = WIDTH) -> int:
    """A PNG of the whole page (as tall as it renders); returns the height in px."""
    height = measure(chromium, page, width)["height"]
    proc = _chromium(chromium, f"--window-size={width},{height}", f"--screenshot={png.resolve()}", page.as_uri())
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot of {page}: {proc.stderr[-2000:]}")
    return height


def augtool(work: Path, *args: str) -> None:
    """Run the CLI in ``work`` (short relative paths in the report titles); stop on failure."""
    proc = subprocess.run([sys.executable, "-m", "augtool", *args], capture_output=True, text=True, cwd=work)
    if proc.returncode != 0:
        sys.exit(f"augtool {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")


def build_reports(out: Path, data: Path, work: Path) -> list[Path]:
    """Write the reports listed in the module docstring into ``out``; their paths."""
    out = out.resolve()
    lines = (REPO / "corpora" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    (work / "sample.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    augtool(work, "augment", "sample.jsonl", "-o", "out", "--seed", "7")
    pages = [out / "sample.html"]
    augtool(work, "stats", "out", "--label-field", "label", "--against", "sample.jsonl", "--html", str(pages[-1]))
    negs = 0
    kept = []
    for line in lines:
        if json.loads(line)["label"] == "neg":
            negs += 1
            if negs % 4:
                continue
        kept.append(line)
    (work / "skewed.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    pages.append(out / "sample-balance.html")
    augtool(work, "balance", "skewed.jsonl", "-o", "balanced", "--report", str(pages[-1]))
    trec = data / "raw" / "trec-raw.train.jsonl"
    if trec.is_file():
        pages.append(out / "trec.html")
        shutil.copyfile(trec, work / trec.name)
        augtool(work, "stats", trec.name, "--label-field", "label", "--html", str(pages[-1]))
        pages.append(out / "trec-balance.html")
        augtool(work, "balance", trec.name, "-o", "trec-balanced", "--target", "mean", "--undersample",
                "--report", str(pages[-1]))
    else:
        print(f"skipped TREC: {trec} not found (give --data)", file=sys.stderr)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "report")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval-data")
    parser.add_argument("--docs", action="store_true", help="copy the sample's screenshots into docs/")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no chromium on PATH (Debian: apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pages = build_reports(args.out, args.data, Path(work))
    for page in pages:
        png = page.with_suffix(".png")
        height = screenshot(chromium, page, png)
        print(f"{png}: {WIDTH}x{height}, {png.stat().st_size:,} bytes")
    if args.docs:
        (REPO / "docs").mkdir(exist_ok=True)
        for name, target in (("sample.png", "report-sample.png"), ("sample-balance.png", "report-balance.png")):
            shutil.copyfile(args.out / name, REPO / "docs" / target)
            print(f"docs/{target}")


if __name__ == "__main__":
    main()
