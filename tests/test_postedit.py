"""Post-edit effort: HTER, token diffs (safe HTML) and the summary for scoring."""

from __future__ import annotations

import pytest

from workbench.review import postedit
from workbench.review.postedit import HTER_BUCKETS, diff_html, diff_ops, effort_summary, hter


def test_hter_english():
    assert hter("The cat sat on the mat.", "The cat sat on the mat.", "en") == 0.0
    # One substitution in six reference words (the full stop is a token of its own: 1/7).
    assert hter("The cat sat on the mat", "The cat sat on a mat", "en") == pytest.approx(
        1 / 6, abs=1e-3
    )
    assert hter("the cat", "The cat", "en") > 0  # case edits count
    assert hter("The cat.", "The cat!", "en") > 0  # punctuation edits count


def test_hter_chinese_is_per_character():
    # Without spacing, sacrebleu would see one "word" per sentence and report 100%.
    assert hter("我们今天开会", "我们明天开会", "zh") == pytest.approx(1 / 6, abs=1e-3)
    assert hter("我们今天开会。", "我们今天开会。", "zh-Hant") == 0.0
    # Latin words inside Chinese stay whole words.
    assert hter("SIT今天开会", "SIT明天开会", "zh") == pytest.approx(1 / 5, abs=1e-3)


def test_hter_edges():
    assert hter("", "", "en") == 0.0
    assert hter("something", "", "en") == 1.0
    assert hter("", "Written from scratch", "en") == 1.0
    assert hter("a", "a b c d", "en") == pytest.approx(0.75)
    assert hter(None, "x", "en") == 1.0  # type: ignore[arg-type]


def reconstruct(ops, keep: str) -> str:
    return "".join(text for op, text in ops if op in ("equal", keep))


@pytest.mark.parametrize(
    ("mt", "target", "lang"),
    [
        ("The cat sat on the mat.", "The dog sat on a mat!", "en"),
        ("我们今天在沈阳开会。", "我们明天在大连开会。", "zh"),
        ("", "New text.", "en"),
        ("Old text.", "", "en"),
        ("  spaced   out  ", "spaced out", "en"),
        ("SIT与WAITRO合作", "沈阳工业学院与WAITRO合作", "zh"),
    ],
)
def test_diff_ops_reconstruct_both_texts(mt, target, lang):
    ops = diff_ops(mt, target, lang)
    assert reconstruct(ops, "delete") == mt
    assert reconstruct(ops, "insert") == target
    assert all(op in ("equal", "delete", "insert") for op, _ in ops)
    assert all(text for _, text in ops)
    # Runs are merged: no two neighbours share an op.
    assert all(a[0] != b[0] for a, b in zip(ops, ops[1:], strict=False))


def test_diff_ops_granularity():
    assert diff_ops("The cat sat.", "The dog sat.", "en") == [
        ("equal", "The "),
        ("delete", "cat"),
        ("insert", "dog"),
        ("equal", " sat."),
    ]
    # Chinese: a changed character inside a jieba word shows as that character.
    ops = diff_ops("我们今天开会", "我们明天开会", "zh")
    assert ("delete", "今") in ops and ("insert", "明") in ops
    assert diff_ops("same", "same", "en") == [("equal", "same")]
    assert diff_ops("", "", "en") == []


def test_diff_html_marks_edits():
    html = diff_html("The cat sat.", "The dog sat.", "en")
    assert html == "The <del>cat</del><ins>dog</ins> sat."


def test_diff_html_is_safe_against_injection():
    html = diff_html(
        '<script>alert(1)</script> & "x"',
        "<img src=x onerror=alert(1)> & 'y'",
        "en",
    )
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html.replace("<del>", "").replace("</del>", "")
    assert "&amp;" in html and "&quot;" in html and "&#x27;" in html
    # Only our own tags remain.
    stripped = html
    for tag in ("<del>", "</del>", "<ins>", "</ins>"):
        stripped = stripped.replace(tag, "")
    assert "<" not in stripped and ">" not in stripped
    chinese = diff_html("<b>你好</b>", "<i>你好</i>", "zh")
    assert "<b>" not in chinese and "<i>" not in chinese


def test_effort_summary():
    rows = [
        {"mt": "The cat sat.", "target": "The cat sat.", "target_lang": "en"},
        {"mt": "The cat sat on the mat", "target": "The cat sat on a mat", "target_lang": "en"},
        {"mt": "我们今天开会", "target": "我们明天开会", "target_lang": "zh"},
        {"mt": "Completely wrong", "target": "An entirely new sentence here", "target_lang": "en"},
        {"mt": None, "target": "No MT", "target_lang": "en"},
        {"mt": "No target", "target": "", "target_lang": "en"},
    ]
    summary = effort_summary(rows)
    assert summary["segments"] == 4
    assert summary["skipped"] == 2
    assert summary["unedited"] == 1
    counts = {b["label"]: b["count"] for b in summary["buckets"]}
    assert list(counts) == [label for label, _, _ in HTER_BUCKETS]
    assert sum(counts.values()) == 4
    assert counts["moderate (10–30%)"] == 2
    assert counts["rewritten (≥ 60%)"] == 1
    assert summary["mean_hter"] > 0 and summary["median_hter"] is not None
    assert sum(b["share"] for b in summary["buckets"]) == pytest.approx(1.0)


def test_effort_summary_empty():
    summary = effort_summary([])
    assert summary["segments"] == 0 and summary["mean_hter"] is None
    assert all(b["count"] == 0 for b in summary["buckets"])


def test_a_bounded_hter_keeps_the_best_shift_it_found():
    """A heavy rewrite whose shift search the work bound cuts short kept none of the
    shifts it had found (HTER 0.545 where TER says 0.273, for 33 characters): the best
    one found is a real improvement and counts. Still an upper bound of TER."""
    from sacrebleu.metrics import lib_ter

    mt, target = "港口于星期五重新开放。" * 3, "星期五港口重新开放了。" * 3
    value, exact = postedit.hter_exact(mt, target, "zh")
    metric = postedit._ter(True)
    hyp, ref = (metric._preprocess_segment(t).split() for t in (mt, target))
    full_edits, length = lib_ter.translation_edit_rate(hyp, ref)
    no_shifts = lib_ter.BeamEditDistance(ref)(hyp)[0]
    assert not exact
    assert full_edits / length <= value < no_shifts / length
