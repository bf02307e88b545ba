"""Count copies whose markup, escapes, placeholders, line breaks or marked words were damaged.

Usage: python scripts/check_markup.py [../shared/eval-data/raw] [--per-file N] [--alpha 0.1 0.3] [--show 3]

Each raw file is augmented op by op (sr, ri, rs, rd, punct; 4 copies per record) and every copy
is compared with its source using regular expressions written here, independently of
augtool's tokenizer, so a shape the tokenizer misses shows up as damage instead of passing
unseen. A copy is damaged when, in any text field:
- the sequence of pieces of some kind (tags, entities, escapes, placeholders, code, paths,
  domains, URLs, mentions with their clitics) differs from the source's;
- the count of some markup character (< > & \\ % $ { } # @ ~ | / ` _) or line-break character differs;
- a word carrying a combining mark, joiner or soft hyphen appears that the source did not have
  (a word split in two, or an accent moved).
Prints one line per file and op with the damaged copies and the checks that failed; exits 1
if any copy was damaged.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import orjson

from augtool import io
from augtool.augmenters import Resources
from augtool.pipeline import Options, Pipeline

FIELDS = {"agnews": ("title", "description"), "imdb": ("text",)}
OPS = ("sr", "ri", "rs", "rd", "punct")
BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
MARKUP_CHARS = "<>&\\%${}#@~|/`_"
MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200c\u200d\u00ad"
_ENTITY = r"(?:&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*)|(?<![&\w])#\d+);"

# Each kind's matches must come out the same, in the same order.
KINDS = {
    "url": re.compile(r"(?:(?:https?|ftp)://|(?<![\w.])www\.)(?:(?!&[lg]t;)[^\s\"'<>])+"),
    "tag": re.compile(r"<!--[\s\S]*?-->|</?[A-Za-z][^<>]*>|<[!?][^<>]*>"),
    "escaped tag": re.compile(r"&lt;[/!?]?[A-Za-z].*?&gt;"),
    "entity": re.compile(rf"[A-Za-z]*{_ENTITY}[A-Za-z]*"),
    # A backslash and the lowercase run glued to it; an uppercase letter after it counts as one
    # class, so a synonym replacing the capitalised word after it is not damage.
    "backslash": re.compile(r"\\(?:[a-z][a-z0-9]*|.|$)", re.S),
    "printf": re.compile(r"%(?:\(\w+\))?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa](?![A-Za-z])"),
    "template": re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{[^{}\s]*\}|\$\{[^{}]*\}|\$[A-Za-z_]\w*"),
    # Backtick quotes closed by an apostrophe (`like this') are prose, not code.
    "code": re.compile(r"`{3}[\s\S]*?`{3}|(?<![\w`])`(?!`)(?:(?!'(?:\s|$))[^`\n]){1,200}`(?![\w`])"),
    # Absolute paths need two parts: "/learn/" is emphasis, not a path.
    "path": re.compile(r"(?<![\w/.~])(?:(?:~|\.\.?)(?:/[\w.+-]+)+|(?:/[\w.+-]+){2,})|(?<!\w)[A-Za-z]:\\\S*"),
    "domain": re.compile(
        r"(?<![\w@./-])(?:[A-Za-z0-9-]+\.)+(?:com|net|org|edu|gov|io|co|uk|us|ca|de|fr|au|info|biz|tv)\b", re.I
    ),
    "mention": re.compile(r"[@#]\w+(?:['’]\w+)?"),
}
_TAGS = re.compile(f"{KINDS['tag'].pattern}|{KINDS['escaped tag'].pattern}")
_MARKED_WORD = re.compile(rf"(?:[^\W\d_]|[{MARK}])*[{MARK}](?:[^\W\d_]|[{MARK}])*")


# Deleting the first of "funny/sad/insightful" leaves "/sad/insightful", and "you" of IMDB's
# "If you`re ... They`re" leaves a backtick span: shaped like a path or code, but no path or
# code was touched. For these kinds the source's pieces must survive in order; new ones may appear.
SUBSEQUENCE = {"path", "code"}


def profile(text: str) -> dict[str, object]:
    """Everything the checks compare, for one text."""
    out: dict[str, object] = {kind: _pieces(rx, text) for kind, rx in KINDS.items()}
    out["markup char count"] = [text.count(ch) for ch in MARKUP_CHARS]
    out["line breaks"] = [text.count(ch) for ch in BREAKS]
    out["marked word"] = Counter(_MARKED_WORD.findall(text))
    return out


def findings(old: str | dict[str, object], new: str) -> list[str]:
    """Names of the checks ``new`` fails against its source ``old`` (a text or its ``profile``)."""
    before = profile(old) if isinstance(old, str) else old
    after = profile(new)
    failed = []
    for kind, value in before.items():
        if kind == "marked word":
            if after[kind] - value:  # type: ignore[operator]
                failed.append(kind)
        elif value != after[kind] and not (kind in SUBSEQUENCE and _in_order(value, after[kind])):  # type: ignore[arg-type]
            failed.append(kind)
    return failed


def _in_order(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def _pieces(rx: re.Pattern[str], text: str) -> list[str]:
    if rx is KINDS["entity"]:
        text = _TAGS.sub("\0", text)  # "&lt;b&gt;Title": a tag, then a word; not an entity with a clitic
    out = rx.findall(text)
    if rx is KINDS["backslash"]:
        out = ["\\U" if len(p) == 2 and p[1].isupper() else p for p in out]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", nargs="?", default="../shared/eval-data/raw")
    parser.add_argument("--per-file", type=int, default=0, help="records per file (0: all)")
    parser.add_argument("--alpha", type=float, nargs="+", default=[0.1])
    parser.add_argument("--ops", nargs="+", default=list(OPS))
    parser.add_argument("--show", type=int, default=0, help="print this many damaged copies per file and op")
    args = parser.parse_args()
    resources = Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(), morphology=io.load_morphology())
    damaged_total = 0
    for path in sorted(Path(args.raw).glob("*.jsonl")):
        fields = next((f for k, f in FIELDS.items() if path.name.startswith(k)), ("text",))
        records = []
        for number, (_, raw) in enumerate(io.iter_lines(str(path)), 1):
            if args.per_file and number > args.per_file:
                break
            record = orjson.loads(raw)
            if all(isinstance(record.get(f), str) and record[f].strip() for f in fields):
                records.append(record)
        profiles = [{f: profile(record[f]) for f in fields} for record in records]
        for alpha in args.alpha:
            for op in args.ops:
                pipe = Pipeline(Options(ops=(op,), n_aug=4, alpha=alpha, fields=fields), resources)
                copies = damaged = shown = 0
                checks: Counter[str] = Counter()
                for record, sources in zip(records, profiles):
                    for copy in list(pipe.augment([record]))[1:]:
                        copies += 1
                        failed = sorted({c for f in fields for c in findings(sources[f], copy[f])})
                        if failed:
                            damaged += 1
                            checks.update(failed)
                            if shown < args.show:
                                shown += 1
                                for f in fields:
                                    if findings(record[f], copy[f]):
                                        print(f"  {failed}\n    {record[f]!r}\n -> {copy[f]!r}", file=sys.stderr)
                damaged_total += damaged
                detail = ", ".join(f"{k} {v}" for k, v in checks.most_common())
                print(f"{path.name:32s} α={alpha} {op:5s} {damaged:5d}/{copies} damaged  {detail}", flush=True)
    return 1 if damaged_total else 0


if __name__ == "__main__":
    sys.exit(main())
