"""Sentence splitter: the hard cases translators meet, in both languages."""

from __future__ import annotations

from types import ModuleType

import pytest

from aligner.split import split_sentences


def _same_characters(text: str, sentences: list[str]) -> bool:
    return "".join(text.split()) == "".join("".join(sentences).split())


# ----------------------------------------------------------------------- zh


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们走吧。你来吗？他没有回答！", ["我们走吧。", "你来吗？", "他没有回答！"]),
        ("真的吗?我不信!走吧。", ["真的吗?", "我不信!", "走吧。"]),
        # A sentence end inside a quotation is a boundary (as SRX segments);
        # what follows the closing quote decides about the last one.
        ("他说：“我们走吧。你来吗？”然后离开。", ["他说：“我们走吧。", "你来吗？”然后离开。"]),
        ("他说：“我们走吧。”大家都笑了。", ["他说：“我们走吧。”", "大家都笑了。"]),
        ("“你来吗？”他问。我点了点头。", ["“你来吗？”他问。", "我点了点头。"]),
        ("他读了《你好！再见。》这本书。很好看。", ["他读了《你好！再见。》这本书。", "很好看。"]),
        ("这是例子（见第3.5节。）。下一句。", ["这是例子（见第3.5节。）。", "下一句。"]),
        ("增长了3.5个百分点。会议在17:51结束。", ["增长了3.5个百分点。", "会议在17:51结束。"]),
        (
            "西部985,去东北!签约仪式在2024.02.04举行。",
            ["西部985,去东北!", "签约仪式在2024.02.04举行。"],
        ),
        # GB/T 15834: the ellipsis is not a sentence-end mark (。？！ are);
        # a bare ellipsis is a pause inside the sentence.
        ("他犹豫了……最后还是走了。", ["他犹豫了……最后还是走了。"]),
        ("风越来越大......雨也来了。", ["风越来越大......雨也来了。"]),
        ("他等了很久……然后离开了。", ["他等了很久……然后离开了。"]),
        ("第一段\n第二段没有句号", ["第一段", "第二段没有句号"]),
        ("访问www.example.com了解详情。谢谢。", ["访问www.example.com了解详情。", "谢谢。"]),
        # A straight quote after 。 that opens the next quotation starts the
        # next sentence; it is not a closer of the previous one.
        ('他点了点头。"好吧。"她笑了。', ["他点了点头。", '"好吧。"', "她笑了。"]),
        # ...and a straight quote after ， may close ("……，"部长说).
        ('会议结束了。"我们会继续努力，"部长说。', ["会议结束了。", '"我们会继续努力，"部长说。']),
        (
            '"走吧，"他说，"天要黑了。"我们就出发了。',
            ['"走吧，"他说，"天要黑了。"', "我们就出发了。"],
        ),
        ('大家都到了。"', ['大家都到了。"']),
    ],
)
def test_chinese_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "zh") == expected


def test_chinese_semicolon_is_never_a_boundary() -> None:
    """；separates clauses inside one sentence (GB/T 15834); there is no option to split at it."""
    text = "女人们在院子里做饭；男人们出门干活。"
    assert split_sentences(text, "zh") == [text]
    with pytest.raises(TypeError):
        split_sentences(text, "zh", split_semicolons=True)  # type: ignore[call-arg]


def test_chinese_unbalanced_quote_does_not_swallow_paragraph() -> None:
    text = "他说：“我们走吧。你来吗？然后离开。第二句。"
    assert len(split_sentences(text, "zh")) == 4


# ----------------------------------------------------------------------- en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith arrived. He sat down.", ["Dr. Smith arrived.", "He sat down."]),
        ("Mr. and Mrs. Lee met Prof. Chen.", ["Mr. and Mrs. Lee met Prof. Chen."]),
        ("He lives at No. 5 St. James Street.", ["He lives at No. 5 St. James Street."]),
        ("The U.S. Army left. The U.K. stayed.", ["The U.S. Army left.", "The U.K. stayed."]),
        ("He moved to the U.S. He was 20.", ["He moved to the U.S.", "He was 20."]),
        ("Apple Inc. The company grew.", ["Apple Inc.", "The company grew."]),
        ("Acme Co. Ltd. makes tools.", ["Acme Co. Ltd. makes tools."]),
        ("Bring fruit, e.g. apples, i.e. red ones.", ["Bring fruit, e.g. apples, i.e. red ones."]),
        ("Pens, paper, etc. and more.", ["Pens, paper, etc. and more."]),
        ("Pens, paper, etc. We left.", ["Pens, paper, etc.", "We left."]),
        ("It opened on Jan. 5, 2020. Sales rose.", ["It opened on Jan. 5, 2020.", "Sales rose."]),
        ("We met at 5 p.m. on Friday.", ["We met at 5 p.m. on Friday."]),
        ("We met at 5 p.m. The rain stopped.", ["We met at 5 p.m.", "The rain stopped."]),
        ("J. R. R. Tolkien wrote it.", ["J. R. R. Tolkien wrote it."]),
        ("John F. Kennedy spoke.", ["John F. Kennedy spoke."]),
        ("Fly from A to B. Airlines know it.", ["Fly from A to B.", "Airlines know it."]),
        (
            "Pi is 3.14 today. Version 2.0.1 shipped.",
            ["Pi is 3.14 today.", "Version 2.0.1 shipped."],
        ),
        ("It was 12.05.2023. Then rain.", ["It was 12.05.2023.", "Then rain."]),
        ("Wait... Then he left.", ["Wait...", "Then he left."]),
        ("Wait… then he left.", ["Wait… then he left."]),
        ('He left." She said.', ['He left."', "She said."]),
        ('"Go!" he said. We went.', ['"Go!" he said.', "We went."]),
        (
            'She said, "We stay. They go." Then silence.',
            ['She said, "We stay.', 'They go."', "Then silence."],
        ),
        ("(See the map.) It helps.", ["(See the map.)", "It helps."]),
        ("1. First item\n2. Second item", ["1. First item", "2. Second item"]),
        ("1. First item. 2. Second item.", ["1. First item.", "2. Second item."]),
        ("A Heading\nThe text.", ["A Heading", "The text."]),
        (
            "Visit https://example.com/a.b?x=1. Mail bob@example.co.uk. Done.",
            [
                "Visit https://example.com/a.b?x=1.",
                "Mail bob@example.co.uk.",
                "Done.",
            ],
        ),
        ("Is it? Yes! Good.", ["Is it?", "Yes!", "Good."]),
        ("The answer is 0 or 1, i.e. 0 here.", ["The answer is 0 or 1, i.e. 0 here."]),
        # A doubled or stray terminator stays with its sentence, never alone.
        ("The test ended. . Everyone went home.", ["The test ended. .", "Everyone went home."]),
        ("It was late. . . . We slept.", ["It was late. . . .", "We slept."]),
        ("Stop!! ! Then go.", ["Stop!! !", "Then go."]),
        # An initial after a lowercase word, followed by a two-part name.
        (
            "The report's author R. Daniel Moss Jr. said it was late.",
            ["The report's author R. Daniel Moss Jr. said it was late."],
        ),
        (
            "The poem was written by T. S. Eliot in London.",
            ["The poem was written by T. S. Eliot in London."],
        ),
        ("Our guide, coach M. Ellen Park, waved.", ["Our guide, coach M. Ellen Park, waved."]),
        # ...but a letter that ends a sentence still splits.
        (
            "The blood type was O. Doctors were relieved.",
            ["The blood type was O.", "Doctors were relieved."],
        ),
        ("He picked plan B. The rest followed.", ["He picked plan B.", "The rest followed."]),
    ],
)
def test_english_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_empty_strings_and_nothing_lost(lang: str) -> None:
    text = "  \n\n  A.  B!\n\n\t“C。”D？  \n"
    sentences = split_sentences(text, lang)
    assert all(sentence and sentence == sentence.strip() for sentence in sentences)
    assert _same_characters(text, sentences)


def test_empty_input() -> None:
    assert split_sentences("", "en") == []
    assert split_sentences(" \n ", "zh") == []


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        split_sentences("Bonjour.", "fr")


def test_large_paragraph_splits_as_its_parts_do() -> None:
    """1.1 MB in one paragraph: every repetition is split as in a three-fold one and
    nothing is lost (bench/large_inputs.py times it)."""
    part = "他说：“好。”我们走吧。The U.S. team won. "
    text = part * 20000
    sentences = split_sentences(text, "zh")
    small = split_sentences(part * 3, "zh")  # first part, a part between two, last part
    assert sentences == small[:2] + small[2:4] * 19999 + small[-1:]
    assert _same_characters(text, sentences)


# ------------------------------------------------- bench cross-check criterion


def _split_eval_module() -> ModuleType:
    """Load bench/split_eval.py (a script, not a package) for its pure helpers."""
    import importlib.util
    import sys
    from pathlib import Path

    if "split_eval" in sys.modules:
        return sys.modules["split_eval"]
    path = Path(__file__).resolve().parents[1] / "bench" / "split_eval.py"
    spec = importlib.util.spec_from_file_location("split_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["split_eval"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_cross_check_sentence_ends_ignore_initials() -> None:
    bench = _split_eval_module()
    ends = bench.internal_sentence_ends
    assert len(ends("The mayor arrived. Everyone cheered.", "en")) == 1
    assert ends("Dr. Lee met chief N. Wayne Hale and U.S. Army staff.", "en") == []
    assert len(ends("市长到了。大家都鼓掌。", "zh")) == 1
    assert ends("大家都鼓掌了。”", "zh") == []


def test_cross_check_counts_sentence_ends_inside_quotes() -> None:
    """The splitter splits multi-sentence quotations, so the judge counts their ends."""
    ends = _split_eval_module().internal_sentence_ends
    assert len(ends('He said "We stay. They go." and left.', "en")) == 1
    assert len(ends("他说：“我们走吧。你来吗？”然后离开。", "zh")) == 2


def test_cross_check_matches_one_to_one_by_position() -> None:
    bench = _split_eval_module()
    assert bench.confirmed_count([0.5], [0.45]) == 1
    assert bench.confirmed_count([0.1], [0.9]) == 0  # same line, wrong place
    assert bench.confirmed_count([0.3, 0.6], [0.5]) == 1  # one end confirms one split


def _mini_flores(folder, zh_lines: list[str], en_lines: list[str]) -> None:
    """A two-language FLORES-shaped folder with one article (text written for the test)."""
    rows = ["URL\tdomain\ttopic\thas_image\thas_hyperlink"]
    rows += ["https://example.org/a\tnews\ttest\tno\tno"] * len(zh_lines)
    (folder / "metadata_devtest.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    (folder / "zho_Hans.devtest").write_text("\n".join(zh_lines) + "\n", "utf-8")
    (folder / "eng_Latn.devtest").write_text("\n".join(en_lines) + "\n", "utf-8")


def test_adjudication_file_judges_what_the_parallel_text_cannot(tmp_path) -> None:
    """A Chinese 。 the translator joined with ", and" is unconfirmed by the parallel line;
    a person's verdict in the file decides it, and a verdict whose context no longer
    matches the text is stale: the case counts as unjudged (wrong)."""
    bench = _split_eval_module()
    _mini_flores(
        tmp_path,
        ["市长到了。", "大家都很高兴。会议随即开始。", "会议开了两个小时。"],
        [
            "The mayor arrived.",
            "Everyone was happy, and the meeting began at once.",
            "The meeting lasted two hours.",
        ],
    )
    score, _, open_cases = bench.evaluate(tmp_path, "zho_Hans", adjudicated=True, adjudication={})
    assert (score.extra, score.confirmed, score.judged) == (1, 0, 0)
    case = open_cases[0]
    assert (case.line, case.offset, case.context) == (2, 7, "大家都很高兴。|会议随即开始。")
    assert score.cross_precision == score.precision == 2 / 3

    path = tmp_path / "judged.tsv"
    header = "\t".join(bench.ADJUDICATION_COLUMNS)
    for verdict, context, judged, stale, unjudged in (
        ("correct", case.context, 1, 0, 0),
        ("wrong", case.context, 0, 0, 0),
        ("correct", "大家都很开心。|会议随即开始。", 0, 1, 1),
    ):
        row = f"zho_Hans\t2\t7\t{context}\t{verdict}\t两个完整的句子"
        path.write_text(f"# a comment\n{header}\n{row}\n", "utf-8")
        table = bench.read_adjudication(path)
        score, _, open_cases = bench.evaluate(
            tmp_path, "zho_Hans", adjudicated=True, adjudication=table
        )
        assert (score.judged, len(table), len(open_cases)) == (judged, stale, unjudged)
        assert score.cross_precision == (2 + judged) / 3
    path.write_text(f"{header}\nzho_Hans\t2\t7\t{case.context}\tmaybe\t?\n", "utf-8")
    with pytest.raises(SystemExit, match="verdict must be correct/wrong"):
        bench.read_adjudication(path)
