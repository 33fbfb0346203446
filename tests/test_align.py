"""Tests for the sentence aligner on small constructed Chinese–English texts."""

from __future__ import annotations

import importlib
import random

import pytest

from aligner.align import Bead, align
from aligner.inputs import AlignmentError, check_alignment_input

# A constructed story, aligned by hand. Each item: (Chinese sentences, English sentences).
STORY: list[tuple[list[str], list[str]]] = [
    (["老王每天早上六点起床。"], ["Old Wang gets up at six every morning."]),
    (
        ["他先去公园跑步，然后回家吃早饭，早饭通常是馒头和豆浆。"],
        [
            "First he goes jogging in the park.",
            "Then he goes home and eats breakfast, usually steamed buns and soy milk.",
        ],
    ),
    (["他的女儿在北京工作。", "她是一名医生。"], ["His daughter works in Beijing as a doctor."]),
    (["你今天为什么不去上班？"], ["Why aren't you going to work today?"]),
    (["2019年，他们买了一辆新车。"], ["In 2019 they bought a new car."]),
    (
        ["那天晚上下了大雨，街上没有人，商店都关门了，只有一家小饭馆还亮着灯。"],
        [
            "It rained heavily that night.",
            "There was nobody in the street.",
            "All the shops were closed; only a small restaurant still had its lights on.",
        ],
    ),
    (["老师说：“明天考试！”"], ["The teacher said: 'Exam tomorrow!'"]),
    (
        ["猫在桌子上睡觉。", "狗在门外叫。", "孩子们在院子里玩。"],
        [
            "The cat slept on the table, the dog barked outside the door"
            " and the children played in the yard."
        ],
    ),
    (
        ["张医生给病人开了药。", "病人的妻子很感谢他。"],
        [
            "Doctor Zhang gave the patient his medicine and the patient's wife",
            "thanked him warmly.",
        ],
    ),
    (["我们明年夏天要去上海旅行。"], ["Next summer we will travel to Shanghai."]),
    (["这本书一共有三百页。"], ["This book has three hundred pages in total."]),
    (["他喜欢喝咖啡，不喜欢喝茶。"], ["He likes coffee but does not like tea."]),
]


def flatten(
    story: list[tuple[list[str], list[str]]],
) -> tuple[list[str], list[str], set[tuple[tuple[int, ...], tuple[int, ...]]]]:
    chinese: list[str] = []
    english: list[str] = []
    gold = set()
    for zh, en in story:
        zh_ids = tuple(range(len(chinese), len(chinese) + len(zh)))
        en_ids = tuple(range(len(english), len(english) + len(en)))
        chinese.extend(zh)
        english.extend(en)
        gold.add((zh_ids, en_ids))
    return chinese, english, gold


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every index of both sides exactly once, in order; confidences in [0, 1]."""
    sources = [i for bead in beads for i in bead.source]
    targets = [j for bead in beads for j in bead.target]
    assert sources == list(range(n))
    assert targets == list(range(m))
    assert all(bead.source or bead.target for bead in beads)
    assert all(0.0 <= bead.confidence <= 1.0 for bead in beads)


def as_pairs(beads: list[Bead]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(bead.source, bead.target) for bead in beads}


def test_zh_to_en_recovers_every_bead_type_without_translations() -> None:
    chinese, english, gold = flatten(STORY)
    beads = align(chinese, english, "zh", "en")
    assert_covers(beads, len(chinese), len(english))
    found = as_pairs(beads)
    assert len(found & gold) >= len(gold) - 2, sorted(gold - found)
    # The shapes present in the story: 1-1, 1-2, 2-1, 1-3, 3-1, 2-2.
    shapes = {(len(s), len(t)) for s, t in found & gold}
    assert {(1, 1), (1, 2), (2, 1), (1, 3), (3, 1)} <= shapes


def test_en_to_zh_is_the_mirror_image() -> None:
    chinese, english, gold = flatten(STORY)
    beads = align(english, chinese, "en", "zh")
    assert_covers(beads, len(english), len(chinese))
    mirrored = {(t, s) for s, t in gold}
    found = as_pairs(beads)
    assert len(found & mirrored) >= len(mirrored) - 2, sorted(mirrored - found)
    assert {(3, 1), (1, 3)} <= {(len(s), len(t)) for s, t in found & mirrored}


def test_translations_help_and_are_used_in_both_directions() -> None:
    chinese, english, gold = flatten(STORY)
    # A crude "MT" of each Chinese sentence: a paraphrase in English.
    mt = [
        "Lao Wang gets up at six o'clock every morning.",
        "He first goes running in the park, then goes home to eat breakfast,"
        " which is usually steamed buns and soy milk.",
        "His daughter works in Beijing.",
        "She is a doctor.",
        "Why don't you go to work today?",
        "In 2019, they bought a new car.",
        "It rained heavily that night, there was no one on the street,"
        " the shops were all closed, only one small restaurant still had lights on.",
        "The teacher said: 'Test tomorrow!'",
        "The cat is sleeping on the table.",
        "The dog barks outside the door.",
        "The children are playing in the yard.",
        "Doctor Zhang prescribed medicine to the patient.",
        "The patient's wife was very grateful to him.",
        "We are going to travel to Shanghai next summer.",
        "This book has a total of three hundred pages.",
        "He likes to drink coffee, not tea.",
    ]
    beads = align(chinese, english, "zh", "en", translations=mt)
    assert_covers(beads, len(chinese), len(english))
    assert len(as_pairs(beads) & gold) >= len(gold) - 1
    assert check_alignment_input(chinese, english, "zh", "en", translations=mt) == []
    # The same lines in the wrong order (a wrong file, a broken model) do not follow the
    # target: the aligner warns and aligns as if there were no MT.
    shuffled = mt[7:] + mt[:7]
    warnings = check_alignment_input(chinese, english, "zh", "en", translations=shuffled)
    assert any("does not follow the other text" in warning for warning in warnings)
    without_mt = align(chinese, english, "zh", "en")
    assert as_pairs(align(chinese, english, "zh", "en", translations=shuffled)) == as_pairs(
        without_mt
    )
    assert as_pairs(align(chinese, english, "zh", "en", translations=[""] * len(mt))) == (
        as_pairs(without_mt)
    )
    # The same MT as the backward direction of the mirrored task: English source,
    # Chinese target, and the MT of each Chinese sentence into English.
    mirrored = {(t, s) for s, t in gold}
    backward = align(english, chinese, "en", "zh", target_translations=mt)
    assert_covers(backward, len(english), len(chinese))
    assert len(as_pairs(backward) & mirrored) >= len(mirrored) - 1
    with pytest.raises(AlignmentError, match="target_translations has 1 lines"):
        align(english, chinese, "en", "zh", target_translations=mt[:1])
    # en→zh: the MT is Chinese and is compared with the Chinese target character-wise.
    english_side = [
        "Old Wang gets up at six every morning.",
        "His daughter works in Beijing.",
        "She is a doctor.",
    ]
    chinese_side = ["老王每天早上六点起床。", "他的女儿在北京工作，是一名医生。"]
    chinese_mt = ["老王每天早上六点钟起床。", "他的女儿在北京工作。", "她是医生。"]
    beads = align(english_side, chinese_side, "en", "zh", translations=chinese_mt)
    assert as_pairs(beads) == {((0,), (0,)), ((1, 2), (1,))}


def test_null_beads_for_unmatched_sentences() -> None:
    chinese = ["老王每天早上六点起床。", "他先去公园跑步。", "他喜欢喝咖啡，不喜欢喝茶。"]
    english = [
        "Old Wang gets up at six every morning.",
        "Translator's note: the original edition of this chapter appeared in a Hong Kong"
        " newspaper in 1975 and was revised twice by the author.",
        "First he goes jogging in the park.",
        "He likes coffee but does not like tea.",
    ]
    beads = align(chinese, english, "zh", "en")
    assert_covers(beads, 3, 4)
    assert ((), (1,)) in as_pairs(beads)  # 0-1
    beads = align(english, chinese, "en", "zh")
    assert ((1,), ()) in as_pairs(beads)  # 1-0


def test_two_to_two_crossing_content() -> None:
    chinese = ["今天天气很好。", "我们去河边钓鱼，他带了面包，", "我带了水。", "晚上我们一起回家。"]
    english = [
        "The weather was fine today.",
        "We went fishing by the river with the bread he had brought",
        "and the water I had brought.",
        "In the evening we went home together.",
    ]
    beads = align(chinese, english, "zh", "en")
    assert_covers(beads, 4, 4)
    assert ((0,), (0,)) in as_pairs(beads)
    assert ((3,), (3,)) in as_pairs(beads)


def test_confidence_is_lower_for_a_bad_pair() -> None:
    good = align(
        ["他喜欢喝咖啡，不喜欢喝茶。"], ["He likes coffee but does not like tea."], "zh", "en"
    )
    bad = align(["他喜欢喝咖啡，不喜欢喝茶。"], ["The train to Shanghai left at noon."], "zh", "en")
    assert len(good) == 1
    assert good[0].confidence > 0.5
    assert max(bead.confidence for bead in bad) < good[0].confidence


def test_random_inputs_keep_coverage_and_monotonicity() -> None:
    chinese, english, _ = flatten(STORY)
    rng = random.Random(7)
    for _ in range(25):
        source = rng.sample(chinese, rng.randint(1, len(chinese)))
        target = rng.sample(english, rng.randint(1, len(english)))
        for src, tgt, sl, tl in ((source, target, "zh", "en"), (target, source, "en", "zh")):
            beads = align(src, tgt, sl, tl)
            assert_covers(beads, len(src), len(tgt))


def test_empty_side_is_an_alignment_error() -> None:
    with pytest.raises(AlignmentError, match="at least one sentence"):
        align([], ["Hello."], "zh", "en")
    with pytest.raises(AlignmentError):
        align(["你好。"], [], "zh", "en")
    with pytest.raises(AlignmentError, match="must be one of"):
        align(["你好。"], ["Hello."], "zh", "fr")
    with pytest.raises(AlignmentError, match="one translation per source sentence"):
        align(["你好。", "再见。"], ["Hello."], "zh", "en", translations=["Hello."])


def test_odd_input_does_not_crash() -> None:
    odd = ["", "   ", "\x00\x01\x02", "12345", "!!!", "a" * 5000, "你" * 3000]
    beads = align(odd, list(reversed(odd)), "zh", "en")
    assert_covers(beads, len(odd), len(odd))


def test_check_alignment_input_warnings() -> None:
    chinese, english, _ = flatten(STORY)
    assert check_alignment_input(chinese, english, "zh", "en") == []
    swapped = check_alignment_input(english, chinese, "zh", "en")
    assert any("looks like English" in w for w in swapped)
    assert any("looks like Chinese" in w for w in swapped)
    too_long = check_alignment_input(chinese[:2], english * 3, "zh", "en")
    assert any("as many characters as expected for zh→en" in w for w in too_long)
    binary = check_alignment_input(["\x00\x01\x02\x03"], english[:1], "zh", "en")
    assert any("binary" in w for w in binary)
    assert check_alignment_input([], english, "zh", "en") == ["source has no sentences"]


def test_two_thousand_sentences_are_searched_in_a_narrow_band(monkeypatch) -> None:
    """2,000 × 2,000 sentences: each search visits a band of states, never the 4 million
    of the full matrix (how long it takes is bench/align_eval.py's business).

    This repeated text has no usable anchors, and the band widens by 0.15 × the length of
    an unanchored stretch (``anchors.band_from_anchors``): here 29 % of the matrix."""
    aligner_module = importlib.import_module("aligner.align")  # `aligner.align` is the function
    searched: list[int] = []
    real_best_path = aligner_module.best_path

    def counting(evidence, lo, hi, weights):
        searched.append(int((hi - lo + 1).sum()))
        return real_best_path(evidence, lo, hi, weights)

    monkeypatch.setattr(aligner_module, "best_path", counting)
    chinese, english, gold = flatten(STORY)
    repeats = 2000 // len(chinese) + 1
    source = (chinese * repeats)[:2000]
    target = english * (len(source) // len(chinese) + 1)
    target = target[:2000]
    beads = align(source, target, "zh", "en")
    assert_covers(beads, len(source), len(target))
    full = (len(source) + 1) * (len(target) + 1)
    assert searched and all(states < 0.35 * full for states in searched)


def test_block_cosine_equals_cosine_of_concatenated_vectors() -> None:
    import numpy as np

    from aligner.ngrams import band_dots, block_norms_squared, neighbour_dots, vectorise

    mt = ["The cat sat on the mat.", "It was raining.", "Dogs bark loudly at night."]
    target = ["A cat was sitting on the mat", "while it rained.", "At night the dogs bark."]
    left, right = vectorise(mt, target, "en")

    def dense(rows, k):
        vector = np.zeros(int(max(left.indices.max(), right.indices.max())) + 1)
        indices, data = rows.row(k)
        vector[indices] = data
        return vector

    start, stop = np.zeros(3, dtype=np.int64), np.full(3, 3, dtype=np.int64)
    dots = band_dots(left, right, start, stop, 3)
    for s in range(3):
        for t in range(3):
            assert dots[s, t] == pytest.approx(dense(left, s) @ dense(right, t), rel=1e-5)
    merged = dense(right, 0) + dense(right, 1)
    norms = block_norms_squared(neighbour_dots(right, 3), np.array([0]), 2)
    assert norms[0] == pytest.approx(merged @ merged, rel=1e-5)


def test_confidence_is_a_probability_and_orders_beads() -> None:
    chinese, english, gold = flatten(STORY)
    beads = align(chinese, english, "zh", "en")
    right = [b.confidence for b in beads if (b.source, b.target) in gold]
    wrong = [b.confidence for b in beads if (b.source, b.target) not in gold]
    assert all(0.0 <= c <= 1.0 for c in right + wrong)
    assert sum(right) / len(right) > 0.5
    if wrong:
        assert sum(wrong) / len(wrong) < sum(right) / len(right)


def test_vectorised_pair_band_matches_the_plain_definition() -> None:
    import numpy as np

    from aligner.features import chinese_features, english_features, unit_weights
    from aligner.similarity import WeightedSide, pair_band, pair_band_reference

    chinese, english, _ = flatten(STORY)
    source = [chinese_features(s) for s in chinese]
    target = [english_features(t) for t in english]
    source_side = WeightedSide.build(source, unit_weights(source))
    target_side = WeightedSide.build(target, unit_weights(target))
    n, m = len(chinese), len(english)
    bands = [
        (np.zeros(n, dtype=np.int64), np.full(n, m, dtype=np.int64)),
        (np.clip(np.arange(n) - 2, 0, m), np.clip(np.arange(n) + 3, 0, m)),
    ]
    for start, stop in bands:
        fast = pair_band(source_side, target_side, start, stop)
        slow = pair_band_reference(source_side, target_side, start, stop)
        assert fast.source_cum == pytest.approx(slow.source_cum)
        assert fast.target_cum == pytest.approx(slow.target_cum)
        rows_end = np.full(m, 3)
        got = fast.block_sums(rows_end, 2, np.zeros(m, dtype=np.int64), np.arange(m))
        want = slow.block_sums(rows_end, 2, np.zeros(m, dtype=np.int64), np.arange(m))
        assert got[0] == pytest.approx(want[0]) and got[1] == pytest.approx(want[1])


def test_long_input_uses_a_band_and_still_aligns_repeated_text() -> None:
    chinese, english, gold = flatten(STORY)
    repeats = 60
    source = chinese * repeats
    target = english * repeats
    beads = align(source, target, "zh", "en")
    assert_covers(beads, len(source), len(target))
    shift = len(chinese), len(english)
    expected = {
        (tuple(i + r * shift[0] for i in s), tuple(j + r * shift[1] for j in t))
        for r in range(repeats)
        for s, t in gold
    }
    assert len(as_pairs(beads) & expected) >= 0.8 * len(expected)


def test_single_quotation_marks_count_as_quotes_but_apostrophes_do_not() -> None:
    from aligner.features import punctuation_counts

    quote = 2  # index of the "quote" class
    assert punctuation_counts("'You're hopeless!' he jeered.")[quote] == 2
    assert punctuation_counts("'Well,' he said, 'go.'")[quote] == 4
    assert punctuation_counts("Trinket's arms, the boys' room, don't.")[quote] == 0
    assert punctuation_counts("那男孩道：“呸，你不会摔交。”")[quote] == 2


def test_head_and_tail_are_the_first_and_last_clause() -> None:
    from aligner.edges import head_and_tail

    assert head_and_tail("He won twenty taels, lent twelve to Wu, and kept eight.", "en") == (
        "He won twenty taels,",
        "and kept eight.",
    )
    assert head_and_tail("海老公脸一沉，说道：“借给老吴有什么用？”", "zh")[0] == "海老公脸一沉，"
    assert head_and_tail("Yes.", "en") == ("Yes.", "Yes.")
    assert head_and_tail("", "en") == ("", "")


def test_clause_order_prefers_the_right_attachment_of_a_short_sentence() -> None:
    """ "Old Hai scowled." opens the second source's translation, not the first one's tail."""
    import numpy as np

    from aligner.edges import ClauseVectors

    translations = [
        "He won twenty taels, lent twelve to Lao Wu, and feared that Old Hai would take the rest.",
        "Old Hai scowled and said: what is the use of lending money to that Wu boy?",
    ]
    target = [
        "He had won twenty and lent twelve to Wu, and hoped Old Hai would not take the rest.",
        "Old Hai scowled at him.",
        "What do you want to go lending money to that Wu fellow for?",
    ]
    edges = ClauseVectors.build(translations, target, "en").in_band(
        np.array([0, 0]), np.array([3, 3])
    )

    def path_edges(beads: list[tuple[int, int, int, int]]) -> float:
        return sum(
            float(edges.bead_edges(*(np.array([value]) for value in bead))[0]) for bead in beads
        )

    right = path_edges([(0, 1, 0, 1), (1, 2, 1, 3)])
    wrong = path_edges([(0, 1, 0, 2), (1, 2, 2, 3)])
    assert right > wrong + 0.2


def test_recurring_word_pairs_are_learned_from_the_first_pass() -> None:
    from aligner.features import chinese_features, english_features
    from aligner.learned import learn_pairs, with_learned_keys

    chinese = [
        chinese_features(text)
        for text in ["韦小宝走进屋里。", "韦小宝笑了。", "天黑了。", "韦小宝睡着了。"]
    ]
    english = [
        english_features(text)
        for text in [
            "Trinket walked into the room.",
            "Trinket laughed.",
            "It grew dark.",
            "Trinket fell asleep.",
        ]
    ]
    beads = [(range(k, k + 1), range(k, k + 1)) for k in range(4)]
    pairs = learn_pairs(chinese, english, beads)
    assert "trinket" in pairs["韦小宝"]
    assert "trinket" not in pairs.get("天黑", frozenset())  # met once: chance, not evidence
    # Seen in only two beads, the same name is not learned.
    assert "韦小宝" not in learn_pairs(chinese, english, beads[:2])
    augmented = with_learned_keys(chinese, pairs)
    assert "trinket" in augmented[0].keys
    assert augmented[2] is chinese[2]  # sentences without learned words are reused
