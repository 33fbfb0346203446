"""Language detection, and refusal of damaged or unsupported text."""

from __future__ import annotations

import pytest

from aligner.langid import detect_language

CHINESE = (
    "1月31日，西北工业大学与辽宁省人民政府签署战略合作框架协议。"
    "双方将在科学研究等方面开展深入合作。"
)
ENGLISH = "The conference was held online and offline, and it focused on intelligent computing."


def test_chinese() -> None:
    assert detect_language(CHINESE) == "zh"


def test_english() -> None:
    assert detect_language(ENGLISH) == "en"


def test_short_english_headline() -> None:
    assert detect_language("SYIIT Joins WAITRO") == "en"


def test_mixed_chinese_with_english_names_is_chinese() -> None:
    assert detect_language("我们使用Python和TensorFlow开发了SCIEX系统。") == "zh"


def test_mixed_english_with_a_chinese_source_is_english() -> None:
    assert detect_language(ENGLISH + " Resource: 新闻网") == "en"


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty(text: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        detect_language(text)


def test_binary() -> None:
    binary = bytes(range(256)).decode("latin-1") * 4
    with pytest.raises(ValueError, match="binary|control"):
        detect_language(binary)


def test_nul_bytes() -> None:
    with pytest.raises(ValueError, match="binary"):
        detect_language("PK\x03\x04\x00\x00 some zip header")


def test_replacement_characters() -> None:
    damaged = CHINESE.encode("gbk").decode("utf-8", errors="replace")
    with pytest.raises(ValueError, match="U\\+FFFD|encoding"):
        detect_language(damaged)


@pytest.mark.parametrize("wrong_codec", ["latin-1", "cp1252"])
def test_gbk_read_as_single_byte(wrong_codec: str) -> None:
    garbled = CHINESE.encode("gbk").decode(wrong_codec, errors="ignore")
    with pytest.raises(ValueError, match="garbled"):
        detect_language(garbled)


def test_utf8_read_as_latin1() -> None:
    garbled = CHINESE.encode("utf-8").decode("latin-1")  # UTF-8 lead bytes become C1 controls
    with pytest.raises(ValueError, match="control characters"):
        detect_language(garbled)


def test_utf8_read_as_gbk() -> None:
    garbled = CHINESE.encode("utf-8").decode("gbk", errors="replace")
    with pytest.raises(ValueError, match="garbled|encoding"):
        detect_language(garbled)


OTHER_LATIN = "a Latin-script language other than English"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("これは日本語の文章です。ひらがなとカタカナが含まれています。", "looks Japanese"),
        ("이것은 한국어 문장입니다. 한글로 쓰여 있습니다.", "looks Korean"),
        ("Это предложение написано на русском языке.", "no Chinese or English letters"),
        (
            "Le président a déclaré que les élections auront lieu dans une semaine pour la région.",
            OTHER_LATIN,
        ),
        (
            "Die Regierung hat mit der Opposition über die Reform gesprochen und ist nicht einig.",
            OTHER_LATIN,
        ),
        ("12345 67890 !!! ???", "no Chinese or English letters"),
    ],
)
def test_neither_chinese_nor_english(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        detect_language(text)


def test_accented_names_in_english_are_fine() -> None:
    assert (
        detect_language("The capital of Moldova is Chişinău, and José Müller lives there.") == "en"
    )


def test_large_text_is_fast() -> None:
    import time

    started = time.perf_counter()
    assert detect_language(CHINESE * 50000) == "zh"
    assert time.perf_counter() - started < 2
