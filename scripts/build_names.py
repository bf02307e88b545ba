"""Build corpora/names-en.txt.gz from corpora/words-en.txt.gz: the word forms the list has capitalised.

Usage: python scripts/build_names.py [corpora/words-en.txt.gz] [-o corpora/names-en.txt.gz]

A lower-case text ("eddie murphy", the way SST-2 and other benchmark corpora are written)
hides the capitals that mark a name, so sr and ri read the word after "eddie" as "murphy",
a potato. This list gives each form that the word list (SCOWL, by way of Debian) writes with
a capital, lowercased, and whether it is only that (`N`: eddie, spielberg, nt) or also a
common word (`B`: murphy, frank, swift). Format `augtool-names/1`: `#` header lines, then
`form<TAB>N|B` a line, sorted; gzip-compressed with a fixed mtime, so the same list gives the
same bytes. Derived from the SCOWL list, it carries the SCOWL notice (LICENSE-SCOWL.txt).
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("words", nargs="?", type=Path, default=Path("corpora/words-en.txt.gz"))
    parser.add_argument("-o", "--output", type=Path, default=Path("corpora/names-en.txt.gz"))
    args = parser.parse_args()
    lines = gzip.decompress(args.words.read_bytes()).decode("utf-8").splitlines()
    words = [line for line in lines if line and not line.startswith("#")]
    common = {word for word in words if word.islower()}
    capitalised = {word.lower() for word in words if word[:1].isupper()}
    kinds = {form: "B" if form in common else "N" for form in capitalised}
    header = f"#format: augtool-names/1\n#source: {args.words.name} (SCOWL)\n#entries: {len(kinds)}\n"
    data = (header + "".join(f"{form}\t{kinds[form]}\n" for form in sorted(kinds))).encode()
    # No file name and a fixed mtime in the gzip header: the same list gives the same bytes.
    with open(args.output, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as out:
        out.write(data)
    only = sum(kind == "N" for kind in kinds.values())
    print(f"{args.output}: {len(kinds):,} forms ({only:,} only names), {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
