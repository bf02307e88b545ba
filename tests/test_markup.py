"""Markup, escapes, placeholders, code, paths, Unicode words and line breaks: untouchable by every operation."""

from __future__ import annotations

import re
from collections import Counter
from random import Random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from augtool.augmenters import Resources, get
from augtool.augmenters import ri as ri_module
from augtool.augmenters import rs as rs_module
from augtool.augmenters._context import starts_sentence
from augtool.augmenters.rd import _delete, _join_gap
from augtool.guards import negation_bound
from augtool.tokens import Tokens, _tokenize_full, pinned, protected_tokens, tokenize

from .conftest import TINY_TABLE

# (text, editable words, protected tokens) -- written by hand from docs/tokenization.md.
CASES = [
    # HTML and XML: tags with attributes, comments; IMDB's line breaks.
    ("I loved it.<br /><br />The end", ["I", "loved", "it", "The", "end"], ["<br />", "<br />"]),
    ("one<br/>two</p>", ["one", "two"], ["<br/>", "</p>"]),
    ('<span class="big">Big</span> day', ["Big", "day"], ['<span class="big">', "</span>"]),
    ('<a href="http://x.io/a b">click here</a>', ["click", "here"], ['<a href="http://x.io/a b">', "</a>"]),
    ("a <!-- note to self --> b", ["a", "b"], ["<!-- note to self -->"]),
    ("<!DOCTYPE html> page", ["page"], ["<!DOCTYPE html>"]),
    # Entities, named and numeric; AG News writes them without the "&"; glued letters are a clitic.
    ("Tom &amp; Jerry", ["Tom", "Jerry"], ["&amp;"]),
    ("Apple &lt;AAPL.O&gt; rose", ["Apple", "rose"], ["&lt;AAPL.O&gt;"]),
    ("&lt;b&gt;Letters:&lt;/b&gt; We", ["Letters", "We"], ["&lt;b&gt;", "&lt;/b&gt;"]),
    ("it&#39;s and it&#x27;s", ["and"], ["it&#39;s", "it&#x27;s"]),
    ("AT&amp;T sells", ["sells"], ["AT&amp;T"]),
    ("Reuters - it #39;s up #36;5 more", ["Reuters", "it", "up", "more"], ["#39;s", "#36;5"]),
    # Literal backslash escapes (TweetEval's two-character \n), AG News's lone "\" for a newline.
    ("sorry\\nfor that\\nI was", ["sorry", "that", "I", "was"], ["\\nfor", "\\n"]),
    ("hi \\n there", ["hi", "there"], ["\\n"]),
    ("said.\\The company", ["said", "The", "company"], []),
    ("a \\x41 \\u00e9 \\N{EM DASH} b", ["a", "b"], ["\\x41", "\\u00e9", "\\N{EM DASH}"]),
    ("pay \\$200 now", ["pay", "now"], ["$200"]),  # the backslash stays punctuation
    ("end.\\&lt;b&gt;x", ["end", "x"], ["&lt;b&gt;"]),
    # Paths.
    ("Open C:\\Users\\docs now", ["Open", "now"], ["C:\\Users\\docs"]),
    ("run /usr/local/bin or ~/notes.txt and ./go.sh", ["run", "or", "and"],
     ["/usr/local/bin", "~/notes.txt", "./go.sh"]),
    ("this and/or that", ["this", "and", "or", "that"], []),
    # printf, format, template and shell placeholders.
    ("Dear %s, you have %d and %(count)s or %5.2f left", ["Dear", "you", "have", "and", "or", "left"],
     ["%s", "%d", "%(count)s", "%5.2f"]),
    ("Hi {0} {name!r} {name:>10} {}", ["Hi"], ["{0}", "{name!r}", "{name:>10}", "{}"]),
    ("Set $VAR and ${HOME} or $PATH now", ["Set", "and", "or", "now"], ["$VAR", "${HOME}", "$PATH"]),
    ("Hello {{ user.name }} {% if x %}yes{% endif %}", ["Hello", "yes"],
     ["{{ user.name }}", "{% if x %}", "{% endif %}"]),
    ("a 100 % sure bet", ["a", "sure", "bet"], ["100"]),
    ("{blank stare} ok", ["blank", "stare", "ok"], []),
    # Markdown code; IMDB's `quoted' style is prose, not code.
    ("use `code span` here", ["use", "here"], ["`code span`"]),
    ("see\n```\nprint(x)\n```\ndone", ["see", "done"], ["```\nprint(x)\n```"]),
    ("see\n~~~ python\nprint(x)\n~~~\ndone", ["see", "done"], ["~~~ python\nprint(x)\n~~~"]),
    ("`Apocalypse Now' is good", ["Apocalypse", "Now", "is", "good"], ["`"]),
    # Domains, mentions and hashtags with their clitics.
    ("visit example.com and bbc.co.uk or my-site.org", ["visit", "and", "or"],
     ["example.com", "bbc.co.uk", "my-site.org"]),
    ("thanks @john's and #tag's fans", ["thanks", "and", "fans"], ["@john's", "#tag's"]),
    # An apostrophe's clitic after a protected token goes with it: "A.T.V's" must not become "A.T.V'Inspector".
    ("of A.T.V's show and {name}'s, the world 's end", ["of", "show", "and", "the", "world", "s", "end"],
     ["A.T.V", "s", "{name}", "s"]),
    # A model number is one token, not a word glued to a number ("NW-HD1" must not become "lot1").
    ("Sony NW-HD1 and X-T30 or COVID-19, well-known", ["Sony", "and", "or", "well-known"],
     ["NW-HD1", "X-T30", "COVID-19"]),
    # Unicode: marks, joiners and soft hyphens belong to their word.
    ("The nai\u0308ve cafe\u0301 owner", ["The", "nai\u0308ve", "cafe\u0301", "owner"], []),
    ("bro\u200dwn la\u200czy extra\u00adordinary", ["bro\u200dwn", "la\u200czy", "extra\u00adordinary"], []),
    ("Yoruba o\u0323ja\u0300 day", ["Yoruba", "day"], ["o\u0323ja\u0300"]),  # NFC ọ is not Latin-1: another script
]


@pytest.mark.parametrize(("text", "words", "protected"), CASES)
def test_what_is_protected(text: str, words: list[str], protected: list[str]) -> None:
    tokens = tokenize(text)
    assert tokens.words == words
    assert protected_tokens(text) == protected
    assert tokens.text() == text
    assert tokens == _tokenize_full(text)


@pytest.mark.parametrize(
    ("text", "positions"),
    [("said.\\The firm", [1]), ("x\\nWe \\nfor \\\\Costello", [1, 2]), ("plain text", []), ("a \\ b", []),
     # Treebank-split clitics; not a quoted word, nor an apostrophe glued to the word before.
     ("What is Shakespeare 's nickname ?", [3]), ("'s and they 're , I 'M", [0, 3, 5]),
     ("he said 'so' , the dogs ' bowls", []), ("rock 'n' roll", []), ("it \u2019s", [1])],
)
def test_pinned_words(text: str, positions: list[int]) -> None:
    assert sorted(pinned(tokenize(text))) == positions


# --- every operation, on text built from a grammar of all the shapes ---------------------

PIECES = [
    "<br />", "<br/>", '<span class="big">', "</p>", '<a href="http://x.io/a">', "<!-- a note -->",
    "&amp;", "&lt;AAPL.O&gt;", "&#39;", "&#x27;s", "#39;s", "#36;", "&lt;b&gt;",
    "\\n", "\\nfor", "\\t", "\\x41", "\\\\", "C:\\Users\\docs", "/usr/local/bin", "~/notes.txt",
    "%s", "%d", "%5.2f", "%(count)s", "{0}", "{name!r}", "{name:>10}", "$VAR", "${VAR}", "$PATH",
    "{{x}}", "{% tag %}", "`code span`", "```\nprint(1)\n```", "example.com", "bbc.co.uk",
    "@john's", "#tag's", "https://e.com/x", "42",
]
MARKED = ["cafe\u0301", "nai\u0308ve", "bro\u200dwn", "la\u200czy", "extra\u00adordinary", "cre\u0300me"]
WORDS = [w for w in TINY_TABLE if w != "over"] + ["the", "and", "not", "brown"]
BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
SEPS = [" ", " ", " ", ", ", ". ", "\n", "\r\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029", " \n ", "\n\n", "\t"]
MARK_CHARS = "\u0300-\u036f\u00ad\u200c\u200d"
MARKED_WORD = re.compile(f"(?:[^\\W\\d_]|[{MARK_CHARS}])*[{MARK_CHARS}](?:[^\\W\\d_]|[{MARK_CHARS}])*")


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A text of words, marked words and protected pieces, each unit apart; and its pieces in order."""
    parts: list[str] = []
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 30))):
        kind = draw(st.sampled_from(["word", "word", "word", "marked", "piece", "piece", "pinned"]))
        if kind == "word":
            word = draw(st.sampled_from(WORDS))
            parts.append(draw(st.sampled_from([word, word.title(), word.upper()])))
        elif kind == "marked":
            parts.append(draw(st.sampled_from(MARKED)))
        elif kind == "piece":
            piece = draw(st.sampled_from(PIECES))
            parts.append(piece)
            pieces.append(piece)
        else:  # AG News's lone backslash, or \n, before a capitalised word
            escape = draw(st.sampled_from(["\\", "\\n"]))
            parts.append(escape + draw(st.sampled_from(WORDS)).title())
            pieces.append(escape)
        parts.append(draw(st.sampled_from(SEPS)))
    return "".join(parts), pieces


def in_order(needles: list[str], haystack: str) -> bool:
    """Each needle is found in ``haystack`` after the one before it."""
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


@pytest.mark.parametrize("name", ["sr", "ri", "rs", "rd", "punct"])
@settings(max_examples=80, deadline=None)
@given(doc=documents(), seed=st.integers(0, 2**32), alpha=st.sampled_from([0.1, 0.3, 1.0]))
def test_every_op_keeps_markup_escapes_marks_and_line_breaks(
    name: str, resources: Resources, doc: tuple[str, list[str]], seed: int, alpha: float
) -> None:
    text, pieces = doc
    tokens = tokenize(text)
    assert tokens.text() == text
    assert in_order(pieces, "".join(tokens.seps))  # each piece sits whole in a separator
    out = get(name)(alpha=alpha, resources=resources)(tokens, Random(seed)).text()
    assert tokens.text() == text  # the input was not edited in place
    assert in_order(pieces, out)
    assert protected_tokens(out) == protected_tokens(text)
    assert [out.count(ch) for ch in BREAKS] == [text.count(ch) for ch in BREAKS]
    assert not Counter(MARKED_WORD.findall(out)) - Counter(MARKED_WORD.findall(text))
    for escape in ("\\", "\\n"):  # what follows an escape is still a capital, never a new letter
        assert re.findall(re.escape(escape) + "[a-z]", out) == re.findall(re.escape(escape) + "[a-z]", text)


# --- clitics split off their word (treebank text: TREC, SST) ------------------------------

CLITICS = ["s", "re", "ll", "ve", "d", "m"]
# Judged by regexes, not the tokenizer: a clitic right after " '" that follows a word.
CLITIC = re.compile(r"(\w+) '(?:s|re|ll|ve|d|m)\b")
LOOSE_APOSTROPHE = re.compile(r"'(?!(?:s|re|ll|ve|d|m)\b)")


@st.composite
def clitic_texts(draw: st.DrawFn) -> str:
    """Words, some followed by a split clitic ("dog 's"), with spaces and commas between."""
    parts = []
    for _ in range(draw(st.integers(1, 14))):
        word = draw(st.sampled_from(WORDS))
        parts.append(draw(st.sampled_from([word, word.title()])))
        if draw(st.booleans()):
            parts.append(" '" + draw(st.sampled_from(CLITICS)))
        parts.append(draw(st.sampled_from([" ", " ", " , "])))
    return "".join(parts).strip(" ,")


@pytest.mark.parametrize("name", ["sr", "ri", "rs", "rd", "punct"])
@settings(max_examples=80, deadline=None)
@given(text=clitic_texts(), seed=st.integers(0, 2**32), alpha=st.sampled_from([0.1, 0.5, 1.0]))
def test_split_clitics_stay_after_a_word_and_no_apostrophe_is_left_loose(
    name: str, resources: Resources, text: str, seed: int, alpha: float
) -> None:
    out = get(name)(alpha=alpha, resources=resources)(tokenize(text), Random(seed)).text()
    assert len(CLITIC.findall(out)) == len(CLITIC.findall(text))
    assert out.count("'") == text.count("'")
    assert not LOOSE_APOSTROPHE.search(out)  # never "Shakespeare 'nickname s"
    if name != "sr":  # the word a clitic belongs to is neither moved, deleted nor split from it (sr may replace it)
        assert CLITIC.findall(out) == CLITIC.findall(text)


def test_split_clitics_are_kept_in_long_texts_too(resources: Resources) -> None:
    text = " , ".join(f"{word} 's" for word in WORDS * 200)
    ri = get("ri")(alpha=0.2, resources=resources)
    tokens = tokenize(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ri_module, "_LIST_LIMIT", 0)
        out = ri(tokens, Random(3)).text()
    assert out != text
    assert CLITIC.findall(out) == CLITIC.findall(text)
    assert not LOOSE_APOSTROPHE.search(out)


# --- brackets and quotes: rd never empties them ("(AP)" -> "()") -----------------------------

PAIRS = [("(", ")"), ("[", "]"), ('"', '"'), ("\u201c", "\u201d"), ("'", "'")]
EMPTY = re.compile(r"\(\W*\)|\[\W*\]|\u201c\W*\u201d")


def empty_span(text: str) -> bool:
    """Brackets, curly quotes or a pair of straight quotes with no word between (judged without the tokenizer)."""
    if EMPTY.search(text):
        return True
    # Straight quotes pair up in order: every second piece is inside a pair.
    return any(not re.search(r"\w", piece) for q in "\"'" for piece in text.split(q)[1::2])


@st.composite
def bracketed_texts(draw: st.DrawFn) -> str:
    """Words, some runs of one to three of them in brackets or quotes, a mark or a space before the closer."""
    parts = []
    for _ in range(draw(st.integers(1, 10))):
        words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        if draw(st.booleans()):
            opener, closer = draw(st.sampled_from(PAIRS))
            mark = draw(st.sampled_from(["", "", ".", ",", "!", " "]))  # "(Ill.)", '"password,"', '"Tom "'
            words = opener + words + mark + closer
        parts.append(words)
    return " ".join(parts)


@settings(max_examples=150, deadline=None)
@given(text=bracketed_texts(), seed=st.integers(0, 2**32), alpha=st.sampled_from([0.3, 0.7, 1.0]))
def test_deletion_never_empties_brackets_or_quotes(resources: Resources, text: str, seed: int, alpha: float) -> None:
    assert not empty_span(text)
    out = get("rd")(alpha=alpha, resources=resources)(tokenize(text), Random(seed)).text()
    assert not empty_span(out), out


# --- short clauses between marks: rd never brings two marks together ------------------------

MEETING = re.compile(r"[,;:]\s*[,;:.!?]")
OPENING_MARK = re.compile(r"^\s*[,;:.!?]")


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    seps=st.lists(st.sampled_from([" ", " ", ", ", " , ", "; ", ": ", ". ", "! "]), min_size=12, max_size=12),
    end=st.sampled_from(["", ".", "!"]),
    seed=st.integers(0, 2**32),
    alpha=st.sampled_from([0.3, 0.7, 1.0]),
)
def test_deletion_never_brings_two_marks_together_nor_opens_with_one(
    resources: Resources, words: list[str], seps: list[str], end: str, seed: int, alpha: float
) -> None:
    text = "".join(w + s for w, s in zip(words, seps)).rstrip(" ,;:.!") + end
    out = get("rd")(alpha=alpha, resources=resources)(tokenize(text), Random(seed)).text()
    assert len(MEETING.findall(out)) <= len(MEETING.findall(text)), out  # "FOAF,, Key", "apples,."
    assert not OPENING_MARK.search(out), out  # ", entertaining movie"
    assert sorted(re.findall(r"[,;:.!?]", out)) == sorted(re.findall(r"[,;:.!?]", text))  # every mark kept


# --- line breaks: repro 16 -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["sr", "ri", "rs", "rd", "punct"])
def test_no_line_break_is_ever_lost(name: str, resources: Resources) -> None:
    text = (
        "First line quick fox\u2028second line lazy dog\u2029third para happy child\x85fourth line"
        " big house\rfifth line small garden\r\nsixth\vseventh\fend\nhappy\ndog\n\nlast"
    )
    op = get(name)(alpha=0.5, resources=resources)
    for seed in range(60):
        out = op(tokenize(text), Random(seed)).text()
        assert [out.count(ch) for ch in BREAKS] == [text.count(ch) for ch in BREAKS], ascii(out)


def test_deleting_a_word_alone_on_its_line_leaves_an_empty_line() -> None:
    assert _join_gap("\n", "\n", False, False) == "\n\n"
    assert _join_gap(" \n  ", "\r\n", False, False) == " \n\r\n"
    assert _join_gap(", ", "\u2028", False, False) == ",\u2028"


def test_deletion_glues_no_mark_onto_what_would_take_it_in() -> None:
    assert _join_gap(" http://t.co/x ", ": b", False, False) == " http://t.co/x : b"
    assert _join_gap(" \\ ", ", b", False, False) == " \\ , b"
    assert _join_gap(" bbc.co.uk ", ". b", False, False) == " bbc.co.uk . b"  # "bbc.co.uk." is one token
    assert _join_gap(" C:\\docs ", ". b", False, False) == " C:\\docs . b"
    assert _join_gap(" 42 ", ", b", False, False) == " 42, b"  # "42," is "42" and ","
    assert _join_gap(" ", "} b", False, False) == " } b"  # "{blank stare}" must not become "{blank}"
    assert _join_gap(" ", ", b", False, False) == ", b"  # an ordinary word still takes its comma


@settings(max_examples=150, deadline=None)
@given(
    seps=st.lists(st.sampled_from(["", " ", ", ", "\n", " \n ", "\r\n", ". ", " (", ") ", " http://a.b/c ", "  "]),
              min_size=2, max_size=12),
    data=st.data(),
)
def test_one_pass_deletion_equals_deleting_one_word_at_a_time(seps: list[str], data: st.DataObject) -> None:
    words = [f"w{i}" for i in range(len(seps) - 1)]
    drop = sorted(data.draw(st.sets(st.sampled_from(range(len(words))), max_size=len(words) - 1)))
    if not drop:
        return
    # The reference: right to left, one word and one merge of two strings at a time.
    ref_words, ref_seps = words.copy(), seps.copy()
    kept = [i for i in range(len(words)) if i not in drop]
    for i in reversed(drop):
        at_start, at_end = i < kept[0], i > kept[-1]
        ref_seps[i : i + 2] = [_join_gap(ref_seps[i], ref_seps[i + 1], at_start, at_end)]
        del ref_words[i]
    assert _delete(Tokens(words, seps), drop) == Tokens(ref_words, ref_seps)


# --- ri and rs: the structures for huge texts give the same results ------------------------


@settings(max_examples=60, deadline=None)
@given(doc=documents(), seed=st.integers(0, 2**32), alpha=st.sampled_from([0.1, 0.5, 1.0]))
def test_insertion_tree_equals_list_inserts(
    resources: Resources, doc: tuple[str, list[str]], seed: int, alpha: float
) -> None:
    ri = get("ri")(alpha=alpha, resources=resources)
    tokens = tokenize(doc[0])
    expected = ri(tokens, Random(seed))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ri_module, "_LIST_LIMIT", 0)
        assert ri(tokens, Random(seed)) == expected


@settings(max_examples=60, deadline=None)
@given(doc=documents(), seed=st.integers(0, 2**32))
@example(doc=("Quick quick ", []), seed=0)  # found by make fuzz: the opener stays (rs 11)
def test_swap_index_keeps_words_pinned_words_and_separators(
    resources: Resources, doc: tuple[str, list[str]], seed: int
) -> None:
    tokens = tokenize(doc[0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rs_module, "_SCAN_LIMIT", 0)
        out = get("rs")(alpha=0.5, resources=resources)(tokens, Random(seed))
    assert out.seps == tokens.seps
    assert Counter(out.words) == Counter(tokens.words)
    fixed = pinned(tokens) | negation_bound(tokens.words)
    # rs also keeps a capitalised sentence opener (rs 11) and a word glued to a slash (rs 12) in place: make fuzz
    # found "Quick quick " left as it was.
    words, seps = tokens.words, tokens.seps
    fixed |= {i for i, w in enumerate(words) if w[:1].isupper() and starts_sentence(tokens, i)}
    fixed |= {i for i in range(len(words)) if seps[i].endswith("/") or seps[i + 1].startswith("/")}
    for i in fixed:
        assert out.words[i] == tokens.words[i]
    movable = {w for i, w in enumerate(tokens.words) if i not in fixed}
    if out.words != tokens.words:
        assert len(movable) > 1
    else:  # rs 10 gives up a swap only after drawing ones that put a word beside the same word
        assert len(movable) <= 1 or _some_swap_doubles(tokens, [i for i in range(len(tokens.words)) if i not in fixed])


def _pairs(words: list[str], seps: list[str]) -> int:
    """Neighbours that are the same word, any case, with only blanks between."""
    return sum(x.lower() == y.lower() and sep.isspace() for x, y, sep in zip(words, words[1:], seps[1:], strict=False))


def _some_swap_doubles(tokens: Tokens, slots: list[int]) -> bool:
    """Whether exchanging some two different words among ``slots`` puts more words next to the same one (any case)."""
    words, seps = tokens.words, tokens.seps
    for a, i in enumerate(slots):
        for j in slots[a + 1:]:
            if words[i] != words[j]:
                after = words.copy()
                after[i], after[j] = after[j], after[i]
                if _pairs(after, seps) > _pairs(words, seps):
                    return True
    return False


def test_swap_index_draws_every_other_word_alike() -> None:
    words = ["a"] * 6 + ["b", "c", "b"]
    index = rs_module._Index(words, list(range(len(words))))
    counts = Counter(index.other("a", Random(seed)) for seed in range(3000))
    assert set(counts) == {6, 7, 8}
    assert all(850 < n < 1150 for n in counts.values()), counts
    index.moved("a", 0, "b", 6)  # a swap, as _swap reports it
    words[0], words[6] = words[6], words[0]
    assert {index.other("a", Random(seed)) for seed in range(300)} == {0, 7, 8}


def test_deletion_keeps_a_word_glued_to_a_following_hashtag_slash_or_backtick(resources: Resources) -> None:
    rd = get("rd")(alpha=0.9, resources=resources)
    for text, kept in [("young man#prayers#pray for him", "man#prayers"), ("that he/she/it had", "he/"),
                       ("If you`re in it", "you`")]:
        for seed in range(40):
            assert kept in rd(tokenize(text), Random(seed)).text()


def test_ag_news_entities_without_ampersand_are_not_words() -> None:
    # AG News writes &quot; and &amp; without the "&": " quot;helping themselves, quot;" and "AT amp;T".
    tokens = tokenize("In  quot;helping themselves, quot; AT amp;T said; salt; lt;b gt;")
    assert tokens.words == ["In", "helping", "themselves", "AT", "said", "salt", "b"]
    assert tokens.text() == "In  quot;helping themselves, quot; AT amp;T said; salt; lt;b gt;"
    # The independent audit sees them as entities too, so a copy that edits one is counted.
    from augtool.audit.text import shapes

    found = [text for kind, text in shapes(" quot;helping AT amp;T salt;")[0] if kind == "entity"]
    assert found == ["quot;", "amp;"]
