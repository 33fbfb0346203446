"""How good was the MT? sacrebleu's BLEU, chrF and TER against approved targets."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sacrebleu.metrics import BLEU, CHRF, TER


def ter_metric(target_lang: str) -> TER:
    """TER that counts case edits, with Chinese split into characters.

    sacrebleu applies ``asian_support`` only when ``normalized`` is on: without
    it a Chinese sentence is one "word" and any edit costs 100%.
    """
    chinese = target_lang.startswith("zh")
    return TER(asian_support=chinese, normalized=chinese, case_sensitive=True)


def metrics_for(target_lang: str) -> dict:
    """Chinese references need the zh tokenizer for BLEU and Asian support for TER."""
    chinese = target_lang.startswith("zh")
    return {
        "bleu": BLEU(tokenize="zh" if chinese else "13a"),
        "chrf": CHRF(),
        "ter": ter_metric(target_lang),
    }


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

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def corpus_score(label: str, direction: str, hypotheses: list[str], references: list[str]) -> Score:
    target_lang = direction.split("-")[1]
    values, signatures = {}, {}
    for name, metric in metrics_for(target_lang).items():
        values[name] = round(metric.corpus_score(hypotheses, [references]).score, 2)
        signatures[name] = str(metric.get_signature())
    return Score(label, direction, len(hypotheses), signatures=signatures, **values)


def approved_pairs(db, document_id: int | None = None) -> list[dict]:
    """Approved segments that were machine translated and are meant for translation."""
    where = "s.status = 'approved' AND s.translate AND s.mt IS NOT NULL AND s.target != ''"
    params: list = []
    if document_id is not None:
        where += " AND d.id = ?"
        params.append(document_id)
    return list(
        db.query(
            "SELECT d.id AS document_id, d.title, d.source_lang, d.target_lang, s.mt, s.target"
            f" FROM segments s JOIN documents d ON d.id = s.document_id WHERE {where}"
            " ORDER BY d.id, s.position",
            params,
        )
    )


def score_database(db, document_id: int | None = None) -> dict[str, list[Score]]:
    """Scores per document and overall per direction (zh and en references never mix)."""
    by_document: dict[int, list[dict]] = defaultdict(list)
    by_direction: dict[str, list[dict]] = defaultdict(list)
    for row in approved_pairs(db, document_id):
        by_document[row["document_id"]].append(row)
        by_direction[f"{row['source_lang']}-{row['target_lang']}"].append(row)

    def score(label: str, rows: list[dict]) -> Score:
        direction = f"{rows[0]['source_lang']}-{rows[0]['target_lang']}"
        return corpus_score(label, direction, [r["mt"] for r in rows], [r["target"] for r in rows])

    return {
        "documents": [score(f"#{i} {rows[0]['title']}", rows) for i, rows in by_document.items()],
        "overall": [score(f"all {d}", rows) for d, rows in sorted(by_direction.items())],
    }
