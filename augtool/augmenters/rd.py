"""``rd``: delete each word with probability alpha, never all of them."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import ClassVar

from augtool.augmenters import Resources, register
from augtool.guards import label_bound
from augtool.rng import Draws, stream_of
from augtool.tokens import Tokens, clitic_hosts, pinned, protected_tokens

# Marks that follow a word directly. Not "]" or "}": glued to a word they may close a
# placeholder ("{blank stare}" losing "stare" must not become "{blank}").
_CLOSING = frozenset(",.;:!?)'\"…")
# Every character str.splitlines() breaks at: each one a text had, it keeps.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile(f"[{_BREAKS}]")


def _join_gap(left: str, right: str, at_start: bool, at_end: bool) -> str:
    r"""Merge the separators around a deleted word, leaving one gap, not two, and every line break.

    >>> _join_gap(" ", ", ", False, False), _join_gap(".\n", " ", False, False), _join_gap("\n", "\r\n", False, False)
    (', ', '.\n', '\n\r\n')
    """
    merged = _Gap(right)
    merged.merge(left, at_start, at_end)
    return merged.text()


class _Gap:
    """The separator that replaces a run of deleted words, merged from the right one word at a time.

    Held as its leading whitespace and the rest, each a list of chunks in reverse order,
    so that one merge costs the size of the separator it adds, not of the run so far:
    a huge text losing most of its words stays linear.
    """

    __slots__ = ("body", "ws", "ws_breaks")

    def __init__(self, sep: str) -> None:
        core = sep.lstrip()
        lead = sep[: len(sep) - len(core)]
        self.ws = [lead] if lead else []  # leading whitespace, chunks reversed
        self.body = [core] if core else []  # the rest, from its first non-space, chunks reversed
        self.ws_breaks = bool(lead) and _BREAK.search(lead) is not None

    def text(self) -> str:
        return "".join(reversed(self.body + self.ws))

    def merge(self, left: str, at_start: bool, at_end: bool) -> None:
        """Become ``left`` + one gap + this separator minus its leading whitespace (the word between goes)."""
        core_left = left.rstrip()
        lead = left[len(core_left) :]
        lead_breaks = bool(lead) and _BREAK.search(lead) is not None
        first = self.body[-1][0] if self.body else ""
        # The gap is the whitespace on one side of the deleted word, or both, or none.
        take_trail, take_lead = True, ""
        if self.ws_breaks:
            # The deleted word ended a line: that break stays; if it was alone on its line,
            # the breaks before it stay too (an empty line, not a merged one).
            if lead_breaks:
                take_lead = lead[: max(lead.rfind(ch) for ch in _BREAKS) + 1]
        elif lead_breaks or at_start:
            take_trail, take_lead = False, lead  # at the start: no new leading space
        elif at_end and not first:
            pass
        elif first in _CLOSING and not self.ws and not _glues(core_left, self.body[-1]):
            # "brown fox, jumps" -> "brown, jumps", not "brown , jumps"; but a mark that
            # stood apart ("the world 's") stays apart, or it would glue onto a word.
            take_trail = False
        elif not self.ws:
            take_trail, take_lead = False, lead
        if not take_trail:
            self.ws = []
            self.ws_breaks = False
        if take_lead:
            self.ws.append(take_lead)
            self.ws_breaks = self.ws_breaks or lead_breaks
        if core_left:
            # The gap now sits inside the separator: it joins the body, before which
            # only the whitespace that opens ``left`` remains.
            self.body += self.ws
            stripped = core_left.lstrip()
            self.body.append(stripped)
            opening = core_left[: len(core_left) - len(stripped)]
            self.ws = [opening] if opening else []
            self.ws_breaks = bool(opening) and _BREAK.search(opening) is not None


def _held(tokens: Tokens) -> frozenset[int]:
    """Words ``rd`` keeps: glued to a following ``#``, ``@``, ``/`` or backtick, or after one of those or ``-``;
    and the word a clitic was split from ("Shakespeare" in "Shakespeare 's").

    Glued to a word, these start nothing ("man#prayers", "he/she", IMDB's "you`re");
    with the word gone they would read as a hashtag, a path or code. Without its word, a
    clitic would belong to the one before ("What is 's nickname").
    """
    memo = tokens.memo
    found = memo.get("held") if memo is not None else None
    if found is None:
        seps = tokens.seps
        joined = "".join(seps)
        if _holds_any(joined, _HOLDING) or "-" in joined:
            # Glued on either side: "he/she", "(`Gen-Y", "AN-TI": without the word the mark would dangle.
            found = frozenset([i for i in range(len(seps) - 1)
                               if (seps[i + 1] and seps[i + 1][0] in _HOLDING) or seps[i][-1:] in _GLUED_AFTER])
        else:
            found = frozenset()
        hosts = clitic_hosts(tokens)
        if hosts:
            found = found | hosts
        if memo is None:
            memo = tokens.memo = {}
        memo["held"] = found
    return found  # type: ignore[return-value]


_HOLDING = "#@/`"
_GLUED_AFTER = tuple("#@/`-")  # a tuple: "" (no separator) is in no tuple of marks


def _holds_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds any of ``chars``: a loop, not any() over a generator, which compiled costs a
    coroutine per text (and a cpdef function cannot hold one, rd.pxd)."""
    for ch in chars:  # noqa: SIM110 -- compiled, a generator costs a coroutine
        if ch in text:
            return True
    return False

_CLOSER = {"(": ")", "[": "]", "{": "}", '"': '"', "\u201c": "\u201d", "\u2018": "\u2019", "'": "'", "\u00ab": "\u00bb"}
_OPENERS = "".join(_CLOSER)
_MARKS = frozenset(_OPENERS + "".join(_CLOSER.values()))
_BEFORE_CLOSER = ".,;:!? \t"
_SPAN = 8  # words between a mark and its closer looked at; rd empties a longer span almost never
_ENDS = ",;:.!?"  # marks that end a clause


def _spans(seps: list[str]) -> tuple[tuple[int, int], ...]:
    """Runs of words [a, b) that ``rd`` never deletes whole: what a bracket or quote opens and its
    closer ends, and each clause when marks cut the text in several.

    Emptied, they would leave "()", '","', two marks together ("FOAF,, Key", "apples,.") or a
    mark opening the text (", entertaining movie"). Punctuation is never removed to tidy up:
    a word stays instead.

    >>> _spans(["", " (", ") said ", ' "', " ", '" , ', ""])  # w (AP) said "ice cream" , w
    ((1, 2), (3, 5), (5, 6))
    >>> _spans(["", ", ", ", ", " ", ""]), _spans([" x.io ", ", ", ""])  # FOAF, PGP, Key Distribution; x.io w, w
    (((0, 1), (1, 2), (2, 4)), ((1, 2),))
    >>> _spans(["", " ", " ", ""])  # no marks: rd's own rule (one word stays) is enough
    ()
    """
    found = []
    words = len(seps) - 1
    joined = "".join(seps)
    if _holds_any(joined, _OPENERS):
        for i in range(words):
            closer = _CLOSER.get(seps[i][-1:])
            if closer is None:
                continue
            for j in range(i, min(words, i + _SPAN)):
                after = seps[j + 1]
                if after.lstrip(_BEFORE_CLOSER)[:1] == closer:  # "(Ill.)", '"password,"', '"Tom "'
                    found.append((i, j + 1))
                    break
                if not _MARKS.isdisjoint(after):
                    break  # another bracket or quote first: not one span
    if _holds_any(joined, _ENDS):
        cuts = [k for k in range(1, words) if _cuts(seps[k])]
        if cuts:
            # A clause holding anything but its words (a URL, a number, an emoji) is never emptied.
            found += [(a, b) for a, b in itertools.pairwise([0, *cuts, words]) if _bare(seps, a, b, words)]
    return tuple(found)


def _bare(seps: list[str], a: int, b: int, words: int) -> bool:
    """Whether words [a, b) are all a clause holds: marks or the text's ends on either side, spaces between
    ("@united http://t.co/x, however, is": "however" is a clause of its own)."""
    left, right = seps[a].strip(), seps[b].strip()
    return (
        (left == "" or left[-1] in _ENDS if a == 0 else left[-1] in _ENDS)
        and (right == "" or right[0] in _ENDS if b == words else right[0] in _ENDS)
        and all(not seps[k].strip() for k in range(a + 1, b))
    )


def _cuts(sep: str) -> bool:
    """Whether a separator ends a clause: a mark at either end of what it holds ("," "." ", (" "42,")."""
    core = sep.strip()
    return core != "" and (core[0] in _ENDS or core[-1] in _ENDS)


def _keep_spans(drop: list[int], spans: tuple[tuple[int, int], ...]) -> list[int]:
    """``drop`` less the first word of each span it would delete whole."""
    dropped = set(drop)
    saved = [a for a, b in spans if a in dropped and all(k in dropped for k in range(a + 1, b))]
    return [i for i in drop if i not in saved] if saved else drop


def _glues(core_left: str, core_right: str) -> bool:
    """Would ``core_right``'s mark, glued after ``core_left``, read as part of what ends it?

    A protected token that would take it in (a domain or abbreviation "bbc.co.uk.", a
    path "C:\\docs.", "@john'"), a URL or path even where augtool's tokenizer would
    not (".../x:" reads as part of the URL to many), or a backslash ("\\,").
    """
    if not core_left:
        return False
    chunk = core_left.rsplit(None, 1)[-1]
    if chunk.endswith("\\") or "/" in chunk:
        return True
    # The ends that meet decide it; a bounded piece of each keeps a long run of
    # deletions before one long separator linear.
    chunk, mark = chunk[-64:], core_right[:64].split(None, 1)[0]
    return protected_tokens(chunk + mark) != protected_tokens(chunk) + protected_tokens(mark)


@register
class RandomDeletion:
    """EDA random deletion; at least one word goes and at least one stays when possible."""

    name: ClassVar[str] = "rd"
    summary: ClassVar[str] = "random deletion: drop each word with probability alpha"
    # 2: negation guard; 3: markup, escapes and placeholders are no longer words
    # (docs/tokenization.md), every line break kept (a word alone on its line used to
    # take one with it), no mark glued onto what would take it in, a word glued to a
    # following # @ / ` kept, linear time.
    # 4: split contractions ("is nt", "don t") and a sentence's question word with its head
    # are kept; the last content word is never deleted.
    # 5: random numbers from a keyed hash of the seed and the record (augtool/rng.py).
    # 6: the last word of a text holding # @ / ` anywhere is deletable again (an empty separator held it);
    # a word glued after # @ / ` - is kept ("(`Gen-Y" lost its word and left a backtick that reads as code).
    # 7: AG News entities without "&" (" quot;", "amp;T") are no longer words
    # 8: negation_bound no longer remembers a capital "T" as no negation.
    # 9: a clitic split from its word ("Shakespeare 's", "they 're") and that word are kept;
    # brackets and quotes are never emptied ("(AP)" -> "()"), nor a short clause between
    # marks ("FOAF,, Key", ", entertaining movie").
    version: ClassVar[int] = 9

    def __init__(self, *, alpha: float, resources: Resources) -> None:
        self.alpha = alpha
        self._guards = resources.policy.guards
        self._stopwords = resources.stopwords
        self._memo_key = "rd.plan.guarded" if self._guards else "rd.plan"

    def __call__(self, tokens: Tokens, rng: Draws) -> Tokens:
        size = len(tokens.words)
        if size < 2:
            return tokens
        alpha = self.alpha
        plan = self._plan(tokens)
        keep = plan.keep
        if len(keep) >= size:
            return tokens
        # Every position still draws, so texts without negations get the same deletions either way:
        # the run's stream gives them in one call, another generator one random() at a time (stream_of).
        stream = stream_of(rng)
        random = stream.random
        draws = stream.randoms(size)
        drop = _drawn(draws, alpha, keep)
        if not drop:
            deletable = plan.deletable
            drop = [deletable[int(random() * len(deletable))]]  # EDA would return the text unchanged
        elif len(drop) == size:
            del drop[int(random() * size)]
        # More content words than deletions: one of them stays (the usual case, settled without a look).
        if self._guards and len(plan.content) <= len(drop):
            drop = _keep_content(size, drop, keep, plan.content, random)
            if not drop:
                return tokens  # nothing can go without taking the last content word
        if plan.spans:
            drop = _keep_spans(drop, plan.spans)
            if not drop:
                # The draw would empty brackets or a clause: one word that empties none goes instead.
                lone = {a for a, b in plan.spans if b - a == 1}
                only = plan.content if self._guards and len(plan.content) == 1 else ()
                safe = [i for i in plan.deletable if i not in lone and i not in only]
                if not safe:
                    return tokens
                drop = [safe[int(random() * len(safe))]]
        return _delete(tokens, drop)

    def _plan(self, tokens: Tokens) -> _Plan:
        """What ``rd`` needs of a text before it draws, once per text (kept in ``tokens.memo``)."""
        memo = tokens.memo
        plan: _Plan | None = memo.get(self._memo_key) if memo is not None else None  # type: ignore[assignment]
        if plan is None or plan.stopwords is not self._stopwords:
            keep = pinned(tokens) | _held(tokens)
            if self._guards:
                # A negation, its verb and head ("is nt funny"), a question word and its head
                # ("what is"): losing any of them can flip the label.
                keep = keep | label_bound(tokens)
            stopwords = self._stopwords
            words = tokens.words
            content = _content_words(words, stopwords) if self._guards else []
            plan = _Plan(stopwords, keep, [i for i in range(len(words)) if i not in keep], content,
                         _spans(tokens.seps))
            memo = tokens.memo
            if memo is None:
                memo = tokens.memo = {}
            memo[self._memo_key] = plan
        return plan


class _Plan:
    """A text's words ``rd`` keeps, may delete, and content words (under one stopword list)."""

    __slots__ = ("content", "deletable", "keep", "spans", "stopwords")

    def __init__(self, stopwords: frozenset[str], keep: frozenset[int], deletable: list[int],
                 content: list[int], spans: tuple[tuple[int, int], ...] = ()) -> None:
        self.stopwords = stopwords
        self.keep = keep
        self.deletable = deletable
        self.content = content
        self.spans = spans  # runs never deleted whole (`_spans`)


def _keep_content(size: int, drop: list[int], keep: frozenset[int], content: list[int],
                  random: Callable[[], float]) -> list[int]:
    """``drop`` less one content word when it would take them all; a function word instead if none is left."""
    if not content:
        return drop
    dropped = set(drop)
    if any(i not in dropped for i in content):
        return drop
    saved = content[int(random() * len(content))]
    drop = [i for i in drop if i != saved]
    if not drop:
        others = [i for i in range(size) if i not in keep and i not in content]
        drop = [others[int(random() * len(others))]] if others else []
    return drop


def _drawn(draws: list[float], alpha: float, keep: frozenset[int]) -> list[int]:
    """Positions whose draw falls below ``alpha``, less those in ``keep``."""
    if keep:
        return [i for i, r in enumerate(draws) if r < alpha and i not in keep]
    return [i for i, r in enumerate(draws) if r < alpha]


def _content_words(words: list[str], stopwords: frozenset[str]) -> list[int]:
    """Positions of the content words: not stopwords, with a letter (a plain word is all letters: no look inside)."""
    return [
        i for i, word in enumerate(words)
        if word.lower() not in stopwords and (word.isalpha() or _is_content(word, stopwords))
    ]


def _is_content(word: str, stopwords: frozenset[str]) -> bool:
    """A word that carries meaning: has a letter and is not a stopword."""
    return word.lower() not in stopwords and (word.isalpha() or any(ch.isalpha() for ch in word))


_GAPS: dict[tuple[str, str, bool, bool], str] = {}


def _single_gap(left: str, right: str, at_start: bool, at_end: bool) -> str:
    """``_join_gap``, remembered: a corpus repeats a few separators, and most runs of deleted words are one word."""
    key = (left, right, at_start, at_end)
    gap = _GAPS.get(key)
    if gap is None:
        if len(_GAPS) >= 50_000:
            _GAPS.clear()
        gap = _GAPS[key] = _join_gap(left, right, at_start, at_end)
    return gap


def _delete(tokens: Tokens, drop: list[int]) -> Tokens:
    """The text without the words at ``drop`` (ascending), each gap merged as ``_join_gap`` does.

    Each run of deleted words leaves one separator, merged right to left as when deleting
    one word at a time from the end; the kept stretches between runs are copied whole,
    so a huge text with many deletions stays linear.
    """
    words, seps = tokens.words, tokens.seps
    size = len(words)
    runs: list[list[int]] = []  # [first, last] of each run of consecutive deleted positions
    for i in drop:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    first_kept = runs[0][1] + 1 if runs[0][0] == 0 else 0
    last_kept = runs[-1][0] - 1 if runs[-1][1] == size - 1 else size - 1
    out_words: list[str] = []
    out_seps: list[str] = []
    word_from = sep_from = 0
    for first, last in runs:
        out_words += words[word_from:first]
        out_seps += seps[sep_from:first]
        if first == last:  # one word: the gap depends on its two separators alone
            left, after = seps[first], seps[first + 1]
            if left != " " or after != " ":
                after = _single_gap(left, after, first < first_kept, first > last_kept)
            out_seps.append(after)
            word_from, sep_from = first + 1, first + 2
            continue
        right: str | _Gap = seps[last + 1]
        for i in range(last, first - 1, -1):
            left = seps[i]
            if left == " " and right == " ":
                continue  # by far the most common gap, between two plain words: it stays " "
            if isinstance(right, str):
                right = _Gap(right)
            right.merge(left, i < first_kept, i > last_kept)
        out_seps.append(right if isinstance(right, str) else right.text())
        word_from, sep_from = last + 1, last + 2
    out_words += words[word_from:]
    out_seps += seps[sep_from:]
    return Tokens(out_words, out_seps)
