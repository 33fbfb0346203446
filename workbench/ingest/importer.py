"""Import an article: clean it, split it, translate it, store it as one document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aligner import Article, split_sentences
from aligner.tokens import word_count
from workbench.ingest import glossary_mt
from workbench.ingest.readers import as_article, content_text
from workbench.ingest.script import language_tag, machine_copy
from workbench.mt.translator import Translator, get_translator, translate_cached
from workbench.store.db import DuplicateDocument, default_project, insert_document
from workbench.terms.entries import for_document
from workbench.tm import leverage

OTHER_LANGUAGE = {"zh": "en", "en": "zh"}


@dataclass
class ImportResult:
    document_id: int
    title: str
    source_lang: str
    target_lang: str
    segments: int
    for_translation: int
    already_imported: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def already_imported(db, digest: str, kind: str, project_id: int) -> ImportResult | None:
    """The document stored from the same text in the same project before, if any."""
    row = db.execute(
        "SELECT d.id, d.title, d.source_lang, d.target_lang,"
        " (SELECT COUNT(*) FROM segments s WHERE s.document_id = d.id),"
        " (SELECT COUNT(*) FROM segments s WHERE s.document_id = d.id AND s.translate)"
        " FROM documents d WHERE content_sha256 = ? AND kind = ? AND project_id = ?",
        [digest, kind, project_id],
    ).fetchone()
    return ImportResult(*row, already_imported=True) if row else None


def source_words(segments: list[dict], lang: str) -> int:
    return sum(word_count(s["source"], lang) for s in segments)


def _store(db, document: dict, segments: list[dict], author: str) -> int | None:
    """``insert_document``; None when the same content became a document meanwhile
    (checked again inside the write transaction: two imports of one file at once)."""
    try:
        return insert_document(db, document, segments, author)
    except DuplicateDocument:
        return None


def article_segments(article: Article) -> list[dict]:
    """Body sentences for translation; page furniture kept whole and marked."""
    segments = []
    for block in article.blocks:
        if block.kind == "furniture":
            segments.append(
                {
                    "source": block.text,
                    "paragraph": block.paragraph,
                    "translate": 0,
                    "furniture": block.reason or "furniture",
                }
            )
            continue
        for sentence in split_sentences(block.text, article.language):
            segments.append({"source": sentence, "paragraph": block.paragraph, "translate": 1})
    return segments


def document_tags(article: Article, given: str | None, declared: str | None) -> dict[str, str]:
    """The source's language tag for the stored metadata, when it says more than the code."""
    body = "\n".join(b.text for b in article.blocks if b.kind != "furniture")
    tag = language_tag(article.language, body, given, declared)
    return {"source_tag": tag} if tag != article.language else {}


def import_article(
    db,
    text: str | Article,
    *,
    filename: str,
    author: str = "cli",
    project: str = "Default",
    translator: Translator | None = None,
    progress: Callable[[int], None] | None = None,
    metadata: dict | None = None,
    source_tag: str | None = None,
) -> ImportResult:
    """Store ``text`` as a document with machine-translated segments.

    The model is found and the translation done before anything is written, so
    a missing model or a failed translation leaves the database as it was; the
    same text imported twice is reported and not stored again. ``text`` is an
    article's text, or an article already read into blocks (an HTML page).
    ``metadata`` (how the file was read) is stored with the article's;
    ``source_tag`` names the source's variety (zh-TW), else Traditional Chinese
    is tagged zh-Hant. A Traditional source is translated through a Simplified copy.
    """
    digest = hashlib.sha256(content_text(text).encode("utf-8")).hexdigest()
    project_id = default_project(db, project)
    existing = already_imported(db, digest, "mt", project_id)
    if existing:
        return existing

    article = as_article(text)
    source_lang = article.language
    target_lang = OTHER_LANGUAGE[source_lang]
    segments = article_segments(article)
    if not any(s["translate"] for s in segments):
        raise ValueError(f"{filename}: no article text found, only page furniture")
    tags = document_tags(article, source_tag, (metadata or {}).get("declared_language"))
    translator = translator or get_translator(source_lang, target_lang)
    todo = [s for s in segments if s["translate"]]
    for segment, mt in zip(
        todo,
        translate_cached(db, translator, machine_copy([s["source"] for s in todo], tags), progress),
        strict=True,
    ):
        segment["mt"] = mt
    langs = {"project_id": project_id, "source_lang": source_lang, "target_lang": target_lang}
    glossary_mt.apply(translator, todo, for_document(db, langs), source_lang, target_lang)
    # TM before MT: exact/ICE (and, if the project says so, fuzzy) matches fill the target.
    leverage.pretranslate(
        db, todo, source_lang, target_lang, **leverage.project_settings(db, project_id)
    )
    title = article.title or article.metadata.get("title") or Path(filename).stem
    doc_id = _store(
        db,
        {
            "title": title,
            "filename": Path(filename).name,
            "content_sha256": digest,
            "source_lang": source_lang,
            "target_lang": target_lang,
            "kind": "mt",
            "project_id": project_id,
            "source_words": source_words(todo, source_lang),
            "metadata": json.dumps(
                {**article.metadata, **(metadata or {}), **tags}, ensure_ascii=False
            ),
            "mt_model": translator.model.key,
            "mt_tiny": int(translator.model.tiny),
        },
        segments,
        author,
    )
    if doc_id is None:  # the same file, imported meanwhile by another process
        return already_imported(db, digest, "mt", project_id)
    return ImportResult(
        doc_id,
        title,
        source_lang,
        target_lang,
        len(segments),
        len(todo),
        warnings=list(article.warnings),
    )


def import_aligned(
    db,
    source_text: str | Article,
    target_text: str | Article,
    *,
    filename: str,
    author: str = "cli",
    project: str = "Default",
    use_mt: bool = True,
    translator: Translator | None = None,
    metadata: dict | None = None,
    source_tag: str | None = None,
    target_tag: str | None = None,
) -> ImportResult:
    """Store an article with its human translation, aligned sentence by sentence.

    Segments are the aligned pairs with their confidence, the human translation
    as target and status "draft"; the source's page furniture is kept, marked,
    in reading order. ``metadata`` (how the files were read) and the sides'
    language tags (see ``align_texts``) are stored with the document.
    """
    from workbench.ingest.alignment import align_texts

    both = f"{content_text(source_text)}\0{content_text(target_text)}"
    digest = hashlib.sha256(both.encode()).hexdigest()
    project_id = default_project(db, project)
    existing = already_imported(db, digest, "aligned", project_id)
    if existing:
        return existing
    result = align_texts(
        db,
        source_text,
        target_text,
        use_mt=use_mt,
        translator=translator,
        source_tag=source_tag,
        target_tag=target_tag,
        declared=(
            (metadata or {}).get("declared_language"),
            (metadata or {}).get("translation_declared_language"),
        ),
    )
    furniture = [
        {
            "source": block.text,
            "paragraph": block.paragraph,
            "translate": 0,
            "furniture": block.reason or "furniture",
        }
        for block in result.source.blocks
        if block.kind == "furniture"
    ]
    pairs = [
        {
            "source": pair.source,
            "target": pair.target,
            "mt": pair.mt or None,
            "confidence": pair.confidence,
            "paragraph": pair.paragraph,
            "status": "draft" if pair.target else "new",
        }
        for pair in result.pairs
    ]
    # furniture goes before the first pair of a later paragraph, like in the page
    segments = sorted(furniture + pairs, key=lambda s: s["paragraph"])
    title = result.source.title or result.source.metadata.get("title") or Path(filename).stem
    metadata = {**result.source.metadata, **(metadata or {}), **result.tags}
    if result.target.title:
        metadata["translation_title"] = result.target.title
    doc_id = _store(
        db,
        {
            "title": title,
            "filename": Path(filename).name,
            "content_sha256": digest,
            "source_lang": result.source.language,
            "target_lang": result.target.language,
            "kind": "aligned",
            "project_id": project_id,
            "source_words": source_words(pairs, result.source.language),
            "metadata": json.dumps(metadata, ensure_ascii=False),
            "mt_model": result.mt_model.key if result.mt_model else None,
            "mt_tiny": int(bool(result.mt_model and result.mt_model.tiny)),
        },
        segments,
        author,
    )
    if doc_id is None:
        return already_imported(db, digest, "aligned", project_id)
    return ImportResult(
        doc_id,
        title,
        result.source.language,
        result.target.language,
        len(segments),
        len(pairs),
        warnings=[*result.source.warnings, *result.warnings],
    )
