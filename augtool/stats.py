"""Dataset statistics, computed in one streaming pass with bounded memory.

Bounds (chosen so a laptop copes with any input; exact below them):
- length percentiles and word-length histograms: exact up to 100,000 texts, then a seeded
  reservoir sample of 100,000 (per label too); at most 30 bins plus one open-ended bin;
- vocabulary and distinct n-gram counts: exact up to 1,000,000 distinct items each,
  then a K-minimum-values sketch (k = 4,096, about 1.6% relative error) -- marked "estimated";
- duplicate rates: exact up to 2,000,000 distinct texts, then later texts are only
  compared with those -- marked "estimated".
``--against`` keeps the source file's texts in memory (one entry per source record).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from augtool.audit import Audit
from augtool.sketches import Bins, DistinctCounter, Reservoir
from augtool.tokens import protected_tokens

PERCENTILES = (5, 50, 95)
EXACT_TEXTS = 2_000_000
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass
class Lengths:
    """Text lengths in words and characters."""

    words: Reservoir = field(default_factory=Reservoir)
    chars: Reservoir = field(default_factory=Reservoir)
    max_words: int = 0
    max_chars: int = 0

    def add(self, n_words: int, n_chars: int) -> None:
        """Add one text's lengths."""
        self.words.add(n_words)
        self.chars.add(n_chars)
        self.max_words = max(self.max_words, n_words)
        self.max_chars = max(self.max_chars, n_chars)

    def word_counts(self) -> Counter[int]:
        """Word lengths of the (sampled) texts as length -> texts."""
        return Counter(self.words.values)

    def to_json(self, bins: Bins | None = None) -> dict[str, Any]:
        """Percentiles and maxima; with ``bins``, a word-length histogram of the sample too."""
        out = {
            "words": {**{f"p{p}": self.words.percentile(p) for p in PERCENTILES}, "max": self.max_words},
            "chars": {**{f"p{p}": self.chars.percentile(p) for p in PERCENTILES}, "max": self.max_chars},
            "sampled": self.words.seen > self.words.size,
        }
        if bins is not None:
            out["word_histogram"] = bins.histogram(self.word_counts())
        return out


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between two word lists.

    >>> edit_distance("the quick fox".split(), "the fast fox jumps".split())
    2
    """
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def label_key(value: Any) -> str:
    """How a label shows and is counted: strings as they are, other JSON values as JSON."""
    import orjson

    return value if isinstance(value, str) else orjson.dumps(value).decode()


@dataclass
class DatasetStats:
    """Everything ``augtool stats`` reports about one stream of records."""

    text_field: str = "text"
    label_field: str | None = None
    provenance_key: str = "_aug"
    records: int = 0
    rejected: int = 0
    augmented: int = 0
    missing_label: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    lengths: Lengths = field(default_factory=Lengths)
    label_lengths: dict[str, Lengths] = field(default_factory=dict)
    vocabulary: DistinctCounter = field(default_factory=DistinctCounter)
    unigrams: int = 0
    bigrams: int = 0
    distinct_bigrams: DistinctCounter = field(default_factory=DistinctCounter)
    exact_texts: set[bytes] = field(default_factory=set)
    normal_texts: set[bytes] = field(default_factory=set)
    exact_duplicates: int = 0
    normal_duplicates: int = 0
    texts_capped: bool = False

    def reject(self) -> None:
        """Count an unusable line."""
        self.rejected += 1

    def add(self, record: dict[str, Any], text: str) -> None:
        """Add one record whose text field holds ``text``."""
        self.records += 1
        if self.provenance_key in record:
            self.augmented += 1
        words = _WORD.findall(text.lower())
        n_chars = len(text)
        self.lengths.add(len(words), n_chars)
        if self.label_field is not None:
            value = get_path(record, self.label_field)
            if value is _MISSING or value is None:
                self.missing_label += 1
            else:
                key = label_key(value)
                self.labels[key] += 1
                # Not setdefault(key, Lengths()): that builds two seeded Random objects per record.
                lengths = self.label_lengths.get(key)
                if lengths is None:
                    lengths = self.label_lengths[key] = Lengths()
                lengths.add(len(words), n_chars)
        for word in words:
            self.vocabulary.add(word)
        self.unigrams += len(words)
        self.bigrams += max(0, len(words) - 1)
        for a, b in pairwise(words):
            self.distinct_bigrams.add(f"{a} {b}")
        self._duplicates(text)

    def _duplicates(self, text: str) -> None:
        exact = hashlib.blake2b(text.encode(), digest_size=12).digest()
        normal = hashlib.blake2b(" ".join(text.casefold().split()).encode(), digest_size=12).digest()
        for key, seen, attr in ((exact, self.exact_texts, "exact_duplicates"),
                                (normal, self.normal_texts, "normal_duplicates")):
            if key in seen:
                setattr(self, attr, getattr(self, attr) + 1)
            elif len(seen) < EXACT_TEXTS:
                seen.add(key)
            else:
                self.texts_capped = True

    def to_json(self) -> dict[str, Any]:
        """Every figure, as plain JSON values."""
        total = self.records or 1
        # One set of bins for all texts and every label, so per-label histograms line up.
        bins = Bins.fit(self.lengths.word_counts())
        out: dict[str, Any] = {
            "records": self.records,
            "rejected_lines": self.rejected,
            "augmented_records": self.augmented,
            "lengths": self.lengths.to_json(bins),
            "vocabulary": self.vocabulary.value(),
            "distinct_1": round(self.vocabulary.value() / self.unigrams, 4) if self.unigrams else 0.0,
            "distinct_2": round(self.distinct_bigrams.value() / self.bigrams, 4) if self.bigrams else 0.0,
            "distinct_estimated": self.vocabulary.estimated or self.distinct_bigrams.estimated,
            "exact_duplicate_rate": round(self.exact_duplicates / total, 4),
            "normalized_duplicate_rate": round(self.normal_duplicates / total, 4),
            "duplicates_estimated": self.texts_capped,
        }
        if self.label_field is not None:
            out["labels"] = {
                key: {
                    "count": count,
                    "share": round(count / total, 4),
                    "lengths": self.label_lengths[key].to_json(bins),
                }
                for key, count in self.labels.most_common()
            }
            out["missing_label"] = self.missing_label
        return out


@dataclass
class AgainstStats:
    """How augmented records differ from their sources."""

    sources: dict[str, str] = field(default_factory=dict)
    compared: int = 0
    unmatched: int = 0
    identical: int = 0
    per_op: dict[str, list[int]] = field(default_factory=dict)  # op -> [copies, changed]
    distance_sum: int = 0
    # distance -> copies: at most one key per distinct distance, so bounded by the longest text
    distances: Counter[int] = field(default_factory=Counter)
    protected_total: int = 0
    protected_kept: int = 0
    # Checks independent of augtool's tokenizer (augtool.audit); a source's language is detected once.
    audit: Audit = field(default_factory=Audit)
    _english: dict[str, bool] = field(default_factory=dict)

    def add(self, source_id: str, text: str, ops: list[str]) -> None:
        """Compare one augmented text with its source (by the source's id as JSON)."""
        source = self.sources.get(source_id)
        if source is None:
            self.unmatched += 1
            return
        self.compared += 1
        changed = text != source
        self.identical += not changed
        distance = edit_distance(source.split(), text.split())
        self.distance_sum += distance
        self.distances[distance] += 1
        for op in ops:
            counts = self.per_op.setdefault(op, [0, 0])
            counts[0] += 1
            counts[1] += changed
        wanted = Counter(protected_tokens(source))
        found = Counter(protected_tokens(text))
        self.protected_total += sum(wanted.values())
        self.protected_kept += sum((wanted & found).values())
        english = self._english.get(source_id)
        if english is None:
            from augtool.lang import default_detector

            english = self._english[source_id] = default_detector().is_english(source)
        self.audit.add(source, text, english=english)

    def to_json(self) -> dict[str, Any]:
        """Every figure, as plain JSON values."""
        n = self.compared or 1
        return {
            "compared": self.compared,
            "without_source": self.unmatched,
            "identical_to_source": round(self.identical / n, 4),
            "mean_word_edit_distance": round(self.distance_sum / n, 4),
            # bins from 0, so "unchanged" has its place on the axis even when no copy is
            "edit_distance_histogram": Bins.fit({0: 0, **self.distances}).histogram(self.distances),
            "change_rate_by_op": {op: round(c[1] / c[0], 4) for op, c in sorted(self.per_op.items())},
            "protected_tokens_preserved": (
                round(self.protected_kept / self.protected_total, 4) if self.protected_total else 1.0
            ),
            "audit": self.audit.to_json(),
        }


class _Missing:
    pass


_MISSING = _Missing()


def get_path(record: Any, path: str) -> Any:
    """A value by dotted path (``meta.label``); a sentinel when any step is missing.

    >>> get_path({"a": {"b": 2}}, "a.b"), get_path({"a": 1}, "a.b") is _MISSING
    (2, True)
    """
    value = record
    for step in path.split("."):
        if not isinstance(value, dict) or step not in value:
            return _MISSING
        value = value[step]
    return value
