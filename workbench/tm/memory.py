"""Translation memory in the workbench database: approved segments and imported TMX.

Storage: ``tm_units`` holds one unit per normalised source and language pair
(re-approving or re-importing a sentence updates it; the replaced target goes
to ``tm_history``). This module is the TM's one entry point for callers; the
work is done in ``text`` (normalising, tokens, edit distance), ``writes`` (the
merge rule, approvals, imports), ``lookup`` (fuzzy matches through the inverted
index) and ``browse`` (concordance, history, export).
"""

from __future__ import annotations

from workbench.tm.browse import concordance, headers, history, iter_units, source_tag
from workbench.tm.lookup import CANDIDATES, POSTINGS_BUDGET, TmMatch, lookup
from workbench.tm.text import edit_distance, fuzzy_score, index_keys, normalise, tokens
from workbench.tm.writes import (
    ImportStats,
    PairError,
    add_approved,
    add_unit,
    context_of,
    import_units,
)

__all__ = [
    "CANDIDATES",
    "POSTINGS_BUDGET",
    "ImportStats",
    "PairError",
    "TmMatch",
    "add_approved",
    "add_unit",
    "concordance",
    "context_of",
    "headers",
    "edit_distance",
    "fuzzy_score",
    "history",
    "import_units",
    "index_keys",
    "iter_units",
    "lookup",
    "normalise",
    "source_tag",
    "tokens",
]
