"""MT that follows the glossary, on the real tiny fixture packages: each correction step,
and the import marking a segment glossary-corrected."""

from __future__ import annotations

import re

import pytest
from conftest import training_pairs

from aligner.tokens import segment_chinese
from workbench.ingest.glossary_mt import follow
from workbench.ingest.importer import import_article
from workbench.mt.translator import get_translator
from workbench.store.db import default_project
from workbench.terms import entries as glossary
from workbench.terms.recognise import find_terms


def term(source, translation, forbidden=()):
    return glossary.Term(1, source, (source,), (translation,), tuple(forbidden), False)


@pytest.fixture
def memorised(installed_models):
    """A training sentence, the tiny package's own output for it, and a word of each."""
    translator = get_translator("zh", "en")
    for source, _ in training_pairs(installed_models[("zh", "en")]):
        output = translator.translate([source])[0]
        words = [w for w in re.findall(r"[A-Za-z]{5,}", output)]
        chinese = [w for w in segment_chinese(source) if len(w) >= 2]
        if words and chinese and find_terms(source, "zh", [term(chinese[0], "x")]):
            return translator, source, output, words[0], chinese[0]
    pytest.fail("no usable training sentence")


def test_forbidden_translation_is_replaced(memorised):
    translator, source, output, word, chinese = memorised
    entry = term(chinese, "Glossary Rendering", forbidden=[word])
    (result,) = follow(translator, [source], [output], [entry], "zh", "en")
    assert result.corrected and "Glossary Rendering" in result.text
    assert word not in result.text.split()
    assert (result.terms, result.present) == (1, 1)


def test_the_mts_own_rendering_is_replaced(memorised):
    """A term whose MT alone appears in the sentence's MT (here: the whole sentence as a
    term, e.g. a title) gets the glossary translation in its place."""
    translator, source, output, _, _ = memorised
    entry = term(source, "The Glossary Title")
    (result,) = follow(translator, [source], [output], [entry], "zh", "en")
    assert result.corrected and "The Glossary Title" in result.text


def test_output_already_following_the_glossary_is_untouched(memorised):
    translator, source, output, word, chinese = memorised
    (result,) = follow(translator, [source], [output], [term(chinese, word)], "zh", "en")
    assert not result.corrected and result.text == output


def test_import_marks_glossary_corrected_segments(db, memorised):
    translator, source, output, word, chinese = memorised
    text = f"标题\n\n{source}\n"
    project = default_project(db, "Glossed")
    with db.atomic():
        glossary.save(
            db,
            glossary.Entry(
                chinese, "Glossary Rendering", "zh-CN", "en-US", forbidden=[word],
                project_id=project,
            ),
        )  # fmt: skip
    result = import_article(db, text, filename="a.txt", project="Glossed")
    rows = list(
        db.query(
            "SELECT source, mt, glossary_corrected FROM segments WHERE document_id = ?",
            [result.document_id],
        )
    )
    row = next(r for r in rows if r["source"] == source)
    assert row["glossary_corrected"] == 1 and "Glossary Rendering" in row["mt"]
    plain = import_article(db, text, filename="a.txt", project="Other")
    other = db.execute(
        "SELECT mt, glossary_corrected FROM segments WHERE document_id = ? AND source = ?",
        [plain.document_id, source],
    ).fetchone()
    assert other == (output, 0)
