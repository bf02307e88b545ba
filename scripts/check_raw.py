"""Check augtool's defaults on real raw text: protected tokens, underscores, case, negations, protect list.

Usage: python scripts/check_raw.py [../shared/eval-data/raw] [--per-file 600] [--sample out.tsv]

For each file, the first N records' text fields are augmented with every built-in op
(punct included) under the default policy plus a protect list, then checked:
- every non-word token (URL, number, @mention, emoji, other scripts...) is kept, in order;
- no copy has an underscore its source lacked;
- every sr replacement keeps the replaced word's case pattern;
- negations are all still there, in order;
- protected terms are all still there, unchanged (same case), in order.
With --sample, ~100 sr replacements are written as TSV for hand annotation of inflection.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from random import Random

import orjson

from augtool import io
from augtool.augmenters import Resources, get
from augtool.guards import compile_protect, is_negation
from augtool.pipeline import Options, Pipeline, record_rng
from augtool.tokens import _tokenize_full as full_tokenize
from augtool.tokens import case_pattern, tokenize

FIELDS = {"agnews": ("title", "description"), "imdb": ("text",)}
PROTECT = ["New York", "United States", r"re:\bcovid\w*", "Obama", "iPod", "Delta"]


def nonwords(text: str) -> str:
    """Everything but the editable words, without whitespace, the marks punct may add, and apostrophes.

    Joined, because rd merges the separators around a deleted word into one. Apostrophes are
    left out because rd can glue a quote to the word before a deleted one ("the world 's" ->
    "the's"), which re-tokenizes the quote into a word: a known rd spacing issue, not a token change.
    """
    return re.sub(r"[\s.;?:!,'’]", "", "".join(full_tokenize(text).seps))


def in_order(needles: list[str], haystack: list[str]) -> bool:
    """True when ``needles`` occur in ``haystack`` in order (ri may insert a word that also matches)."""
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", nargs="?", default="../shared/eval-data/raw")
    parser.add_argument("--per-file", type=int, default=600)
    parser.add_argument("--sample", type=Path)
    args = parser.parse_args()
    resources = Resources(stopwords=io.load_stopwords(), lexicon=io.load_lexicon(), morphology=io.load_morphology())
    ops = ("sr", "ri", "rs", "rd", "punct")
    protect = compile_protect(PROTECT)
    assert protect is not None
    records = copies = problems = 0
    replacements: list[tuple[str, str, str, str]] = []
    sr = get("sr")(alpha=0.1, resources=resources)
    for path in sorted(Path(args.raw).glob("*.jsonl")):
        fields = next((f for k, f in FIELDS.items() if path.name.startswith(k)), ("text",))
        pipe = Pipeline(Options(ops=ops, n_aug=5, fields=fields, protect=tuple(PROTECT)), resources)
        for number, (_, raw) in enumerate(io.iter_lines(str(path)), 1):
            if number > args.per_file:
                break
            record = orjson.loads(raw)
            if any(not isinstance(record.get(f), str) or not record[f].strip() for f in fields):
                continue
            records += 1
            for copy in list(pipe.augment([record]))[1:]:
                copies += 1
                for name in fields:
                    old, new = record[name], copy[name]
                    checks = {
                        "non-word tokens": nonwords(old) == nonwords(new),
                        "underscore": "_" in old or "_" not in new,
                        "negations": [w.lower() for w in tokenize(old).words if is_negation(w)]
                        == [w.lower() for w in tokenize(new).words if is_negation(w)],
                        "protected": in_order([m.group() for m in protect.finditer(old)],
                                              [m.group() for m in protect.finditer(new)]),
                    }
                    for check, ok in checks.items():
                        if not ok:
                            problems += 1
                            print(f"{path.name}:{number}: {check}: {old!r} -> {new!r}", file=sys.stderr)
            # Single sr replacements on the first field, for the inflection sample.
            tokens = tokenize(record[fields[0]])
            out = sr(tokens, record_rng(0, record.get("id", number)))
            for i, (a, b) in enumerate(zip(tokens.words, out.words)):
                if a != b:
                    if case_pattern(a) not in (case_pattern(b.replace(" ", "")), None) and not (
                        case_pattern(a) == "title" and b[:1].isupper()
                    ):
                        problems += 1
                        print(f"{path.name}:{number}: case: {a!r} -> {b!r}", file=sys.stderr)
                    left = " ".join(tokens.words[max(0, i - 4) : i])
                    right = " ".join(tokens.words[i + 1 : i + 4])
                    replacements.append((path.name.split(".")[0], a, b, f"{left} [{a}] {right}"))
    print(f"{records} records, {copies} copies, {len(replacements)} sr replacements, {problems} problems")
    if args.sample:
        picked = Random(5).sample(replacements, min(100, len(replacements)))
        lines = ["source\treplaced\treplacement\tcontext\tagrees"]
        lines += ["\t".join((*row, "")) for row in picked]
        args.sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
