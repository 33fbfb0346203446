"""Finding glossary terms in a segment.

Chinese is matched on jieba words, never on raw substrings: 大学 must not be
found inside 大学生. So that a glossary term is never cut in two (jieba cuts
双一流 into 双 / 一流), the terms are added as user words to a tokenizer of their
own; the shared jieba instance the TM and word counts use is left untouched,
since changing it would change TM index keys.

English is matched on stems (aligner.tokens.stem_english: "universities"
finds "university") with case rules: a term marked case-sensitive, or written
in capitals as an acronym (WHO, US), must match the case of the text, where
the letters the two share are compared (so "Apples" still finds "Apple").
Otherwise case is ignored, which also covers sentence-initial capitals.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.tokens import HAN_RE, stem_english
from workbench.terms.entries import Term, base

_EN_WORD = re.compile(r"\w+(?:['’]\w+)*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.]+$")
_lock = threading.Lock()
_added: set[str] = set()


@dataclass(frozen=True)
class Hit:
    """A term found in a text: character offsets, the text found, the term."""

    start: int
    end: int
    text: str
    term: Term


@functools.lru_cache(maxsize=1)
def _tokenizer():  # noqa: ANN202 - jieba has no type information
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def add_user_words(words: Iterable[str]) -> None:
    """Make each Chinese word one jieba token (its frequency raised just enough)."""
    new = [w for w in words if w and HAN_RE.search(w) and w not in _added]
    if not new:
        return
    tokenizer = _tokenizer()
    with _lock:
        for word in new:
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 1))
            _added.add(word)


def zh_tokens(text: str) -> list[tuple[str, int, int]]:
    with _lock:
        found = list(_tokenizer().tokenize(text, HMM=True))
    return [(w, s, e) for w, s, e in found if w.strip()]


def _en_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(text)]


def _strict_case(form: str, term: Term) -> bool:
    return term.case_sensitive or all(_ACRONYM.match(w) for w in form.split())


def _same(token: str, wanted: str, lang: str, strict: bool) -> bool:
    """One text token against one term token, by stem for English, by word for Chinese."""
    if lang == "en" and not HAN_RE.search(wanted):
        if stem_english(token.lower()) != stem_english(wanted.lower()):
            return False
        if strict:
            shared = len(os.path.commonprefix([token.lower(), wanted.lower()]))
            return token[:shared] == wanted[:shared]
        return True
    return token == wanted if strict else token.casefold() == wanted.casefold()


def _key(token: str, lang: str) -> str:
    """What two tokens share when they may match: the stem, or the case-folded word."""
    if lang == "en" and not HAN_RE.search(token):
        return stem_english(token.lower())
    return token.casefold()


@functools.lru_cache(maxsize=100_000)
def _form_tokens(form: str, lang: str) -> tuple[str, ...]:
    """A term form's tokens (a Chinese form is one token once it is a user word)."""
    tokenize = zh_tokens if lang == "zh" else _en_tokens
    return tuple(w for w, _, _ in tokenize(unicodedata.normalize("NFKC", form)))


Starts = dict[str, list[tuple[Term, tuple[str, ...], bool]]]


def _starts(terms: Sequence[Term], lang: str) -> Starts:
    """The terms' forms indexed by their first token's key, so each text token meets only
    the forms that can start there (a glossary has thousands of terms, a segment dozens of
    words). Kept on a ``Terms`` object: a page or a save checks many texts against it."""
    built = getattr(terms, "built", None)
    if built is not None and lang in built:
        return built[lang]
    if lang == "zh":  # before the forms are cut into tokens: a term is one jieba word
        add_user_words(form for term in terms for form in term.source_forms)
    starts: Starts = {}
    for term in terms:
        for form in term.source_forms:
            wanted = _form_tokens(form, lang)
            if wanted:
                starts.setdefault(_key(wanted[0], lang), []).append(
                    (term, wanted, _strict_case(form, term))
                )
    if built is not None:
        built[lang] = starts
    return starts


def find_terms(text: str, lang: str, terms: Sequence[Term]) -> list[Hit]:
    """Every term occurrence in ``text`` (a ``lang`` text), longest first where they overlap."""
    if not text or not terms:
        return []
    original = text
    normal = unicodedata.normalize("NFKC", text)
    if len(normal) == len(text):
        text = normal  # full-width letters and digits as ASCII, offsets unchanged
    lang = base(lang)
    starts = _starts(terms, lang)
    tokens = (zh_tokens if lang == "zh" else _en_tokens)(text)
    hits: list[Hit] = []
    for i, (token, _, _) in enumerate(tokens):
        for term, wanted, strict in starts.get(_key(token, lang), ()):
            if i + len(wanted) > len(tokens):
                continue
            if all(_same(tokens[i + k][0], w, lang, strict) for k, w in enumerate(wanted)):
                start, end = tokens[i][1], tokens[i + len(wanted) - 1][2]
                hits.append(Hit(start, end, original[start:end], term))
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[Hit] = []
    for hit in hits:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def contains(text: str, lang: str, forms: Sequence[str], term: Term) -> str | None:
    """The first of ``forms`` found in ``text`` (a target), or None.

    Chinese targets are searched as substrings: a translator's 大连理工大学的
    holds the term even where jieba would join it to a neighbour.
    """
    if not text:
        return None
    lang = base(lang)
    normal = unicodedata.normalize("NFKC", text)
    for form in forms:
        if not form:
            continue
        strict = _strict_case(form, term)
        if lang == "zh" or HAN_RE.search(form):
            needle = unicodedata.normalize("NFKC", form)
            found = needle in normal if strict else needle.casefold() in normal.casefold()
            if found:
                return form
            continue
        probe = Term(term.entry_id, form, (form,), (), (), strict)
        if find_terms(normal, lang, [probe]):
            return form
    return None
