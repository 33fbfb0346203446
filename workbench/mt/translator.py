"""Machine translation through an installed Argos package's CTranslate2 model.

We load the package with argostranslate (its metadata, tokenizer and target
prefix) but translate with one ``translate_batch`` over many sentences instead
of ``argostranslate.translate``, which splits text with stanza/spaCy and calls
the engine per paragraph. Sentence splitting is the aligner's job.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Callable, Sequence

from workbench.mt.packages import InstalledModel, installed_models

LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}
MAX_BATCH_TOKENS = 2048
# Cap on output pieces: bounds a runaway hypothesis; the bench lowers it for random models.
MAX_DECODING_LENGTH = 256


class ModelNotInstalledError(Exception):
    """No package for the requested direction; says which command installs one."""

    def __init__(self, from_code: str, to_code: str):
        name = f"translate-{from_code}_{to_code}"
        super().__init__(
            f"no {LANGUAGE_NAMES.get(from_code, from_code)}→{LANGUAGE_NAMES.get(to_code, to_code)}"
            f" translation model is installed. Install one with `workbench models install {name}`"
            f" (downloads the Argos package; needs internet) or `workbench models install"
            f" PATH/{name}.argosmodel` (a local file)."
        )
        self.from_code = from_code
        self.to_code = to_code


def find_model(from_code: str, to_code: str) -> InstalledModel:
    """The installed package for a direction, a real one before a tiny test one."""
    candidates = [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not candidates:
        raise ModelNotInstalledError(from_code, to_code)
    candidates.sort(key=lambda m: (m.tiny, m.name))
    return candidates[0]


def limit_malloc_arenas(arenas: int = 1) -> None:
    """Make all threads, the engine's workers included, share one glibc malloc arena.

    glibc gives each thread its own arena and keeps freed memory there, so
    with both directions loaded each model's batch buffers stayed resident
    (peak RSS ≈ 1.1 GB with transformer-base and 2048-token batches, ≈ 0.75 GB
    shared). Only arenas created later are affected, so this runs when this
    module is imported (before ctranslate2) and again before a model is
    loaded; ``MALLOC_ARENA_MAX`` set by the user wins; no-op elsewhere.
    """
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to limit
        ctypes.CDLL("libc.so.6").mallopt(-8, arenas)  # -8: M_ARENA_MAX


# Before anything imports ctranslate2 and its thread pools start allocating.
limit_malloc_arenas()


def default_threads() -> int:
    """All cores for one translation; CTranslate2 parallelises inside a batch."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class Tokenizer:
    """An Argos package's tokenizer and target prefix, without the engine.

    What a cluster client needs to sort and batch sentences by tokens while
    the workers hold the models.
    """

    def __init__(self, model: InstalledModel):
        from argostranslate.package import Package
        from argostranslate.tokenizer import SentencePieceTokenizer

        self.model = model
        self.package = Package(model.path)
        self.tokenizer = self.package.tokenizer
        # argostranslate's SentencePieceTokenizer.decode also turns "_" into spaces;
        # decode_pieces alone is the faithful inverse of encode.
        self.decode_pieces = (
            self.tokenizer.lazy_processor().decode_pieces
            if isinstance(self.tokenizer, SentencePieceTokenizer)
            else self.tokenizer.decode
        )
        # One C++ call encodes a whole list (argostranslate's encode takes one string).
        self._encode_batch = (
            self.tokenizer.lazy_processor().encode
            if isinstance(self.tokenizer, SentencePieceTokenizer)
            else None
        )
        self.target_prefix = getattr(self.package, "target_prefix", "") or ""

    def encode(self, sentences: Sequence[str]) -> list[list[str]]:
        """Sentencepiece pieces of each sentence, in one call to the C++ encoder."""
        if self._encode_batch is not None:
            return self._encode_batch(list(sentences), out_type=str)
        return [self.tokenizer.encode(s) for s in sentences]


class Translator:
    """One loaded CTranslate2 model and its tokenizer, for one direction."""

    def __init__(self, model: InstalledModel, *, threads: int | None = None, beam_size: int = 4):
        import ctranslate2

        limit_malloc_arenas()
        self.model = model
        self.tokenizer = Tokenizer(model)
        self.target_prefix = self.tokenizer.target_prefix
        self.beam_size = beam_size
        self.engine = ctranslate2.Translator(
            str(model.path / "model"),
            device="cpu",
            compute_type="default",
            inter_threads=1,
            intra_threads=threads or default_threads(),
        )

    def encode(self, sentences: Sequence[str]) -> list[list[str]]:
        return self.tokenizer.encode(sentences)

    def translate_tokens(self, tokens: Sequence[list[str]]) -> list[str]:
        """One engine call over tokenized sentences; CTranslate2 batches them by tokens."""
        if not tokens:
            return []
        prefix = [[self.target_prefix]] * len(tokens) if self.target_prefix else None
        outputs = self.engine.translate_batch(
            list(tokens),
            target_prefix=prefix,
            beam_size=self.beam_size,
            max_batch_size=MAX_BATCH_TOKENS,
            batch_type="tokens",
            replace_unknowns=True,
            length_penalty=0.2,
            max_decoding_length=MAX_DECODING_LENGTH,
        )
        results = []
        for output in outputs:
            text = self.tokenizer.decode_pieces(output.hypotheses[0])
            if self.target_prefix and text.startswith(self.target_prefix):
                text = text[len(self.target_prefix) :]
            results.append(text.strip())
        return results

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences in one engine call; empty strings stay empty."""
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        results = [""] * len(sentences)
        translated = self.translate_tokens(self.encode([sentences[i] for i in todo]))
        for i, text in zip(todo, translated, strict=True):
            results[i] = text
        return results


def length_batches(lengths: Sequence[int], budget: int, max_items: int) -> list[list[int]]:
    """Indices sorted by length, cut into batches of at most ``budget`` padded tokens.

    Sorting the whole input (not each chunk) keeps padding near zero, and a
    batch that fits the engine's own token budget is translated in one step,
    so committing each batch to the cache costs no engine efficiency.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = max(lengths[i], 1)  # sorted: the newest sentence is the longest
        if current and ((len(current) + 1) * width > budget or len(current) >= max_items):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


_loaded: dict[str, Translator] = {}
_load_lock = threading.Lock()


def get_translator(from_code: str, to_code: str) -> Translator:
    """Load each model once per process and share it."""
    model = find_model(from_code, to_code)
    with _load_lock:
        if model.key not in _loaded:
            _loaded[model.key] = Translator(model)
        return _loaded[model.key]


def lookup_cached(db, key: str, sentences: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """The cached translations of ``sentences`` by model ``key``, and the distinct missing ones.

    Blank sentences are neither looked up nor missing (they translate to "").
    """
    unique = list(dict.fromkeys(s for s in sentences if s.strip()))
    known: dict[str, str] = {}
    for start in range(0, len(unique), 500):
        part = unique[start : start + 500]
        marks = ",".join("?" * len(part))
        for row in db.execute(
            f"SELECT source, translation FROM mt_cache WHERE model = ? AND source IN ({marks})",
            [key, *part],
        ).fetchall():
            known[row[0]] = row[1]
    return known, [s for s in unique if s not in known]


def store_cached(db, key: str, sources: Sequence[str], translations: Sequence[str]) -> None:
    """Commit one batch of translations to the cache, in one transaction."""
    from workbench.store.db import now, write_transaction

    stamp = now()
    with write_transaction(db):
        db["mt_cache"].insert_all(
            (
                {"model": key, "source": s, "translation": t, "created_at": stamp}
                for s, t in zip(sources, translations, strict=True)
            ),
            replace=True,
        )


def translate_cached(
    db,
    translator: Translator,
    sentences: Sequence[str],
    progress: Callable[[int], None] | None = None,
    chunk: int = 256,
    cached: Callable[[int], None] | None = None,
) -> list[str]:
    """Translate with the SQLite cache: a sentence is never translated twice.

    The missing sentences are sorted by length over the whole input and
    translated batch by batch; each batch is committed to the cache as soon as
    it is produced, so an interrupted run loses at most one batch of work.
    ``progress`` receives counts of distinct sentences (cached ones first,
    unless ``cached`` is given: then that gets the number found in the cache).
    ``chunk`` caps the sentences per engine call.
    """
    key = translator.model.key
    known, missing = lookup_cached(db, key, sentences)
    if cached:
        cached(len(known))
    elif progress and known:
        progress(len(known))
    if missing:
        tokens = translator.encode(missing)
        for batch in length_batches([len(t) for t in tokens], MAX_BATCH_TOKENS, chunk):
            part = [missing[i] for i in batch]
            translated = translator.translate_tokens([tokens[i] for i in batch])
            store_cached(db, key, part, translated)
            known.update(zip(part, translated, strict=True))
            if progress:
                progress(len(part))
    return [known.get(s, "") for s in sentences]
