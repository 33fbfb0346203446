"""The sacrebleu metrics, configured once per target language."""

from __future__ import annotations

from sacrebleu.metrics import BLEU, CHRF, TER


class _PlainFloatScores:
    """sacrebleu's bootstrap averages resampled scores with ``statistics.mean``,
    which refuses a mix of numpy float32 and Python float (chrF returns a plain
    0.0 for an all-miss resample): make every score a Python float."""

    def _compute_score_from_stats(self, stats):
        score = super()._compute_score_from_stats(stats)
        score.score = float(score.score)
        return score


class Bleu(_PlainFloatScores, BLEU):
    pass


class Chrf(_PlainFloatScores, CHRF):
    pass


class Ter(_PlainFloatScores, TER):
    pass


def ter_metric(target_lang: str) -> TER:
    """TER that counts case edits, with Chinese split into characters.

    sacrebleu applies ``asian_support`` only when ``normalized`` is on: without
    it a Chinese sentence is one "word" and any edit costs 100%.
    """
    chinese = target_lang.startswith("zh")
    return Ter(asian_support=chinese, normalized=chinese, case_sensitive=True)


def metrics_for(target_lang: str) -> dict:
    """Chinese references need the zh tokenizer for BLEU and Asian support for TER."""
    chinese = target_lang.startswith("zh")
    return {
        "bleu": Bleu(tokenize="zh" if chinese else "13a"),
        "chrf": Chrf(),
        "ter": ter_metric(target_lang),
    }
