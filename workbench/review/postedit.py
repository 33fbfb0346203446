"""Post-editing effort: how much did the translator change the MT?

``hter`` is sacrebleu's TER of the MT against the edited target (HTER when the
target is the human post-edit). ``diff_ops``/``diff_html`` show the edits
token by token for the review UI, and ``effort_summary`` condenses a set of
segments for the score report.

TER is configured once, in ``workbench.review.scoring.ter_metric``, so a segment's
HTER and the corpus TER of ``workbench score`` are the same measure.
"""

from __future__ import annotations

import functools
import html
import re
import statistics
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher

from sacrebleu.metrics import TER

from aligner.tokens import jieba_words
from workbench.review.metrics import ter_metric

#: HTER buckets of the effort summary: (label, lower bound inclusive, upper bound exclusive).
HTER_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("unedited", 0.0, 1e-9),
    ("light (< 10%)", 1e-9, 0.10),
    ("moderate (10–30%)", 0.10, 0.30),
    ("heavy (30–60%)", 0.30, 0.60),
    ("rewritten (≥ 60%)", 0.60, float("inf")),
)

#: Bounded work on long text. TER's shift search tries up to 1,000 candidate shifts,
#: each an edit distance over the whole segment: 100 Chinese characters (tokens, for
#: TER) heavily rewritten took 2 s, 3,000 several minutes. Here the candidates
#: allowed shrink with the length (TER_WORK / tokens) ...
TER_WORK = 1_000
#: ... the shift search runs only while tokens(MT) × tokens(target) stays under this
#: (finding the shiftable pairs alone is quadratic) ...
MAX_SHIFT_PAIRS = 250_000
#: ... and beyond it HTER is TER's beam edit distance without shifts over this many
#: tokens of each side (an upper bound of TER; the result says it is approximate).
MAX_HTER_TOKENS = 1_400
#: ... and the diff compares token by token only while the product of the token
#: counts stays under this; beyond, the whole text shows as replaced.
MAX_DIFF_CELLS = 2_000_000

_EN_DIFF_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")


def _chinese(lang: str) -> bool:
    return (lang or "").lower().startswith("zh")


@functools.lru_cache(maxsize=4)
def _ter(chinese: bool) -> TER:
    return ter_metric("zh" if chinese else "en")


def hter(mt: str, target: str, target_lang: str) -> float:
    """TER of ``mt`` against the edited ``target`` as a fraction: 0.0 means no edit.

    Case and punctuation edits count. The value can exceed 1.0 when the
    translator added more words than the target has. Both empty → 0.0; only
    the target empty (everything deleted) → 1.0. Bounded time on any input;
    ``hter_exact`` says whether a long segment got an approximation.
    """
    return hter_exact(mt, target, target_lang)[0]


def hter_exact(mt: str, target: str, target_lang: str) -> tuple[float, bool]:
    """``hter`` and whether it is sacrebleu's TER (True) or a bounded approximation:
    fewer shift candidates tried, or, on long text, the edit distance without shifts."""
    metric = _ter(_chinese(target_lang))
    hypothesis = metric._preprocess_segment(" ".join((mt or "").split())).split()
    reference = metric._preprocess_segment(" ".join((target or "").split())).split()
    if not reference:
        return (0.0 if not hypothesis else 1.0), True
    edits, length, exact = _bounded_edits(hypothesis, reference)
    return round(edits / length, 4), exact


def _bounded_edits(hyp: list[str], ref: list[str]) -> tuple[int, int, bool]:
    """sacrebleu's ``translation_edit_rate`` with its work bounded (see TER_WORK):
    (edits, reference length, whether the search was as sacrebleu's)."""
    from sacrebleu.metrics import lib_ter

    if len(hyp) * len(ref) > MAX_SHIFT_PAIRS:
        hyp, ref = hyp[:MAX_HTER_TOKENS], ref[:MAX_HTER_TOKENS]
        distance, _ = lib_ter.BeamEditDistance(ref)(hyp)
        return distance, len(ref), False
    most = lib_ter._MAX_SHIFT_CANDIDATES
    allowed = min(most, max(1, TER_WORK // max(len(hyp), len(ref))))
    checked = most - allowed  # sacrebleu stops the search once `checked` reaches `most`
    cached = lib_ter.BeamEditDistance(ref)
    shifts, words = 0, hyp
    while True:
        delta, shifted, checked = lib_ter._shift(words, ref, cached, checked)
        if checked >= most:
            # sacrebleu drops the shift of the search its cap cut short; when our smaller
            # budget cut it, the best shift found so far is still a real improvement
            if allowed < most and delta > 0:
                shifts, words = shifts + 1, shifted
            break
        if delta <= 0:
            break
        shifts, words = shifts + 1, shifted
    distance, _ = cached(words)
    return shifts + distance, len(ref), allowed == most or checked < most


def _diff_tokens(text: str, lang: str) -> list[str]:
    """Tokens that concatenate back to ``text`` exactly (whitespace is kept as tokens)."""
    if not text:
        return []
    if _chinese(lang):
        return jieba_words(text)
    return _EN_DIFF_TOKEN.findall(text)


def _append(ops: list[tuple[str, str]], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    else:
        ops.append((op, text))


def diff_ops(mt: str, target: str, target_lang: str) -> list[tuple[str, str]]:
    """The edits from ``mt`` to ``target`` as ("equal" | "delete" | "insert", text) runs.

    Joining the "equal" and "delete" texts gives ``mt`` back; "equal" and
    "insert" give ``target``. Chinese is compared on jieba words, then a
    replaced stretch is refined by characters (a changed character inside a
    word shows as that character); English is compared on words.
    """
    mt, target = mt or "", target or ""
    a, b = _diff_tokens(mt, target_lang), _diff_tokens(target, target_lang)
    ops: list[tuple[str, str]] = []
    if len(a) * len(b) > MAX_DIFF_CELLS:  # too long to compare in bounded time
        if mt == target:
            return [("equal", mt)]
        return [op for op in (("delete", mt), ("insert", target)) if op[1]]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            _append(ops, "equal", old)
        elif tag == "replace" and _chinese(target_lang) and len(old) * len(new) <= MAX_DIFF_CELLS:
            inner = SequenceMatcher(None, old, new, autojunk=False)
            for itag, k1, k2, l1, l2 in inner.get_opcodes():
                if itag == "equal":
                    _append(ops, "equal", old[k1:k2])
                else:
                    _append(ops, "delete", old[k1:k2])
                    _append(ops, "insert", new[l1:l2])
        else:
            _append(ops, "delete", old)
            _append(ops, "insert", new)
    return _delete_before_insert(ops)


def _delete_before_insert(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Within each run of changes, show all removed text before all added text."""
    out: list[tuple[str, str]] = []
    pending: dict[str, str] = {"delete": "", "insert": ""}
    for op, text in ops:
        if op == "equal":
            _append(out, "delete", pending["delete"])
            _append(out, "insert", pending["insert"])
            pending = {"delete": "", "insert": ""}
            _append(out, "equal", text)
        else:
            pending[op] += text
    _append(out, "delete", pending["delete"])
    _append(out, "insert", pending["insert"])
    return out


def diff_html(mt: str, target: str, target_lang: str) -> str:
    """``diff_ops`` as HTML: <del> for removed MT text, <ins> for added text.

    Every text is escaped (quotes included), so segment text can never inject
    markup into the page.
    """
    parts: list[str] = []
    for op, text in diff_ops(mt, target, target_lang):
        escaped = html.escape(text, quote=True)
        if op == "delete":
            parts.append(f"<del>{escaped}</del>")
        elif op == "insert":
            parts.append(f"<ins>{escaped}</ins>")
        else:
            parts.append(escaped)
    return "".join(parts)


def effort_summary(rows: Iterable[Mapping]) -> dict:
    """HTER distribution of post-edited segments, for the score report.

    ``rows`` are mappings with ``mt``, ``target`` and ``target_lang`` (e.g.
    ``scoring.approved_pairs``). Rows without MT or without a target are
    counted in ``skipped``. Returns ``segments``, ``unedited``, ``mean_hter``,
    ``median_hter`` (None when no segment) and ``buckets`` (label, count,
    share) in ``HTER_BUCKETS`` order.
    """
    values: list[float] = []
    skipped = 0
    for row in rows:
        mt, target = row.get("mt"), row.get("target")
        if not mt or not (target or "").strip():
            skipped += 1
            continue
        values.append(hter(mt, target, row.get("target_lang") or "en"))
    counts = [0] * len(HTER_BUCKETS)
    for value in values:
        for i, (_, low, high) in enumerate(HTER_BUCKETS):
            if low <= value < high:
                counts[i] += 1
                break
    total = len(values)
    return {
        "segments": total,
        "skipped": skipped,
        "unedited": counts[0],
        "mean_hter": round(statistics.fmean(values), 4) if values else None,
        "median_hter": round(statistics.median(values), 4) if values else None,
        "buckets": [
            {
                "label": label,
                "min": round(low, 2),
                "max": None if high == float("inf") else high,
                "count": count,
                "share": round(count / total, 4) if total else 0.0,
            }
            for (label, low, high), count in zip(HTER_BUCKETS, counts, strict=True)
        ],
    }
