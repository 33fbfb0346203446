"""Write translated documents in the formats translators' tools read.

Two kinds of format:

* per document — ``txt`` (the translation with the source's paragraphs) and
  ``xliff`` (one ``<file>`` per document): one output file each;
* corpus — ``jsonl``, ``tsv`` and ``tmx`` sentence pairs: one file for all.

Every file is written through ``atomic_write``, so only complete outputs ever
appear. Output bytes depend only on the inputs and the translations (TMX's
header date honours ``SOURCE_DATE_EPOCH``), which is what lets a resumed run
produce exactly what an uninterrupted one would have.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO

from workbench.formats.atomic import atomic_write
from workbench.formats.units import TranslationUnit
from workbench.ingest.sources import Document
from workbench.mt.packages import tiny_note

PER_DOCUMENT = ("txt", "xliff")
CORPUS = ("jsonl", "tsv", "tmx")
FORMATS = PER_DOCUMENT + CORPUS
SENTENCE_JOINER = {"en": " ", "zh": ""}


@dataclass
class Segment:
    """A sentence for translation, or a furniture block kept as it is."""

    source: str
    paragraph: int
    translate: bool = True
    target: str = ""


@dataclass
class TranslatedDocument:
    document: Document
    source_lang: str
    target_lang: str
    segments: list[Segment]
    blank_line_paragraphs: bool = True  # the source separated paragraphs with blank lines
    index: int = 0  # position among all documents of the run, for stable unit ids
    extra: dict = field(default_factory=dict)
    mt_model: str = ""  # the model's key, set when translated
    mt_tiny: bool = False  # a tiny test model: every file written says so
    # The source's tag when it says more than the code: zh-Hant for Traditional
    # Chinese, or the region the file declared (zh-TW, zh-HK); see script.language_tag.
    source_tag: str = ""

    @property
    def source_language(self) -> str:
        """What TMX and XLIFF call the source: its tag, else the code (mapped by the writers)."""
        return self.source_tag or self.source_lang

    @property
    def tiny_note(self) -> str | None:
        """What the files say about tiny-model output (None for a real model)."""
        return tiny_note(self.mt_model) if self.mt_tiny else None

    def pairs(self) -> Iterator[tuple[int, Segment]]:
        """Numbered (from 1) sentences for translation, in reading order."""
        return enumerate((s for s in self.segments if s.translate), start=1)


def document_text(doc: TranslatedDocument, keep_furniture: bool = False) -> str:
    """The translation laid out in the source's paragraphs.

    Sentences of a paragraph are joined with a space into English and with
    nothing into Chinese; furniture (bylines, share buttons …) is left out
    unless ``keep_furniture``, then kept untranslated where it stood.
    """
    joiner = SENTENCE_JOINER.get(doc.target_lang, " ")
    paragraphs: dict[int, list[str]] = {}
    for segment in doc.segments:
        if segment.translate:
            text = segment.target
        elif keep_furniture:
            text = segment.source
        else:
            continue
        paragraphs.setdefault(segment.paragraph, []).append(text)
    separator = "\n\n" if doc.blank_line_paragraphs else "\n"
    return separator.join(joiner.join(p) for _, p in sorted(paragraphs.items())) + "\n"


def output_name(doc: TranslatedDocument, fmt: str, full: bool = False) -> PurePosixPath:
    """Where a per-document output goes below ``-o DIR``, mirroring the input tree.

    ``report.md`` → ``report.en.txt`` / ``report.zh-en.xlf``; a JSONL input's
    text output is the JSONL itself with the translation added
    (``corpus.translated.jsonl``). ``full`` keeps the input's suffix
    (``report.md.en.txt``) to tell apart inputs that share a stem.
    """
    relative = doc.document.relative
    stem = relative.name if full else relative.stem
    if fmt == "txt" and doc.document.record is not None:
        return relative.with_name(f"{stem}.translated.jsonl")
    if fmt == "txt":
        return relative.with_name(f"{stem}.{doc.target_lang}.txt")
    line = f"-{doc.document.line}" if doc.document.line is not None else ""
    return relative.with_name(f"{stem}{line}.{doc.source_lang}-{doc.target_lang}.xlf")


def write_text(out: IO[bytes], docs: list[TranslatedDocument], keep_furniture: bool) -> None:
    """The translated text of one document (or of several, separated by a blank line)."""
    out.write("\n".join(document_text(d, keep_furniture) for d in docs).encode("utf-8"))


def translated_record(doc: TranslatedDocument, field_name: str, keep_furniture: bool) -> dict:
    """A JSONL input record with the translation added as ``<field>_<target lang>``."""
    text = document_text(doc, keep_furniture).rstrip("\n")
    record = {**(doc.document.record or {}), f"{field_name}_{doc.target_lang}": text}
    if doc.mt_tiny:
        record[f"{field_name}_{doc.target_lang}_note"] = doc.tiny_note
    return record


def write_records(out: IO[bytes], records: list[dict]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")


def write_pairs_jsonl(out: IO[bytes], docs: list[TranslatedDocument]) -> int:
    """One JSON object per sentence pair, documents in input order."""
    count = 0
    for doc in docs:
        for number, segment in doc.pairs():
            record = {
                "document": doc.document.name,
                "paragraph": segment.paragraph,
                "sentence": number,
                "source_lang": doc.source_lang,
                "target_lang": doc.target_lang,
                "source": segment.source,
                "target": segment.target,
            }
            if doc.mt_tiny:
                record["mt_note"] = doc.tiny_note
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def units(docs: list[TranslatedDocument]) -> Iterator[TranslationUnit]:
    """Sentence pairs as translation units; ids are stable across runs."""
    for doc in docs:
        for number, segment in doc.pairs():
            yield TranslationUnit(
                source=segment.source,
                target=segment.target,
                source_lang=doc.source_language,
                target_lang=doc.target_lang,
                tuid=f"{doc.index + 1}-{number}",
                props={
                    "document": doc.document.name,
                    "origin": "mt",
                    **({"mt-note": doc.tiny_note} if doc.mt_tiny else {}),
                },
            )


def creation_date() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def write_corpus(out: IO[bytes], fmt: str, docs: list[TranslatedDocument]) -> int:
    """All documents' sentence pairs as one JSONL, TSV or TMX file; returns the pair count."""
    if fmt == "jsonl":
        return write_pairs_jsonl(out, docs)
    if fmt == "tsv":
        from workbench.formats.tabular import write_tsv

        return write_tsv(units(docs), out, prop_columns=("document",))
    if fmt == "tmx":
        from workbench.formats.tmx import write_tmx

        source_lang = docs[0].source_language if docs else "en"
        return write_tmx(units(docs), out, source_lang=source_lang, created=creation_date())
    raise ValueError(f"not a corpus format: {fmt}")


def write_xliff_document(out: IO[bytes], doc: TranslatedDocument) -> int:
    """One document as XLIFF 1.2: MT as a draft target and as ``alt-trans`` origin MT."""
    from workbench.formats.xliff import XliffDocument, XliffSegment, write_xliff

    xliff = XliffDocument(
        original=doc.document.name,
        source_lang=doc.source_language,
        target_lang=doc.target_lang,
        segments=[
            XliffSegment(
                id=str(number),
                source=s.source,
                target=s.target,
                status="draft",
                mt=s.target,
                note=doc.tiny_note,
            )
            for number, s in doc.pairs()
        ],
    )
    return write_xliff(xliff, out)


def write_file(path: Path, writer, *args) -> None:
    """Run ``writer(stream, *args)`` into ``path`` atomically, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as out:
        writer(out, *args)
