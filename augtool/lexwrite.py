"""Write the lexicon file format that ``augtool.lexicon`` reads (its docstring describes the format).

Refuses anything the reader would misparse: separators inside fields, upper-case heads,
synonyms on a name sense.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from augtool.lexicon import FORMAT, NAME_TAGS, POS_TAGS, Collocation, Sense

__all__ = ["dumps_lexicon"]


def dumps_lexicon(table: Mapping[str, Sequence[Sense]], info: Mapping[str, str],
                  collocations: Mapping[str, Sequence[Collocation]] | None = None) -> bytes:
    """Serialize head word -> senses (and fixed expressions) as lexicon text; heads sorted for byte-stable output."""
    collocations = collocations or {}
    header = [f"#format: {FORMAT}"]
    for key, value in info.items():
        if key in ("format", "entries"):
            continue  # written from the format version and the table itself
        _check_text(key, "info key", ":\n\r")
        _check_text(value, "info value", "\n\r")
        header.append(f"#{key}: {value}")
    header.append(f"#entries: {len(table)}")
    lines = []
    for head, senses in table.items():
        _check_text(head, "head word", "\t\n\r")
        if head != head.lower() or head.startswith("#") or not head.strip() or not senses:
            raise ValueError(f"head word must be lowercase, not blank or '#...', and have senses: {head!r}")
        fields = [head]
        for sense in senses:
            if sense.pos not in POS_TAGS | NAME_TAGS or sense.count < 0 or (sense.is_name and sense.synonyms):
                raise ValueError(f"bad sense for {head!r}: {sense!r}")
            for synonym in sense.synonyms:
                _check_text(synonym, "synonym", "\t\n\r|")
                if not synonym:
                    raise ValueError(f"empty synonym for {head!r}")
            fields.append(f"{sense.pos}:{sense.count}:{'|'.join(sense.synonyms)}")
        fixed = [str(collocation) for collocation in collocations.get(head, ())]
        if fixed:
            for text in fixed:
                _check_text(text, "collocation", "\t\n\r|")
            fields.append("=" + "|".join(fixed))
        lines.append("\t".join(fields))
    # Sorting whole lines (not heads) is the order Lexicon.load checks and bisects on.
    lines.sort()
    return ("\n".join(header + lines) + "\n").encode("utf-8")


def _check_text(text: str, what: str, forbidden: str) -> None:
    """Refuse a separator inside a field, which would corrupt the line structure."""
    for char in forbidden:
        if char in text:
            raise ValueError(f"{what} {text!r} contains the separator {char!r}")
