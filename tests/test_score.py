"""`workbench score`: sacrebleu figures with signatures, right tokenisation per language."""

from __future__ import annotations

import json

import sacrebleu
from click.testing import CliRunner

from workbench.cli import cli
from workbench.review.saves import save_segment
from workbench.store.db import connect


def approve_all(db_path, edit=lambda s: s["mt"]) -> dict[str, list[dict]]:
    db = connect(db_path)
    approved: dict[str, list[dict]] = {}
    for segment in db.query(
        "SELECT s.*, d.source_lang || '-' || d.target_lang AS direction FROM segments s"
        " JOIN documents d ON d.id = s.document_id WHERE s.translate ORDER BY d.id, s.position"
    ):
        target = edit(segment)
        save_segment(
            db,
            segment["id"],
            base_version=segment["version"],
            author="t",
            target=target,
            status="approved",
        )
        approved.setdefault(segment["direction"], []).append(
            {"mt": segment["mt"], "target": target}
        )
    return approved


def test_no_approved_segments_says_so(seeded_db):
    result = CliRunner().invoke(cli, ["score", "--db", str(seeded_db)])
    assert result.exit_code == 0
    assert "No approved segments" in result.output


def test_scores_match_sacrebleu_with_signatures(seeded_db):
    approved = approve_all(
        seeded_db, edit=lambda s: s["source"] if len(s["source"]) % 2 else s["mt"]
    )
    result = CliRunner().invoke(cli, ["score", "--db", str(seeded_db), "--json"])
    assert result.exit_code == 0, result.output
    overall = {s["direction"]: s for s in json.loads(result.output)["overall"]}
    assert len(json.loads(result.output)["groups"]) == 5
    assert set(overall) == {"en-zh", "zh-en"}
    for direction, rows in approved.items():
        hyps, refs = [r["mt"] for r in rows], [[r["target"] for r in rows]]
        chinese = direction.endswith("zh")
        bleu = sacrebleu.metrics.BLEU(tokenize="zh" if chinese else "13a")
        assert overall[direction]["bleu"] == round(bleu.corpus_score(hyps, refs).score, 2)
        assert overall[direction]["chrf"] == round(
            sacrebleu.metrics.CHRF().corpus_score(hyps, refs).score, 2
        )
        ter = sacrebleu.metrics.TER(asian_support=chinese, normalized=chinese, case_sensitive=True)
        assert overall[direction]["ter"] == round(ter.corpus_score(hyps, refs).score, 2)
        signatures = overall[direction]["signatures"]
        assert ("tok:zh" if chinese else "tok:13a") in signatures["bleu"]
        assert ("asian:yes" if chinese else "asian:no") in signatures["ter"]


def test_unedited_mt_scores_perfectly_and_text_output_has_signatures(seeded_db):
    approve_all(seeded_db)
    result = CliRunner().invoke(cli, ["score", "--db", str(seeded_db)])
    assert result.exit_code == 0, result.output
    assert "BLEU 100.00" in result.output and "TER 0.00" in result.output
    assert "|tok:zh|" in result.output and "bs:1000|seed:12345" in result.output
    assert result.output.count("chrf: nrefs:1") == 7  # 5 documents + 2 directions
    assert "needed no edit" in result.output


def test_chinese_ter_counts_characters_not_whole_sentences():
    """sacrebleu splits Chinese only with normalisation on; one changed character is not 100%."""
    from workbench.review.scoring import corpus_score

    score = corpus_score("t", "en-zh", ["我们今天开会"], ["我们明天开会"])
    assert 0 < score.ter < 20
    assert "asian:yes" in score.signatures["ter"] and "norm:yes" in score.signatures["ter"]


def test_grouping_by_user_and_day_with_effort(seeded_db):
    approve_all(seeded_db, edit=lambda s: s["mt"] if s["position"] % 3 else s["mt"] + " extra")
    result = CliRunner().invoke(cli, ["score", "--db", str(seeded_db), "--by", "user", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["by"] == "user"
    assert {g["label"] for g in data["groups"]} == {"t"}
    for group in data["overall"]:
        effort = group["effort"]
        assert 0 < effort["unedited"] < effort["segments"] == group["segments"]
        assert sum(b["count"] for b in effort["buckets"]) == effort["segments"]
        assert set(group["ci"]) == {"bleu", "chrf", "ter"}  # bootstrapped: enough segments
    by_day = CliRunner().invoke(cli, ["score", "--db", str(seeded_db), "--by", "day", "--json"])
    (day,) = {g["label"] for g in json.loads(by_day.output)["groups"]}
    assert len(day) == 10 and day[4] == "-"


def test_bootstrap_survives_resamples_with_no_overlap():
    """A resample of only no-overlap segments gives chrF 0.0; the interval still computes."""
    from workbench.review.scoring import corpus_score

    hypotheses = ["完全不同"] * 9 + ["我们今天开会"] * 3
    references = ["abc xyz"] * 9 + ["我们明天开会"] * 3
    score = corpus_score("t", "en-zh", hypotheses, references, n_bootstrap=1000)
    assert set(score.ci) == {"bleu", "chrf", "ter"}
    assert "bs:1000" in score.signatures["chrf"]
