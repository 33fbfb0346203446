"""The scores page: MT quality and post-editing effort, with server-side charts."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from workbench.review.postedit import HTER_BUCKETS
from workbench.review.scoring import GROUPINGS, score_database, tiny_warning
from workbench.web.charts import bar_chart, line_chart
from workbench.web.database import get_db

bp = Blueprint("scores", __name__)


@bp.get("/scores")
def scores():
    by = request.args.get("by", "document")
    if by not in GROUPINGS:
        by = "document"
    db = get_db()
    result = score_database(db, by=by, n_bootstrap=1000)
    charts = []
    for overall in result["overall"]:
        buckets = overall.effort.get("buckets") or []
        charts.append(
            bar_chart(
                [b["label"].split(" (")[0] for b in buckets],
                [b["count"] for b in buckets],
                f"HTER of approved segments, {overall.direction}",
            )
        )
    days = score_database(db, by="day", n_bootstrap=0)["groups"]
    for direction in sorted({s.direction for s in days}):
        rows = sorted((s for s in days if s.direction == direction), key=lambda s: s.label)
        if len(rows) > 1:
            charts.append(
                line_chart(
                    [s.label[5:] for s in rows],
                    {"BLEU": [s.bleu for s in rows], "chrF": [s.chrf for s in rows]},
                    f"Scores by day of approval, {direction}",
                )
            )
    return render_template(
        "scores.html",
        by=by,
        groupings=GROUPINGS,
        groups=result["groups"],
        overall=result["overall"],
        tiny_warning=tiny_warning(result["overall"]),
        charts=charts,
        buckets=[label for label, _, _ in HTER_BUCKETS],
    )
