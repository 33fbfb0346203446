"""Alignment repair on a document's segments: merge, split, move a sentence, mark 1-0.

Every operation is one write transaction (``BEGIN IMMEDIATE``, so two repairs
cannot interleave their reads and writes), bumps the version of every segment
whose content it changes and writes a revision row for it (action "merge",
"split", "move-up", "move-down", "no-counterpart", "bulk-status", "undo"):
an editor who loaded a segment before the repair gets a conflict (409) on a
stale save instead of silently overwriting it. Writes are conditional on the
version read, and a repair whose segment changed underneath raises
``workbench.store.db.ConflictError``; an optional ``base_version`` lets the UI say
"the version I showed the user" for the segment it acts on.

Each repair stores before/after snapshots of the affected rows in ``repairs``;
``undo`` restores the most recent not-yet-undone one of a document (repeated
calls go further back), provided nobody edited those segments since.

Positions are unique per document, so a repair that inserts or removes a
segment shifts the following ones in two steps through negative numbers and
records the document's old positions for undo. Positions stay 0..n-1 when they
were. Removing a segment (merge) re-points rows of other tables that reference
it (its revisions) to the merged segment, so no history is lost; undo moves
them back.
"""

from workbench.review.repair.common import CONTENT_COLUMNS, RepairError, join_text
from workbench.review.repair.counterpart import mark_no_counterpart
from workbench.review.repair.merge_split import merge, split
from workbench.review.repair.move import move_target
from workbench.review.repair.status import bulk_set_status
from workbench.review.repair.undo import last_repair, undo

__all__ = [
    "CONTENT_COLUMNS",
    "RepairError",
    "bulk_set_status",
    "join_text",
    "last_repair",
    "mark_no_counterpart",
    "merge",
    "move_target",
    "split",
    "undo",
]
