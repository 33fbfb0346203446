"""QA checks: each code fires on the problem it names and stays quiet on good pairs."""

from __future__ import annotations

import time

import pytest

from workbench.review.qa import QA_CODES, QaFlag, check_segment


def codes(source: str, target: str, source_lang: str = "zh", target_lang: str = "en") -> list:
    return [flag.code for flag in check_segment(source, target, source_lang, target_lang)]


def flag(source: str, target: str, code: str, source_lang: str = "zh", target_lang: str = "en"):
    found = [f for f in check_segment(source, target, source_lang, target_lang) if f.code == code]
    assert found, f"expected {code} for {source!r} → {target!r}"
    return found[0]


def test_codes_have_labels_and_flags_are_frozen():
    assert set(QA_CODES) == {
        "numbers",
        "empty",
        "untranslated",
        "end-punctuation",
        "brackets",
        "length-ratio",
        "latin-names",
        "tags",
        "terminology",
    }
    assert all(isinstance(label, str) and label for label in QA_CODES.values())
    item = QaFlag("empty", "x")
    with pytest.raises(AttributeError):
        item.code = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("source", "target", "source_lang", "target_lang"),
    [
        (
            "2023年9月21日，沈阳工业学院举行会议。",
            "On September 21, 2023, SIT held a meeting.",
            "zh",
            "en",
        ),
        (
            "2023年9月21日，沈阳工业学院举行会议。",
            "On 21 September 2023, SIT held a meeting.",
            "zh",
            "en",
        ),
        ("2023年9月21日，沈阳工业学院举行会议。", "On 2023-09-21, SIT held a meeting.", "zh", "en"),
        ("二〇二三年九月二十一日开幕。", "It opened on 21 September 2023.", "zh", "en"),
        ("9月21日开幕。", "It opened on September 21.", "zh", "en"),
        ("投资1,500万元。", "An investment of 15 million yuan.", "zh", "en"),
        ("投资3.5亿元。", "An investment of 350 million yuan.", "zh", "en"),
        ("共有10万人参加。", "A total of 100,000 people took part.", "zh", "en"),
        ("增长了百分之十五。", "It grew by 15%.", "zh", "en"),
        ("增长了１５％。", "It grew by 15 percent.", "zh", "en"),
        ("三位专家参加了会议。", "Three experts attended the meeting.", "zh", "en"),
        ("两国关系十分重要。", "Relations between both countries are very important.", "zh", "en"),
        ("第十四个五年规划。", "The 14th Five-Year Plan.", "zh", "en"),
        ("SIT has 3,000 students.", "SIT有3000名学生。", "en", "zh"),
        ("SIT has 3,000 students.", "SIT有三千名学生。", "en", "zh"),
        ("In 2023, twenty-five teams joined.", "2023年，25支队伍加入。", "en", "zh"),
        ("Release time: 2023-09-21", "发布时间：2023-09-21", "en", "zh"),
        ("每七八个人里就有一艘船。", "A boat to every seven or eight people.", "zh", "en"),
        ("约三分之一为水域。", "About one-third is water.", "zh", "en"),
        ("20世纪60年代的音乐。", "Music of the 1960s.", "zh", "en"),
        ("会议于上午10点开始。", "The meeting began at 10:00.", "zh", "en"),
        ("有400多万人前往罗马。", "Over four million people went to Rome.", "zh", "en"),
        ("国王路易十六和十字军。", "King Louis XVI and the crusaders.", "zh", "en"),
        ("一些专家说，1型糖尿病。", "Some experts said: Type 1 diabetes.", "zh", "en"),
        ("他跑了100米。", "He ran the 100m.", "zh", "en"),
        ("排名第十六。", "He finished sixteenth.", "zh", "en"),
        ("420万至390万年前。", "4.2-3.9 million years ago.", "zh", "en"),
    ],
)
def test_numbers_and_dates_that_agree(source, target, source_lang, target_lang):
    assert "numbers" not in codes(source, target, source_lang, target_lang)


@pytest.mark.parametrize(
    ("source", "target", "source_lang", "target_lang", "shown"),
    [
        ("2023年9月21日举行。", "It was held on September 22, 2023.", "zh", "en", "September 22"),
        ("投资1,500万元。", "An investment of 1.5 million yuan.", "zh", "en", "1,500万"),
        ("三位专家参加了会议。", "Four experts attended the meeting.", "zh", "en", "三"),
        ("增长了百分之十五。", "It grew by 16%.", "zh", "en", "16"),
        ("SIT has 3,000 students.", "SIT有300名学生。", "en", "zh", "3,000"),
        ("会议持续了3天。", "The meeting lasted for days.", "zh", "en", "3"),
    ],
)
def test_numbers_and_dates_that_differ(source, target, source_lang, target_lang, shown):
    message = flag(source, target, "numbers", source_lang, target_lang).message
    assert shown in message


def test_number_message_says_which_side():
    message = flag("有3个学院。", "There are 4 colleges.", "numbers").message
    assert "in the source but not the target: 3" in message
    assert "in the target but not the source: 4" in message


def test_empty_target_reports_only_empty():
    assert codes("这是测试。", "") == ["empty"]
    assert codes("这是测试。", "   ") == ["empty"]
    assert codes("", "") == []


def test_zero_one_segment_reports_nothing():
    assert codes("", "An orphan sentence with 3 numbers.") == []


@pytest.mark.parametrize(
    ("source", "target", "source_lang", "target_lang"),
    [
        ("这是测试。", "这是测试。", "zh", "en"),
        ("这是测试。", "1234。", "zh", "en"),
        ("This is a test.", "This is a test.", "en", "zh"),
        ("This is a test.", "This is a tested thing.", "en", "zh"),
    ],
)
def test_untranslated(source, target, source_lang, target_lang):
    assert "untranslated" in codes(source, target, source_lang, target_lang)


def test_copied_names_and_numbers_are_not_untranslated():
    assert "untranslated" not in codes("WAITRO", "WAITRO", "en", "zh")
    assert "untranslated" not in codes("2023-09-21", "2023-09-21", "zh", "en")


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("这是测试。", "This is a test."),
        ("真的吗？", "Really?"),
        ("太好了！", "Great!"),
        ("他说：“走……”", 'He said: "Go..."'),
        ("他说：“走……”", "He said: “Go…”"),
        ("他说：“走”。", "He said: “Go.”"),
        ("标题", "Title"),
    ],
)
def test_end_punctuation_equivalents(source, target):
    assert "end-punctuation" not in codes(source, target)


def test_end_punctuation_differs():
    message = flag("这是测试。", "Is this a test?", "end-punctuation").message
    assert "“。” (full stop)" in message and "“?” (question mark)" in message
    assert "no end punctuation" in flag("这是测试。", "This is a test", "end-punctuation").message
    assert "end-punctuation" in codes("This is a test.", "这是测试", "en", "zh")


@pytest.mark.parametrize(
    "target",
    [
        "This is (a test.",
        "他说：“走。",
        "《书名",
        "这是【测试。",
        "It is) here.",
        "“Quoted」 here.",
        'An "odd quote.',
    ],
)
def test_unbalanced_brackets_in_target(target):
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in target) else "en"
    source = "This is a test." if lang == "zh" else "这是测试。"
    assert "brackets" in codes(source, target, "en" if lang == "zh" else "zh", lang)


def test_mixed_width_parentheses_are_balanced():
    assert "brackets" not in codes("This is a test.", "这是测试(第二版）。", "en", "zh")


def test_commonly_translated_acronyms_are_not_required_in_chinese():
    assert "latin-names" not in codes(
        "The UN and NASA met in the USA.", "联合国和美国宇航局在美国开会。", "en", "zh"
    )
    assert "latin-names" not in codes(
        "King Louis XVI met McCord.", "路易十六国王会见了麦考德。", "en", "zh"
    )


def test_balanced_brackets_and_apostrophes():
    assert "brackets" not in codes(
        "这是测试。", "The school’s teachers’ work (all of it) is “good”."
    )
    assert "brackets" not in codes(
        "This is a test.", "他说：“《书名》（第二版）「好」”。", "en", "zh"
    )


def test_unbalanced_source_excuses_the_target():
    # A quotation running over several segments: the source is unbalanced too.
    assert "brackets" not in codes("他说：“我们走。", "He said: “We go.")


def test_length_ratio():
    long_zh = "这是一个很长的句子，里面有很多内容需要翻译成英文。"
    assert "length-ratio" in codes(long_zh, "Yes.")
    message = flag(long_zh, "Yes.", "length-ratio").message
    assert "too short" in message
    good = "This is a long sentence with a lot of content to translate into English."
    assert "length-ratio" not in codes(long_zh, good)
    assert "length-ratio" not in codes("是。", "Yes.")  # short pairs are never judged
    too_long = "这个很好。"
    assert "length-ratio" in codes(too_long, good + " " + good)


def test_latin_names():
    message = flag("SYIIT与WAITRO和NEU合作。", "The institute works with WAITRO.", "latin-names")
    assert "SYIIT" in message.message and "NEU" in message.message
    assert "WAITRO" not in message.message
    assert "latin-names" not in codes("SYIIT与WAITRO合作。", "SYIIT works with waitro.")
    # English sources: only acronyms and camel-case names are expected to survive.
    assert "latin-names" in codes("NEU signed with iPhone makers.", "东北大学签约。", "en", "zh")
    assert "latin-names" not in codes("Shenyang signed it.", "沈阳签约了。", "en", "zh")


def test_clean_pair_has_no_flags():
    source = "2023年9月21日，沈阳工业学院（SIT）与WAITRO签署了3项协议。"
    target = (
        "On September 21, 2023, Shenyang Institute of Technology (SIT) "
        "signed 3 agreements with WAITRO."
    )
    assert check_segment(source, target, "zh", "en") == []


def test_language_variants_are_accepted():
    assert codes("這是測試。", "This is a test.", "zh-Hant", "en-GB") == []


@pytest.mark.parametrize(
    "hostile, flagged",
    [
        ("<script>alert(1)</script>", {"numbers"}),
        ("'; DROP TABLE segments; --", set()),
        ("\x00\x01\x1f", set()),
        ("（（（（（（（（（（", {"brackets"}),
        ("9" * 5000, {"numbers", "length-ratio"}),
        ("1,000,000,000,000,000,000,000万亿亿", {"numbers"}),
        ("第" * 10000, {"length-ratio"}),
        ("\ud800", set()),
    ],
)
def test_hostile_input_gets_flags_not_a_crash(hostile, flagged):
    """Against the source "这是测试。" each hostile target is flagged for what is wrong with
    it (none ends with a full stop), in both directions; every flag has a label and message."""
    for source_lang, target_lang in (("zh", "en"), ("en", "zh")):
        same = check_segment(hostile, hostile, source_lang, target_lang)
        against = check_segment("这是测试。", hostile, source_lang, target_lang)
        for flag in same + against:
            assert isinstance(flag, QaFlag) and flag.code in QA_CODES and flag.message
        assert {"end-punctuation", *flagged} <= {flag.code for flag in against}


def test_fast_enough_for_a_document():
    source = "2023年9月21日，沈阳工业学院（SIT）与WAITRO签署了3项协议，投资1,500万元。"
    target = (
        "On September 21, 2023, SIT signed 3 agreements with WAITRO, investing 15 million yuan."
    )
    started = time.perf_counter()
    for _ in range(500):
        check_segment(source, target, "zh", "en")
    assert (time.perf_counter() - started) / 500 < 0.005


def test_inline_codes_missing_extra_and_wrong_order():
    source = "Read the <g1>safety notes</g1> first.<x3/>"
    assert check_segment(source, "请先阅读<g1>安全说明</g1>。<x3/>", "en", "zh") == []
    (flag,) = [f for f in check_segment(source, "请先阅读安全说明。<x3/>", "en", "zh")]
    assert flag.code == "tags" and "missing <g1> </g1>" in flag.message
    extra = check_segment(source, "请先<x9/>阅读<g1>安全说明</g1>。<x3/>", "en", "zh")
    assert [f.code for f in extra] == ["tags"] and "extra <x9/>" in extra[0].message
    swapped = check_segment(source, "请先阅读</g1>安全说明<g1>。<x3/>", "en", "zh")
    assert [f.code for f in swapped] == ["tags"] and "wrong order" in swapped[0].message
