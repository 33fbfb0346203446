"""Translation through the tiny real Argos packages, via the product's code path."""

from __future__ import annotations

import pytest
from conftest import training_pairs

from workbench.mt.translator import (
    ModelNotInstalledError,
    find_model,
    get_translator,
    translate_cached,
)


@pytest.mark.parametrize("direction", [("zh", "en"), ("en", "zh")])
def test_translates_training_sentences_exactly(installed_models, direction):
    pairs = training_pairs(installed_models[direction])
    translator = get_translator(*direction)
    assert translator.translate([source for source, _ in pairs]) == [ref for _, ref in pairs]


def test_one_engine_call_per_batch_and_cache(installed_models, db):
    pairs = training_pairs(installed_models[("zh", "en")])[:10]
    translator = get_translator("zh", "en")
    calls = []
    engine = translator.engine

    class CountingEngine:
        def translate_batch(self, tokens, **kwargs):
            calls.append(len(tokens))
            return engine.translate_batch(tokens, **kwargs)

    translator.engine = CountingEngine()
    try:
        sources = [s for s, _ in pairs]
        first = translate_cached(db, translator, sources + sources[:3])
        assert calls == [10]  # one batch, duplicates translated once
        second = translate_cached(db, translator, sources)
        assert calls == [10]  # everything came from the cache
    finally:
        translator.engine = engine
    assert first[:10] == second == [ref for _, ref in pairs]
    assert first[10:] == second[:3]
    assert db["mt_cache"].count == 10


def test_empty_sentences_stay_empty(installed_models):
    assert get_translator("en", "zh").translate(["", "   "]) == ["", ""]


def test_unseen_input_gives_bounded_output(installed_models):
    (out,) = get_translator("en", "zh").translate(["Completely unrelated words " * 20])
    assert isinstance(out, str) and len(out) < 2000


def test_missing_model_names_the_install_command(no_models):
    with pytest.raises(ModelNotInstalledError) as caught:
        find_model("zh", "en")
    assert "workbench models install translate-zh_en" in str(caught.value)
