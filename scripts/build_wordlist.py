"""Build corpora/words-en.txt.gz: the English word list augtool's checks use (audit.py, lang.py).

Usage: python scripts/build_wordlist.py [/usr/share/dict] [-o corpora/words-en.txt.gz]

Source: Debian's wamerican-huge and wbritish-huge (SCOWL size 80, American and British
spellings; apt-get install wamerican-huge wbritish-huge). Entries keep their case, so a
check can tell a common word ("la", "rude") from one that is only a name or an acronym
("NASA", "DVD"); possessive entries ("dog's") are left out, since the checks strip a
possessive before looking a word up. One word a line, sorted by its lower-case form
(then as written), so the lowercased list is sorted too and augtool.wordset can search it
by bisection; gzip-compressed with a fixed mtime, so the same lists give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import unicodedata
from pathlib import Path

LISTS = ("american-english-huge", "british-english-huge")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dict_dir", nargs="?", type=Path, default=Path("/usr/share/dict"))
    parser.add_argument("-o", "--output", type=Path, default=Path("corpora/words-en.txt.gz"))
    args = parser.parse_args()
    words: set[str] = set()
    for name in LISTS:
        for line in (args.dict_dir / name).read_text(encoding="utf-8").splitlines():
            word = unicodedata.normalize("NFC", line.strip())
            if word and not word.endswith("'s"):
                words.add(word)
    header = f"#format: augtool-words/2\n#source: Debian {' + '.join(LISTS)} (SCOWL)\n#entries: {len(words)}\n"
    data = (header + "\n".join(sorted(words, key=lambda w: (w.lower(), w))) + "\n").encode()
    with open(args.output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(data)
    print(f"{args.output}: {len(words):,} words, {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
