"""How good was the MT? sacrebleu's BLEU, chrF and TER against approved targets,
with the post-editing effort (HTER) of the same segments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from workbench.review.metrics import metrics_for
from workbench.review.postedit import effort_summary

GROUPINGS = ("document", "day", "user")
MIN_BOOTSTRAP_SEGMENTS = 10  # below this a resampled interval says nothing


@dataclass
class Score:
    """Corpus scores of one group of segments, each with its sacrebleu signature."""

    label: str
    direction: str
    segments: int
    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str]
    ci: dict[str, float] = field(default_factory=dict)  # 95% half-widths, when bootstrapped
    effort: dict = field(default_factory=dict)
    #: Segments whose MT came from a tiny test model: their scores say nothing of real MT.
    tiny_model_segments: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def corpus_score(
    label: str,
    direction: str,
    hypotheses: list[str],
    references: list[str],
    n_bootstrap: int = 0,
) -> Score:
    """Score one group; with ``n_bootstrap`` and enough segments, sacrebleu's
    bootstrap resampling adds a 95% confidence interval (seeded, so reproducible)."""
    target_lang = direction.split("-")[1]
    bootstrap = n_bootstrap if len(hypotheses) >= MIN_BOOTSTRAP_SEGMENTS else 0
    values, signatures, ci = {}, {}, {}
    for name, metric in metrics_for(target_lang).items():
        result = metric.corpus_score(hypotheses, [references], n_bootstrap=bootstrap or 1)
        values[name] = round(float(result.score), 2)
        if bootstrap:
            ci[name] = round(float(result._ci), 2)
        signatures[name] = str(metric.get_signature())
    return Score(label, direction, len(hypotheses), signatures=signatures, ci=ci, **values)


def approved_pairs(db, document_id: int | None = None) -> list[dict]:
    """Approved segments that were machine translated and are meant for translation."""
    where = "s.status = 'approved' AND s.translate AND s.mt IS NOT NULL AND s.target != ''"
    params: list = []
    if document_id is not None:
        where += " AND d.id = ?"
        params.append(document_id)
    return list(
        db.query(
            "SELECT d.id AS document_id, d.title, d.source_lang, d.target_lang, s.mt, s.target,"
            " d.mt_tiny,"
            " substr(s.updated_at, 1, 10) AS day, s.updated_by AS user"
            f" FROM segments s JOIN documents d ON d.id = s.document_id WHERE {where}"
            " ORDER BY d.id, s.position",
            params,
        )
    )


TINY_WARNING = (
    "{n} of these segments were machine-translated by a tiny test model (trained on a few"
    " dozen sentences): their scores say nothing about real machine translation."
)


def tiny_warning(scores: list[Score]) -> str | None:
    """The warning to show beside scores that include tiny-model output, or None."""
    n = sum(s.tiny_model_segments for s in scores)
    return TINY_WARNING.format(n=n) if n else None


def group_label(row: dict, by: str) -> str:
    if by == "document":
        return f"#{row['document_id']} {row['title']}"
    return str(row[by] or "unknown")


def score_database(
    db, document_id: int | None = None, by: str = "document", n_bootstrap: int = 1000
) -> dict[str, list[Score]]:
    """Scores per group (document, day of approval or approving user) and overall,
    always per direction: Chinese and English references never mix."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    directions: dict[str, list[dict]] = defaultdict(list)
    for row in approved_pairs(db, document_id):
        direction = f"{row['source_lang']}-{row['target_lang']}"
        groups[(group_label(row, by), direction)].append(row)
        directions[direction].append(row)

    def score(label: str, direction: str, rows: list[dict]) -> Score:
        result = corpus_score(
            label, direction, [r["mt"] for r in rows], [r["target"] for r in rows], n_bootstrap
        )
        result.effort = effort_summary(rows)
        result.tiny_model_segments = sum(1 for r in rows if r["mt_tiny"])
        return result

    return {
        "groups": [score(label, d, rows) for (label, d), rows in groups.items()],
        "overall": [score(f"all {d}", d, rows) for d, rows in sorted(directions.items())],
    }
