"""Build the bundled synonym lexicon and word-form table (the only package importing nltk, wordfreq, lemminflect).

Which WordNet senses may give synonyms, and which lemmas may be offered, is decided here,
once, so the run time only looks words up. The rules (docs/synonyms.md has the reasons):

- a sense in which the head is only spelled as a name or an abbreviation ("Bush", "LA",
  "Ohio" for "oh") is written as a name sense (upper-case pos: a count, no synonyms);
- senses WordNet marks or glosses as offensive, and senses in a register that does not
  carry over (slang, colloquial, archaic, plural-only, trade names), keep their count but
  give no synonyms; the lemmas of offensive senses are never offered as synonyms anywhere;
- a synonym is never a name, an abbreviation, a numeral, a single letter, a clipped form of
  another lemma of its synset, a function word, a word whose register or connotation differs
  from the words it would stand for (`REGISTER_SHIFTS`), or a rare word (wordfreq Zipf below a
  bar), and it is offered only from a sense that is a real share of its own tagged uses;
- every head word lists the fixed expressions (WordNet's multi-word lemmas) it is part of,
  in which the run time never replaces it ("appeals court", "special effect", "sort out").

Here the build is put together; ``wordnet`` reads WordNet, ``rules`` holds the filters and
``senses`` applies them, ``forms`` writes the word-form table.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Mapping
from pathlib import Path

from augtool.lexbuild.forms import build_forms, wordfreq_zipf, write_file
from augtool.lexbuild.rules import DEFAULT_RULES, Rules
from augtool.lexbuild.senses import Progress, collect_collocations, collect_senses, no_progress
from augtool.lexbuild.wordnet import wordnet_reader
from augtool.lexicon import FORMAT
from augtool.lexwrite import dumps_lexicon

__all__ = ["Rules", "build_forms", "build_lexicon"]


# A fixed stamp instead of today's date keeps rebuilds byte-identical.
_RELEASED = {"3.0": "2006-12", "3.1": "2011-06"}


def build_lexicon(
    wordnet_dir: Path | None,
    out_path: Path,
    *,
    rules: Rules = DEFAULT_RULES,
    zipf: Callable[[str], float] | None = None,
    forms_path: Path | None = None,
    inflections: Callable[[str, str], Mapping[str, tuple[str, ...]]] | None = None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Read WordNet (a dict dir, or NLTK's `wordnet` corpus when None), write the lexicon, return its info.

    `zipf` gives a word's Zipf frequency (default: wordfreq's English list). With
    `forms_path`, the table of confirmed inflected forms is written there too
    (`inflections`: lemminflect's by default). `progress(stage, items, done)` is
    called every 10,000 items of a stage and once when it ends.
    """
    tick = progress or no_progress
    zipf, frequencies = (zipf, "given by the caller") if zipf is not None else wordfreq_zipf()
    with wordnet_reader(wordnet_dir) as reader:
        version = reader.get_version() or "unknown"
        table, dropped = collect_senses(reader, rules=rules, zipf=zipf, progress=tick)
        fixed = collect_collocations(reader, table)
        tick("fixed expressions", sum(len(found) for found in fixed.values()), True)
    info = {
        "name": f"wordnet-{version}",
        "format": FORMAT,
        "source": f"WordNet {version}",
        "license": f"WordNet {version} license, see corpora/LICENSE-WordNet.txt",
        "built": _RELEASED.get(version, "unknown"),
        "builder": "augtool.lexbuild from NLTK WordNetCorpusReader; counts are Lemma.count()",
        "frequencies": frequencies,
        "rules": rules.describe(),
        "dropped": "; ".join(f"{key} {value}" for key, value in sorted(dropped.items())),
        "collocations": f"{sum(len(found) for found in fixed.values())} fixed expressions of {len(fixed)} head words, "
        "from WordNet's multi-word lemmas",
        "entries": str(len(table)),
    }
    data = dumps_lexicon(table, info, fixed)
    if out_path.suffix == ".gz":
        # mtime=0 and no file name in the gzip header, so equal input gives equal bytes.
        data = gzip.compress(data, compresslevel=9, mtime=0)
    write_file(out_path, data)
    tick("head words written", len(table), True)
    if forms_path is not None:
        tick("word forms written", build_forms(table, forms_path, rules=rules, zipf=zipf, inflections=inflections),
             True)
    return info
