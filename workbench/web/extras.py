"""The UI's one door to the QA, translation-memory, post-edit and repair modules.

Those modules are optional at run time for the UI: each is imported when first
used, and where one is missing the UI degrades (no flags, no matches, a plain
diff) instead of failing, so the editor keeps working on a partial install.
"""

from __future__ import annotations

import difflib
import importlib
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from markupsafe import escape


@cache
def module(name: str) -> ModuleType | None:
    """``workbench.<name>`` if it is installed, else None."""
    try:
        return importlib.import_module(f"workbench.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"workbench.{name}":
            raise
        return None


@dataclass
class Flag:
    code: str
    message: str


def qa_flags(row: dict, source_lang: str, target_lang: str) -> list[Flag]:
    """QA flags of a segment's current target (none for page furniture)."""
    if not row.get("translate", 1):
        return []
    qa = module("qa")
    target = row.get("target") or ""
    if qa is None:
        return [Flag("empty", "the target is empty")] if not target.strip() else []
    return [
        Flag(f.code, f.message)
        for f in qa.check_segment(row["source"], target, source_lang, target_lang)
    ]


def tm_matches(db, text: str, source_lang: str, target_lang: str, limit: int = 5) -> list[dict]:
    tm = module("tm")
    if tm is None:
        return []
    return [
        {"source": m.source, "target": m.target, "score": round(m.score), "origin": m.origin}
        for m in tm.lookup(db, text, source_lang, target_lang, limit=limit)
    ]


def concordance(db, query: str, limit: int = 50) -> list[dict]:
    """Concordance through the TM module; approved segments by LIKE without it."""
    tm = module("tm")
    if tm is not None:
        return list(tm.concordance(db, query, limit=limit))
    like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        db.query(
            "SELECT source, target, 'approved segment' AS origin FROM segments WHERE"
            " status = 'approved' AND (source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')"
            " LIMIT ?",
            [like, like, limit],
        )
    )


def tm_add_approved(db, row: dict) -> None:
    tm = module("tm")
    if tm is not None:
        tm.add_approved(db, row)


def _tokens(text: str, lang: str) -> list[str]:
    if lang.startswith("zh"):
        return list(text)
    return re.findall(r"\s+|\w+|[^\w\s]", text)


def diff_html(mt: str, target: str, target_lang: str) -> str:
    """Escaped HTML of the target against the MT, with <ins>/<del>."""
    postedit = module("postedit")
    if postedit is not None:
        return postedit.diff_html(mt, target, target_lang)
    a, b = _tokens(mt, target_lang), _tokens(target, target_lang)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
    return "".join(out)


def hter(mt: str, target: str, target_lang: str) -> float:
    """TER of the MT against the post-edit (0 = untouched), tokenised for Chinese."""
    postedit = module("postedit")
    if postedit is not None:
        return postedit.hter(mt, target, target_lang)
    from sacrebleu.metrics import TER

    metric = TER(asian_support=target_lang.startswith("zh"), normalized=True)
    return metric.sentence_score(mt, [target]).score / 100


def effort(row: dict, target_lang: str) -> dict | None:
    """Diff against the MT, HTER and editing time of an edited segment; None if untouched."""
    mt, target = row.get("mt") or "", row.get("target") or ""
    if not mt or not target.strip():
        return None
    return {
        "hter": round(hter(mt, target, target_lang), 3),
        "diff": diff_html(mt, target, target_lang),
        "edit_ms": row.get("edit_ms") or 0,
    }


def create_tables(db) -> None:
    """The TM's and repairs' tables, for databases made before those modules existed."""
    for name in ("tm", "repair"):
        found = module(name)
        if found is not None and hasattr(found, "create_tables"):
            with db.atomic():
                found.create_tables(db)


def repair_module() -> ModuleType | None:
    return module("repair")
