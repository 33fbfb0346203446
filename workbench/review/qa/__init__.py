"""Quality checks for one segment: numbers, dates, punctuation, brackets, names, length.

Pure functions over two strings, fast enough to run on every save and on a
whole document for the filter bar. Each check returns :class:`QaFlag` rows
whose message says *what* differs, so a translator can fix it without
guessing. The checks are warnings: translators may dismiss them.

One module per family of checks; each registers its checks (code, label,
function) in :mod:`workbench.review.qa.base`, in the order imported below,
which is the order the UI shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

# The imports register the checks; their order is the display order.
# isort: off
from workbench.review.qa import untranslated  # noqa: F401
from workbench.review.qa import numbers  # noqa: F401
from workbench.review.qa import punctuation  # noqa: F401
from workbench.review.qa import length  # noqa: F401
from workbench.review.qa import names  # noqa: F401
from workbench.review.qa import tags  # noqa: F401
from workbench.review.qa import terminology

# isort: on
from workbench.formats.inline import OMEGAT_TAG
from workbench.review.qa.base import CHECKS, QA_CODES, QaFlag, base_lang
from workbench.terms.entries import Term

__all__ = ["CHECKS", "QA_CODES", "QaFlag", "check_segment"]


def check_segment(
    source: str, target: str, source_lang: str, target_lang: str, terms: Sequence[Term] = ()
) -> list[QaFlag]:
    """Run every check on a source/target pair; an empty list means nothing to report.

    ``terms`` (the document's glossary, ``workbench.terms.entries.for_document``)
    adds the terminology check.

    An empty target only reports "empty": the other checks would all fire and
    hide the one thing to do. An empty source (a 0-1 alignment) reports nothing.
    """
    source = source or ""
    target = target or ""
    src_lang = base_lang(source_lang)
    tgt_lang = base_lang(target_lang)
    if not source.strip():
        return []  # a 0-1 segment (target sentence without source): nothing to compare
    if not target.strip():
        return [QaFlag("empty", "The target is empty.")]
    # Inline codes (tag text) are checked by "tags" only: to the others they are not text.
    plain_source, plain_target = OMEGAT_TAG.sub("", source), OMEGAT_TAG.sub("", target)
    flags: list[QaFlag] = []
    for code, check in CHECKS:
        if code == "tags":
            flag = check(source, target, src_lang, tgt_lang)
        else:
            flag = check(plain_source, plain_target, src_lang, tgt_lang)
        if flag is not None:
            flags.append(flag)
    if terms:
        flag = terminology.check_terms(source, target, src_lang, tgt_lang, terms)
        if flag is not None:
            flags.append(flag)
    return flags
