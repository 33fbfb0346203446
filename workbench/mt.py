"""Machine translation through an installed Argos package's CTranslate2 model.

We load the package with argostranslate (its metadata, tokenizer and target
prefix) but translate with one ``translate_batch`` over many sentences instead
of ``argostranslate.translate``, which splits text with stanza/spaCy and calls
the engine per paragraph. Sentence splitting is the aligner's job.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

from workbench.packages import InstalledModel, installed_models

LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}
MAX_BATCH_TOKENS = 2048


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


def default_threads() -> int:
    """All cores for one translation; CTranslate2 parallelises inside a batch."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class Translator:
    """One loaded CTranslate2 model and its tokenizer, for one direction."""

    def __init__(self, model: InstalledModel, *, threads: int | None = None, beam_size: int = 4):
        import ctranslate2
        from argostranslate.package import Package
        from argostranslate.tokenizer import SentencePieceTokenizer

        self.model = model
        self.package = Package(model.path)
        self.tokenizer = self.package.tokenizer
        # argostranslate's SentencePieceTokenizer.decode also turns "_" into spaces;
        # decode_pieces alone is the faithful inverse of encode.
        self._decode_pieces = (
            self.tokenizer.lazy_processor().decode_pieces
            if isinstance(self.tokenizer, SentencePieceTokenizer)
            else self.tokenizer.decode
        )
        self.target_prefix = getattr(self.package, "target_prefix", "") or ""
        self.beam_size = beam_size
        self.engine = ctranslate2.Translator(
            str(model.path / "model"),
            device="cpu",
            compute_type="default",
            inter_threads=1,
            intra_threads=threads or default_threads(),
        )

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences in one engine call; empty strings stay empty."""
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        results = [""] * len(sentences)
        if not todo:
            return results
        tokens = [self.tokenizer.encode(sentences[i]) for i in todo]
        prefix = [[self.target_prefix]] * len(tokens) if self.target_prefix else None
        outputs = self.engine.translate_batch(
            tokens,
            target_prefix=prefix,
            beam_size=self.beam_size,
            max_batch_size=MAX_BATCH_TOKENS,
            batch_type="tokens",
            replace_unknowns=True,
            length_penalty=0.2,
            max_decoding_length=256,
        )
        for i, output in zip(todo, outputs, strict=True):
            text = self._decode_pieces(output.hypotheses[0])
            if self.target_prefix and text.startswith(self.target_prefix):
                text = text[len(self.target_prefix) :]
            results[i] = text.strip()
        return results


_loaded: dict[str, Translator] = {}
_load_lock = threading.Lock()


def get_translator(from_code: str, to_code: str) -> Translator:
    """Load each model once per process and share it."""
    model = find_model(from_code, to_code)
    with _load_lock:
        if model.key not in _loaded:
            _loaded[model.key] = Translator(model)
        return _loaded[model.key]


def translate_cached(
    db,
    translator: Translator,
    sentences: Sequence[str],
    progress: Callable[[int], None] | None = None,
    chunk: int = 256,
) -> list[str]:
    """Translate with the SQLite cache: a sentence is never translated twice.

    Results are written to the cache chunk by chunk as they are produced, so
    an interrupted run loses at most one chunk of work.
    """
    from workbench.db import now

    key = translator.model.key
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
    missing = [s for s in unique if s not in known]
    if progress and known:
        progress(sum(1 for s in sentences if s in known))
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        translated = translator.translate(part)
        stamp = now()
        with db.atomic():
            db["mt_cache"].insert_all(
                (
                    {"model": key, "source": s, "translation": t, "created_at": stamp}
                    for s, t in zip(part, translated, strict=True)
                ),
                replace=True,
            )
        known.update(zip(part, translated, strict=True))
        if progress:
            progress(len(part))
    return [known.get(s, "") for s in sentences]
