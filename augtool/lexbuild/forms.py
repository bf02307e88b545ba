"""The word-form table (``augtool-forms/1``) written beside the lexicon, and the frequency and inflection sources.

wordfreq and lemminflect (the ``lexicon`` extra) are imported only here, only when building.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Mapping
from pathlib import Path

from augtool.errors import LexiconError
from augtool.files import write_atomic
from augtool.lexbuild.rules import DEFAULT_RULES, REGISTER_SHIFTS, Rules, spelling_key
from augtool.lexicon import Sense

_MISSING_EXTRA = "lexicon build needs wordfreq and lemminflect: pip install 'augtool[lexicon]'"


def wordfreq_zipf() -> tuple[Callable[[str], float], str]:
    """wordfreq's English Zipf frequencies, and a header line naming the version."""
    try:
        from importlib.metadata import version

        import wordfreq
    except ImportError as exc:
        raise LexiconError(_MISSING_EXTRA) from exc

    def zipf(word: str) -> float:
        return float(wordfreq.zipf_frequency(word, "en"))

    return zipf, f"wordfreq {version('wordfreq')} English (large list), Zipf frequency"


# lemminflect's Penn tags per form slot, in the order the forms file lists them.
_SLOT_TAGS = {
    "n": (("plural", "NNS"),),
    "v": (("3sg", "VBZ"), ("past", "VBD"), ("ppart", "VBN"), ("ing", "VBG")),
    "a": (("comp", "JJR"), ("sup", "JJS")),
    "r": (("comp", "RBR"), ("sup", "RBS")),
}
_UPOS = {"n": "NOUN", "v": "VERB", "a": "ADJ", "r": "ADV"}


def build_forms(
    table: Mapping[str, list[Sense]],
    out_path: Path,
    *,
    rules: Rules = DEFAULT_RULES,
    zipf: Callable[[str], float] | None = None,
    inflections: Callable[[str, str], Mapping[str, tuple[str, ...]]] | None = None,
) -> int:
    """Write the ``augtool-forms/1`` table for every one-word head and synonym; return its lines.

    A form is listed only when the inflection source gives it and it is in real use
    (Zipf >= `rules.min_form_zipf`); spelling variants follow, most frequent first.
    """
    from augtool.inflect import FORMS_FORMAT

    source = "given by the caller"
    if inflections is None:
        inflections, source = _lemminflect()
    if zipf is None:
        zipf, _ = wordfreq_zipf()
    wanted: set[tuple[str, str]] = set()
    for head, senses in table.items():
        for sense in senses:
            if sense.is_name:
                continue
            for word in (head, *(s.lower() for s in sense.synonyms)):
                # Multi-word lemmas inflect one of their words, looked up on its own.
                for part in word.split(" "):
                    wanted.add((sense.pos, part))
    lines = []
    for pos, lemma in sorted(wanted):
        found = inflections(lemma, pos)
        slots = []
        for _slot, tag in _SLOT_TAGS[pos]:
            forms = found.get(tag) or (found.get("VBD", ()) if tag == "VBN" else ())
            real = [f for f in forms if f.isalpha() or "-" in f or "'" in f]
            bar = rules.min_form_zipf
            if any(f != lemma for f in real) and lemma in real:
                # "information" listed as its own plural marks a mass noun, and the base spelling
                # always looks frequent: only a distinct form in common use ("fishes"), or nothing.
                real = [f for f in real if f != lemma]
                bar = rules.min_zipf
            # A form that the register list bars as a synonym is no form to write either: "smaller"
            # read "littler" through "little" (a synonym of "small") until it was dropped here.
            confirmed = sorted({f for f in real if zipf(f) >= bar and f not in REGISTER_SHIFTS},
                               key=lambda f: (-zipf(f), f))
            if len({spelling_key(f) for f in confirmed}) > 1:
                confirmed = []  # was/were, lay/lied: which one depends on what the table cannot see
            slots.append(",".join(confirmed))
        if any(slots):
            lines.append("\t".join([pos, lemma, *slots]))
    header = [
        f"#format: {FORMS_FORMAT}",
        f"#source: {source}; forms confirmed by wordfreq Zipf >= {rules.min_form_zipf:g}",
        "#slots: n plural; v 3sg past ppart ing; a comp sup; r comp sup",
    ]
    data = "\n".join(header + lines) + "\n"
    write_file(out_path, gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0))
    return len(lines)


def _lemminflect() -> tuple[Callable[[str, str], Mapping[str, tuple[str, ...]]], str]:
    """lemminflect's dictionary forms (never its out-of-vocabulary rules), and a line naming it."""
    try:
        from importlib.metadata import version

        import lemminflect
    except ImportError as exc:
        raise LexiconError(_MISSING_EXTRA) from exc

    def inflections(lemma: str, pos: str) -> Mapping[str, tuple[str, ...]]:
        found: Mapping[str, tuple[str, ...]] = lemminflect.getAllInflections(lemma, upos=_UPOS[pos])
        return found

    return inflections, f"lemminflect {version('lemminflect')} dictionary forms (NIH SPECIALIST Lexicon)"


def write_file(path: Path, data: bytes) -> None:
    """Write a built file whole or not at all (augtool's one atomic writer), creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
