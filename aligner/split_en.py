"""English sentence ends: which full stops, question and exclamation marks end a sentence.

A terminator ends a sentence unless the evidence around it says otherwise: an
abbreviation or initial before it (lists in aligner.abbreviations), a
lower-case word, a number or a clock-time continuation after it, a list
marker, a citation, or a reporting clause after a quotation ('"Why?" Smith
asked.'). Sentence ends inside quotations count like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aligner import abbreviations as abbr
from aligner.quotes import quoted_spans

__all__ = ["split_en_line"]

# Terminator run, then closing quotes/brackets (a curly closer may stand after
# a space: 'stunned. ”'), then the whitespace that must follow for a boundary.
_EN_CANDIDATE = re.compile(r"(\.{3,}|(?:\.\s){2}\.|…+|[.!?]+)((?:[\"'”’)\]»]|\s+(?=[”»]))*)(\s+)")
_EN_PREV_TOKEN = re.compile(r"(\S*)$")
_EN_NEXT_TOKEN = re.compile(r"[\"'“‘(\[«]*(\S*)")
_EN_OPENERS = "\"'“‘([«"
_EN_INITIAL = re.compile(r"^[A-Z]$")
_EN_INITIAL_TOKEN = re.compile(r"^[A-Z]\.$")
# A capitalised word with no trailing punctuation: a given name before a surname.
_EN_NAME_WORD = re.compile(r"^[A-Z][a-z][A-Za-z'’-]*$")
# A next "token" made only of terminators is a typo'd doubled mark ("done. .").
_EN_STRAY_TERMINATORS = re.compile(r"^[.!?…]+$")
_EN_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_EN_LIST_MARKER = re.compile(r"^[(\[]?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[)\]]?$")
# A list marker inside a line: "item 2.) The second", "apples b. pears".
_EN_INLINE_MARKER = re.compile(r"^(?:\d{1,2}|[a-z])$")
# An ordinary lower-case word (not an abbreviation, not a single letter).
_EN_PLAIN_WORD = re.compile(r"^[a-z][a-z'’-]*[a-z]$")
_EN_NUMBER = re.compile(r"^[$€£¥]?[\d.,:]*\d$")  # "6", "4,512.3", "$1.2"
# A citation after a quotation belongs to the quoting sentence:
# '"... stairways [...]" (Smith 55).'
_EN_CITATION = re.compile(r"\([^()]{1,80}\)[.!?,;:]")


def _en_is_boundary(
    line: str, match: re.Match[str], sentence_start: int, opened_at: dict[int, int]
) -> bool:
    """Decide whether the candidate terminator ``match`` ends a sentence.

    ``opened_at`` maps the index of each matched closing quote or bracket to
    the index of its opening mark.
    """
    terminator, closers = match.group(1), match.group(2).strip()
    term_start = match.start(1)
    next_start = match.end()
    if next_start >= len(line):
        return True
    next_token = _EN_NEXT_TOKEN.match(line, next_start).group(1)  # type: ignore[union-attr]
    first = next_token[:1]
    if not first:
        return True
    if _EN_STRAY_TERMINATORS.match(next_token):
        return False  # "done. . Next": a doubled mark is not a sentence; cut after it
    is_ellipsis = terminator.startswith("..") or terminator.startswith("…") or " " in terminator
    opening = line[sentence_start:term_start] if term_start - sentence_start <= 8 else "x"
    if is_ellipsis and not opening.strip().strip(_EN_OPENERS):
        return False  # '"... The results': an omission mark opens the quote
    if (closers or is_ellipsis) and _EN_CITATION.match(line, next_start):
        return False
    window_start = max(sentence_start, term_start - 80)
    prev_token = _EN_PREV_TOKEN.search(line, window_start, term_start).group(1)  # type: ignore[union-attr]
    word = prev_token.lstrip(_EN_OPENERS)
    lowered = _en_abbreviation(word)
    if first.islower():
        return terminator == "." and not closers and _en_word_ends(line, word, window_start)
    if closers.strip(")]") and _en_reports_quote(line, match, opened_at, next_start):
        return False  # '"Why?" Smith asked.'
    if "!" in terminator or "?" in terminator:
        return not (terminator == "!" and not closers and lowered in abbr.BANG_NAMES)
    if is_ellipsis:
        word_after = next_token.rstrip(",;:.!?")
        return not (first.isalnum() and (first.isdigit() or abbr.PRONOUN_I.match(word_after)))
    sentence_so_far = line[sentence_start : min(term_start, sentence_start + 12)].strip()
    if term_start - sentence_start <= 12 and _EN_LIST_MARKER.match(sentence_so_far):
        return False  # "1. First item", "1.) First item"
    if _en_inline_marker(line, word, closers, match.start(2), opened_at):
        return False
    if closers:
        return True  # 'He left." She said.' - the quote closes the sentence
    if not word:
        return True
    if lowered in abbr.STREETS and _en_street(line, window_start, term_start - len(word)):
        # "Downing St. The house", "Fifth Ave. It": a street name ends a sentence
        # before an opener; "St. Louis" (Saint) and "Wall St. Journal" go on.
        return next_token.rstrip(",;:").lower() in abbr.SENTENCE_OPENERS
    if lowered in abbr.NEVER_FINAL:
        return False
    if lowered in abbr.TIME and _en_after_number(line, window_start, term_start - len(word)):
        return _en_time_ends(next_token, line, next_start)
    if first.isdigit():
        # "H.R. 1", "the U.S. 10-year yield": news style spells out a number that
        # opens a sentence, so after a dotted acronym a number goes on.
        return lowered not in abbr.BEFORE_NUMBER and not _EN_DOTTED_ACRONYM.match(word)
    opener = next_token.rstrip(",;:").lower() in abbr.SENTENCE_OPENERS
    if lowered == "etc":
        return True  # capitalised word after "etc." starts a new sentence
    if lowered in abbr.AMBIGUOUS and _en_title(next_token):
        return True  # "on Wed. Gov. Newsom signed", "Apple Inc. Mr. Cook said"
    if (
        lowered in abbr.AMBIGUOUS
        or lowered in abbr.TIME
        or word in abbr.STATES
        or _EN_DOTTED_ACRONYM.match(word)
    ):
        return opener
    if _EN_INITIAL.match(word) and (
        _en_is_name_context(line, sentence_start, term_start - 1)
        or _en_name_follows(line, next_start)
    ):
        return opener  # "John F. Kennedy", "chief N. Wayne Hale" - but "from A to B. Airlines"
    return True


def _en_abbreviation(word: str) -> str:
    """The key to look ``word`` up in the abbreviation lists; "" for an ordinary word.

    Some abbreviations are also words: "Gen." is one, "the gen." is not.
    A prefix joined by a hyphen does not change the abbreviation.
    """
    word = word.rsplit("-", 1)[-1]  # "then-Rep. Smith", "ex-Gov. Lee"
    lowered = word.lower()
    if word[:1].islower() and lowered in abbr.WORDLIKE:
        return ""
    return lowered


def _en_title(token: str) -> bool:
    """A capitalised personal title ("Gov.", "Mr."): the start of a name, so of a sentence
    after a date or company abbreviation. Not after a state or a dotted acronym, where
    AP style puts a title inside the sentence ("Calif. Gov. Newsom", "U.S. Sen. Lee").
    """
    return token[:1].isupper() and token.endswith(".") and token[:-1].lower() in abbr.TITLES


def _en_reports_quote(
    line: str, match: re.Match[str], opened_at: dict[int, int], next_start: int
) -> bool:
    """True for a reporting clause after a quotation that opened the sentence.

    '"Why?" Smith asked.' and '"We won." Coach Lee said.' are one sentence;
    a quote inside a sentence ('He said "go." John left.') is not followed by
    its reporting clause, and a sentence opener ("The minister said ...")
    starts a new sentence.
    """
    closer_index = next((i for i in range(match.start(2), match.end(2)) if i in opened_at), None)
    if closer_index is None:
        return False
    opening = opened_at[closer_index]
    before_quote = line[max(0, opening - 20) : opening].rstrip()
    if before_quote and before_quote[-1] not in ".!?\"'”’)]…":
        return False
    tokens = line[next_start : next_start + 80].split()[:5]
    if not tokens or tokens[0].lower() in abbr.SENTENCE_OPENERS:
        return False
    for index, token in enumerate(tokens):
        if token.rstrip(",.;:").lower() in abbr.REPORTING_VERBS:
            return index > 0
        if not token[:1].isupper():
            return False
    return False


def _en_after_number(line: str, window_start: int, word_start: int) -> bool:
    """True when the token before ``word_start`` is a number ("6 p.m.", "5 in.")."""
    before = line[window_start:word_start].split()
    return bool(before) and bool(_EN_NUMBER.match(before[-1]))


def _en_street(line: str, window_start: int, word_start: int) -> bool:
    """True when "St."/"Ave." follows a capitalised name or a number: a street, not a saint."""
    before = line[window_start:word_start].split()
    return bool(before) and (before[-1][:1].isupper() or before[-1][:1].isdigit())  # "42nd"


def _en_word_ends(line: str, word: str, window_start: int) -> bool:
    """A full stop after an ordinary word ends a sentence even before a lower-case word.

    "... for contemplation. the cave itself" is a sentence with its capital
    lost; abbreviations ("etc. and", "approx. two") and units after a number
    ("5 in. of rain") are not ends.
    """
    lowered = _en_abbreviation(word)
    if not _EN_PLAIN_WORD.match(word) or lowered in abbr.ANY_ABBREVIATION:
        return False
    word_start = line.rfind(word, window_start)
    return not (lowered in abbr.UNITS and _en_after_number(line, window_start, word_start))


def _en_time_ends(next_token: str, line: str, next_start: int) -> bool:
    """After "6 p.m." a capitalised word starts a sentence unless it is a day, date or zone."""
    word = re.sub(r"['’]s$", "", next_token.rstrip(",;:.!?"))
    if word.lower() in abbr.TIME_CONTINUATION or abbr.TIME_ZONE.match(word):
        return False
    for token in line[next_start : next_start + 60].split()[1:4]:  # "8 a.m. Hong Kong time"
        if token.rstrip(",;:.").lower() == "time":
            return False
        if not token[:1].isupper():
            break
    return True


def _en_inline_marker(
    line: str, word: str, closers: str, close_index: int, opened_at: dict[int, int]
) -> bool:
    """True for a list marker inside a line: "item 2.) The next", "Steps: 1. Mix 2. Bake".

    A marker is a number or a lower-case letter. It is recognised by an
    unmatched ")" after it, or by the whole sequence ("1." ... "2." ... up to
    this one, or "a." ... "b.") in the line, the first one at the line start
    or after a colon or a sentence end. A date ("on July 9. A copy ... on
    August 10. The") has no such sequence.
    """
    if not _EN_INLINE_MARKER.match(word):
        return False
    if closers:
        return closers == ")" and close_index not in opened_at
    if word.isdigit():
        sequence = [str(value) for value in range(1, int(word) + 1)]
    else:
        sequence = [chr(code) for code in range(ord("a"), ord(word) + 1)]
    if len(sequence) == 1:
        sequence.append("2" if word.isdigit() else "b")  # the first marker: its successor follows
    window = line[max(0, close_index - 2000) : close_index + 2000]
    position = 0
    for index, marker in enumerate(sequence):
        lead = r"(?:^|[:;.!?]\s)\s*" if index == 0 else r"\s"
        found = re.compile(lead + re.escape(marker) + r"\.\)?\s").search(window, position)
        if not found:
            return False
        position = found.end() - 1
    return True


def _en_is_name_context(line: str, sentence_start: int, initial_index: int) -> bool:
    """True when the single capital at ``initial_index`` follows a name or starts the sentence."""
    before = line[max(sentence_start, initial_index - 80) : initial_index].rstrip()
    if not before:
        return True
    previous = before.rsplit(None, 1)[-1].lstrip(_EN_OPENERS)
    return previous[:1].isupper()


def _en_name_follows(line: str, next_start: int) -> bool:
    """True when a multi-part name follows: "N. Wayne Hale", "J. R. Smith".

    An initial after a lowercase word ("chief N. Wayne Hale") is still an
    initial when the next word is a bare capitalised word directly followed by
    another capitalised word or initial: a sentence rarely ends on a single
    letter and then opens with a two-word proper name, while "from A to B.
    Airlines know" (one capitalised word, then lowercase) still splits.
    """
    tokens = line[next_start : next_start + 80].split(None, 2)
    if len(tokens) < 2:
        return False
    given, following = tokens[0], tokens[1]
    if _EN_INITIAL_TOKEN.match(given):
        return True  # "J. R. Smith": a run of initials
    return bool(_EN_NAME_WORD.match(given)) and following[:1].isupper()


def split_en_line(line: str) -> Iterator[str]:
    """Yield the pieces of one line (unstripped; joined they give the line back)."""
    opened_at = {close: open_ for open_, close, _ in quoted_spans(line, "en")}
    start = 0
    for match in _EN_CANDIDATE.finditer(line):
        if _en_is_boundary(line, match, start, opened_at):
            cut = match.end(2)
            yield line[start:cut]
            start = cut
    yield line[start:]
