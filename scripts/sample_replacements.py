"""Draw sr/ri replacements at random from the raw corpora, for judging by hand.

Usage: python scripts/sample_replacements.py [../shared/eval-data/raw] -n 240 --seed 8 [--senses top] > sample.tsv

Every text field of every record in every raw file is augmented as `augtool augment`
does by default (4 copies, alpha 0.1, ops sr,ri,rs,rd, one op per copy); each synonym
that sr put in or ri inserted becomes one event, and `-n` events are drawn with the seed. A
synonym of several words ("motion picture") is one event: until session 13 the script left out
every sr copy holding one, and every ri insertion of one, about a fifth of sr's replacements.
Non-English SIB-200 records are left out: keeping English synonyms out of them is the
language check's job, not the synonym choice's. Output columns (docs/synonyms.md, section 5):
source, id, field, op, left, old, new, right, verdict, reason; the last two are left
empty for the judge.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from random import Random

import orjson

from augtool import default_resources
from augtool.augmenters import Policy
from augtool.augmenters._synonyms import SynonymSource
from augtool.pipeline import Options, Pipeline
from augtool.tokens import Tokens, tokenize

FIELDS = {"agnews": ("title", "description")}
WINDOW = 12  # words of context on each side


def context(tokens: Tokens, i: int) -> tuple[str, str]:
    """The text of up to WINDOW words before and after word ``i``, separators included."""
    start, end = max(0, i - WINDOW), min(len(tokens.words), i + 1 + WINDOW)
    left = "".join(tokens.seps[k] + tokens.words[k] for k in range(start, i)) + tokens.seps[i]
    right = "".join(tokens.seps[k] + tokens.words[k] for k in range(i + 1, end)) + tokens.seps[end]
    if start:
        left = left.lstrip()
    return left, right


def clean(text: str) -> str:
    """One TSV cell: tabs and line breaks written as visible escapes."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _replaced(old: list[str], new: list[str]) -> list[tuple[int, str]]:
    """(position in ``old``, what sr wrote there) for each replaced word, a synonym of several words
    ("motion picture", "in all likelihood") included: a diff of the words, a one-word span to a span of any
    length, or spans of equal length word by word. Where the diff joins neighbouring replacements of different
    lengths into one span, they are left out (under 1 % of the events)."""
    pairs = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        if i2 - i1 == 1:
            pairs.append((i1, " ".join(new[j1:j2])))
        elif i2 - i1 == j2 - j1:
            pairs += [(i1 + k, new[j1 + k]) for k in range(i2 - i1) if old[i1 + k] != new[j1 + k]]
    return pairs


def _inserted(old: list[str], new: list[str],
              calls: list[tuple[tuple[str, ...], int, tuple[str, ...]]]) -> list[tuple[int, str]]:
    """(position of the source word in ``old``, the synonym ri inserted) for each insertion, a synonym of several
    words included: each run of inserted words is cut into the longest choices this text's lookups offered."""
    here = tuple(old)
    offered: dict[str, int] = {}
    for words, i, got in calls:
        if words == here:
            for choice in got:
                offered.setdefault(choice.lower(), i)
    pairs = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "insert":
            continue
        k = j1
        while k < j2:
            end = next((m for m in range(j2, k, -1) if " ".join(new[k:m]).lower() in offered), None)
            if end is None:
                k += 1
                continue
            phrase = " ".join(new[k:end])
            pairs.append((offered[phrase.lower()], phrase))
            k = end
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", nargs="?", default="../shared/eval-data/raw")
    parser.add_argument("-n", type=int, default=240)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--senses", default="top")
    args = parser.parse_args()
    resources = default_resources().with_policy(Policy(senses=args.senses))
    source = resources.shared("synonyms", lambda: SynonymSource(resources))
    calls: list[tuple[tuple[str, ...], int, tuple[str, ...]]] = []
    plain_choices_at = source.choices_at

    def logged(words: list[str], i: int) -> tuple[str, ...]:
        found = plain_choices_at(words, i)
        calls.append((tuple(words), i, found))
        return found

    source.choices_at = logged  # type: ignore[method-assign]
    events: list[tuple[str, ...]] = []
    for path in sorted(Path(args.raw).glob("*.jsonl")):
        fields = next((f for k, f in FIELDS.items() if path.name.startswith(k)), ("text",))
        pipe = Pipeline(Options(fields=fields, senses=args.senses), resources)
        for line in path.read_bytes().splitlines():
            record = orjson.loads(line)
            if record.get("lang", "eng_Latn") != "eng_Latn":
                continue
            if any(not isinstance(record.get(f), str) or not record[f].strip() for f in fields):
                continue
            calls.clear()
            copies = list(pipe.augment([record]))[1:]
            for copy in copies:
                op = copy["_aug"]["ops"][0]
                if op not in ("sr", "ri"):
                    continue
                for name in fields:
                    old, new = tokenize(record[name]), tokenize(copy[name])
                    if op == "sr":
                        pairs = _replaced(old.words, new.words)
                    elif op == "ri":
                        pairs = _inserted(old.words, new.words, calls)
                    else:
                        continue
                    for i, word in pairs:
                        left, right = context(old, i)
                        events.append((path.name.split(".")[0], str(record["id"]), name, op, clean(left),
                                       old.words[i], word, clean(right)))
    rng = Random(args.seed)
    picked = sorted(rng.sample(range(len(events)), min(args.n, len(events))))
    out = sys.stdout
    out.write("source\tid\tfield\top\tleft\told\tnew\tright\tverdict\treason\n")
    for k in picked:
        out.write("\t".join(events[k]) + "\t\t\n")
    print(f"{len(events)} events, {len(picked)} drawn", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
