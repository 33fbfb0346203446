"""Batch translation: push whole corpora through the MT at engine speed.

Pipeline: read every input (``sources``), clean and split each document with
``aligner`` and detect its language, then translate *all* sentences of a
direction in one pass (``mt.translate_cached``: deduplicated, sorted by length
over the whole corpus, batched by tokens, one loaded model per direction,
each batch committed to the SQLite cache as it is produced), and finally write
the outputs (``outputs``), atomically.

Because the cache is filled batch by batch and outputs are written only at the
end, a run killed at any moment (Ctrl-C, ``kill -9``) and started again
translates only what is missing and writes the same bytes an uninterrupted
run would have.

A document already in the target language (``--to en`` given an English
article) is reported and skipped: there is nothing to translate, so it is not a
failure (``translate --strict`` makes it one).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click

from workbench.batch import outputs
from workbench.ingest.sources import Document, Failure, Source

OTHER_LANGUAGE = {"zh": "en", "en": "zh"}
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass
class Run:
    """Everything one invocation read, translated and failed at."""

    sources: list[Source] = field(default_factory=list)
    translated: dict[int, outputs.TranslatedDocument] = field(default_factory=dict)  # id(Document)
    failures: list[Failure] = field(default_factory=list)
    sentences: int = 0
    from_cache: int = 0

    @property
    def documents(self) -> list[outputs.TranslatedDocument]:
        return list(self.translated.values())


def prepare(doc: Document, source_lang: str, target_lang: str | None, index: int):
    """Clean and split one document; a Failure when it cannot or need not be translated."""
    from aligner import clean_article, split_sentences
    from workbench.ingest.script import language_tag

    try:
        article = doc.article if doc.article is not None else clean_article(doc.text)
    except ValueError as error:
        return Failure(doc.name, str(error))
    lang = article.language if source_lang == "auto" else source_lang
    target = target_lang or OTHER_LANGUAGE[lang]
    if lang == target:
        return Failure(
            doc.name,
            f"already in {LANGUAGE_NAMES[lang]} (the target language); skipped"
            " (pass --from to override the detected language)",
            skipped=True,
        )
    segments: list[outputs.Segment] = []
    for block in article.blocks:
        if block.kind == "furniture":
            segments.append(outputs.Segment(block.text, block.paragraph, translate=False))
            continue
        for sentence in split_sentences(block.text, lang):
            segments.append(outputs.Segment(sentence, block.paragraph))
    if not any(s.translate for s in segments):
        return Failure(doc.name, "no article text found, only page furniture")
    body = "\n".join(s.source for s in segments if s.translate)
    tag = language_tag(lang, body, declared=doc.declared)
    return outputs.TranslatedDocument(
        document=doc,
        source_lang=lang,
        target_lang=target,
        segments=segments,
        blank_line_paragraphs="\n\n" in doc.text.strip(),
        index=index,
        source_tag=tag if tag != lang else "",
    )


class Progress:
    """Sentences per second and ETA on a terminal; silent when piped or --quiet."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.done = 0
        self.fresh = 0
        self.started = time.monotonic()
        self.bar = None
        if enabled and total:
            self.bar = click.progressbar(
                length=total,
                label="Translating",
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=lambda rate: rate,
            )
            self.bar.__enter__()

    def cached(self, count: int) -> None:
        self.done += count
        if self.bar:
            self.bar.update(count)

    def translated(self, count: int) -> None:
        self.done += count
        self.fresh += count
        if self.bar:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self.bar.update(count, f"{self.fresh / elapsed:.1f} sentences/s")

    def close(self) -> None:
        if self.bar:
            self.bar.__exit__(None, None, None)


def machine_sources(docs: list[outputs.TranslatedDocument]) -> list[str]:
    """What MT reads of the documents' sentences: a Simplified copy of Traditional Chinese."""
    from workbench.ingest.script import needs_simplified, to_simplified

    texts: list[str] = []
    for doc in docs:
        sources = [s.source for s in doc.segments if s.translate]
        if needs_simplified(doc.source_language):
            sources = to_simplified(sources)
        texts.extend(sources)
    return texts


def translate_documents(db, run: Run, progress_enabled: bool, engine=None) -> None:
    """Translate every prepared document: one pass per direction in this process,
    or all directions at once on ``engine`` (a ``cluster.Engine``)."""
    from workbench.mt.translator import find_model, get_translator, translate_cached

    directions: dict[tuple[str, str], list[outputs.TranslatedDocument]] = {}
    for doc in run.documents:
        directions.setdefault((doc.source_lang, doc.target_lang), []).append(doc)
    # Find every model before translating anything: a missing one stops the run at once.
    for direction, docs in sorted(directions.items()):
        model = find_model(*direction)
        for doc in docs:
            doc.mt_model, doc.mt_tiny = model.key, model.tiny
    work = {
        direction: [s for d in docs for s in d.segments if s.translate]
        for direction, docs in directions.items()
    }
    # what MT reads: a Simplified copy of Traditional Chinese, in the order of ``work``
    sources = {direction: machine_sources(docs) for direction, docs in directions.items()}
    total = sum(len(set(texts)) for texts in sources.values())
    run.sentences = sum(len(segments) for segments in work.values())
    progress = Progress(total, progress_enabled)
    try:
        if engine is not None:
            from workbench.batch.cluster import translate_cached_on

            results = translate_cached_on(
                engine, db, sources, progress.translated, cached=progress.cached
            )
        else:
            translators = {d: get_translator(*d) for d in sorted(work)}
            results = {
                direction: translate_cached(
                    db,
                    translators[direction],
                    sources[direction],
                    progress.translated,
                    cached=progress.cached,
                )
                for direction in sorted(work)
            }
        for direction, segments in work.items():
            for segment, target in zip(segments, results[direction], strict=True):
                segment.target = target
    finally:
        progress.close()
    run.from_cache = progress.done - progress.fresh


def write_outputs(
    run: Run, fmt: str, output: str | None, single: bool, field_name: str | None, keep: bool
) -> list[str]:
    """Write every output atomically; returns the paths written ("-" for stdout)."""
    written: list[str] = []
    docs = run.documents
    if fmt in outputs.CORPUS:
        if not docs:
            return written
        if output:
            outputs.write_file(Path(output), outputs.write_corpus, fmt, docs)
        else:
            outputs.write_corpus(sys.stdout.buffer, fmt, docs)
        return [output or "-"]

    # Per-document formats: one output per document (per JSONL file for text).
    jobs: list[tuple[outputs.TranslatedDocument, object, tuple]] = []
    for source in run.sources:
        if source.jsonl and fmt == "txt":
            translated = [run.translated.get(id(d)) if d else None for _, d in source.records]
            if not any(translated):
                continue
            records = [
                record if doc is None else outputs.translated_record(doc, field_name or "", keep)
                for (record, _), doc in zip(source.records, translated, strict=True)
            ]
            first = next(doc for doc in translated if doc)
            jobs.append((first, outputs.write_records, (records,)))
            continue
        for document in source.documents:
            doc = run.translated.get(id(document))
            if doc is None:
                continue
            if fmt == "txt":
                jobs.append((doc, outputs.write_text, ([doc], keep)))
            else:
                jobs.append((doc, outputs.write_xliff_document, (doc,)))
    if single:
        for _, writer, args in jobs:
            if output:
                outputs.write_file(Path(output), writer, *args)
            else:
                writer(sys.stdout.buffer, *args)
                sys.stdout.buffer.flush()
            written.append(output or "-")
        return written
    names = Counter(outputs.output_name(doc, fmt) for doc, _, _ in jobs)
    for doc, writer, args in jobs:
        name = outputs.output_name(doc, fmt)
        if names[name] > 1:  # report.md and report.txt: keep the suffixes apart
            name = outputs.output_name(doc, fmt, full=True)
        path = Path(output or ".") / Path(*name.parts)
        outputs.write_file(path, writer, *args)
        written.append(str(path))
    return written
