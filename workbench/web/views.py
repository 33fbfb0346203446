"""HTML pages of the review UI: the document list, the segment editor and uploads."""

from __future__ import annotations

import io
from itertools import groupby
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from workbench.ingest import doors, readers
from workbench.ingest.encodings import CHOICES
from workbench.ingest.readers import Decoded
from workbench.review import users
from workbench.store import db as storage
from workbench.tm import memory as tm
from workbench.web import queries
from workbench.web.auth import require
from workbench.web.database import get_db

bp = Blueprint("views", __name__)
ARTICLE_TYPES = (".txt", ".md", ".html", ".htm", ".docx")
TM_TYPES = (".tmx",)
QA_CODES = (
    "numbers",
    "untranslated",
    "empty",
    "end-punctuation",
    "brackets",
    "length-ratio",
    "latin-names",
    "tags",
    "terminology",
)


#: The editor's ES modules, preloaded together (a new module is picked up by itself).
EDITOR_MODULES = sorted(p.name for p in (Path(__file__).parent / "static" / "editor").glob("*.js"))


class UploadError(ValueError):
    """An upload refused with a message for the user."""


@bp.get("/")
def index():
    documents = queries.documents(get_db())
    projects = [(name, list(docs)) for name, docs in groupby(documents, lambda d: d["project"])]
    return render_template("index.html", documents=documents, projects=projects)


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """One page of the segment editor; ``segment=ID`` opens the page holding that segment."""
    db = get_db()
    doc = queries.document(db, document_id)
    if doc is None:
        abort(404)
    try:
        filters = queries.Filters.parse(request.args)
    except ValueError as problem:
        flash(str(problem))
        filters = queries.Filters()
    rows = queries.filtered(db, doc, filters)
    size = current_app.config["PAGE_SIZE"]
    pages = max(1, -(-len(rows) // size))
    page = request.args.get("page", 1, type=int)
    wanted = request.args.get("segment", type=int)
    if wanted is not None:
        index = next((i for i, r in enumerate(rows) if r["id"] == wanted), None)
        if index is not None:
            page = index // size + 1
    page = min(max(page, 1), pages)
    shown = queries.mark_furniture_runs(
        queries.decorate_page(rows[(page - 1) * size : page * size], doc)
    )
    return render_template(
        "document.html",
        doc=doc,
        segments=shown,
        counts=queries.status_counts(db, document_id),
        filters=filters,
        filter_args=filters.query_args(),
        total=sum(1 for r in rows if r["translate"]),
        page=page,
        pages=pages,
        page_size=size,
        statuses=storage.STATUSES,
        qa_codes=QA_CODES,
        unfinished=queries.UNFINISHED.get(g.user["role"], queries.UNFINISHED_DEFAULT),
        editor_modules=EDITOR_MODULES,
    )


@bp.route("/upload", methods=["GET", "POST"])
@require("upload")
def upload():
    """Articles (optionally with their human translation) and TMX files into the TM."""
    db = get_db()
    projects = [r["name"] for r in db.query("SELECT name FROM projects ORDER BY name")]
    page = {"projects": projects, "types": ARTICLE_TYPES + TM_TYPES, "encodings": CHOICES}
    if request.method == "GET":
        return render_template("upload.html", **page)
    try:
        message, target, warnings = handle_upload(db)
    except UploadError as problem:
        flash(str(problem), "error")
        return render_template("upload.html", **page), 400
    flash(message)
    # The aligner's warnings (no MT model, very different lengths...) are the user's to see.
    for warning in warnings:
        flash(f"Warning: {warning}", "warning")
    return redirect(target)


def read_upload(field: str) -> tuple[bytes, str] | None:
    storage_ = request.files.get(field)
    if storage_ is None or not storage_.filename:
        return None
    name = Path(storage_.filename).name
    data = storage_.read()
    if not data:
        raise UploadError(f"{name}: the file is empty")
    return data, name


def article_text(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """The uploaded article as the importer takes it (an HTML page already read into
    blocks) and how its bytes were read (the form's encoding, or detected)."""
    try:
        return readers.document_input(data, name, encoding)
    except readers.InputError as problem:
        raise UploadError(str(problem)) from problem


def form_encoding() -> str | None:
    """The Encoding the form chose; None (detect) for "auto"."""
    chosen = (request.form.get("encoding") or "auto").strip().lower()
    if chosen not in CHOICES:
        raise UploadError(f"unknown encoding {chosen!r}; choose one of {', '.join(CHOICES)}")
    return None if chosen == "auto" else chosen


#: The file parts an upload may carry, at most one each: one document per upload.
UPLOAD_FIELDS = ("file", "translation")


def check_upload_parts() -> None:
    """One article (and its translation) per upload: a request carrying more file parts,
    or parts under other names, is refused rather than partly imported."""
    for field in request.files:
        sent = [f for f in request.files.getlist(field) if f.filename]
        if field not in UPLOAD_FIELDS and sent:
            raise UploadError(
                f"unexpected file field {field[:40]!r}: an upload takes one article (field"
                " 'file') and optionally its translation (field 'translation')"
            )
        if len(sent) > 1:
            raise UploadError(
                f"{len(sent)} files in the field {field!r}: one article per upload (and at most"
                " one translation); upload the others one by one"
            )


def handle_upload(db) -> tuple[str, str, list[str]]:
    """Import the uploaded file(s); returns the message, the page to show and any warnings."""
    check_upload_parts()
    upload = read_upload("file")
    if upload is None:
        raise UploadError("choose a file to upload")
    data, name = upload
    suffix = Path(name).suffix.lower()
    if suffix not in TM_TYPES and (door := doors.refusal(name, data[: doors.HEAD_BYTES])):
        raise UploadError(door)
    if suffix not in ARTICLE_TYPES + TM_TYPES:
        raise UploadError(
            f"{name}: {suffix or 'files without an extension'} cannot be imported; upload an"
            f" article ({', '.join(ARTICLE_TYPES)}) or a translation memory (.tmx)"
        )
    if suffix in TM_TYPES:
        return import_tmx(db, data, name), url_for("views.index"), []
    project = (request.form.get("project") or "").strip() or "Default"
    encoding = form_encoding()
    source_tag = (request.form.get("source_tag") or "").strip() or None
    source = article_text(data, name, encoding)
    translation = read_upload("translation")
    from workbench.ingest import importer
    from workbench.mt.translator import ModelNotInstalledError

    try:
        if translation is not None:
            if Path(translation[1]).suffix.lower() not in ARTICLE_TYPES:
                raise UploadError(
                    f"{translation[1]}: the translation must be an article file"
                    f" ({', '.join(ARTICLE_TYPES)})"
                )
            target = article_text(*translation, encoding)
            metadata = readers.pair_metadata(source, target)
            result = importer.import_aligned(
                db,
                source.text,
                target.text,
                filename=name,
                author=g.user["name"],
                project=project,
                metadata=metadata,
                source_tag=source_tag,
            )
        else:
            result = importer.import_article(
                db,
                source.text,
                filename=name,
                author=g.user["name"],
                project=project,
                metadata=source.metadata,
                source_tag=source_tag,
            )
    except ModelNotInstalledError as problem:
        raise UploadError(str(problem)) from problem
    except ValueError as problem:
        raise UploadError(str(problem)) from problem
    document_id = result.document_id
    read = f" (read as {source.detection.describe()})" if source.detection else ""
    if not result.already_imported:
        message = f"Imported {name}{read} as {result.title!r} ({result.for_translation} segments)."
        if translation is not None:
            message = (
                f"Imported {name}{read} with its translation {translation[1]} as {result.title!r}:"
                f" {result.for_translation} aligned segments; check the low-confidence ones."
            )
    else:
        message = f"{name} was already imported as document {document_id}."
    warnings = [] if result.already_imported else list(getattr(result, "warnings", None) or [])
    return message, url_for("views.document", document_id=document_id), warnings


def import_tmx(db, data: bytes, name: str) -> str:
    from workbench.formats.tmx import read_tmx
    from workbench.formats.units import InterchangeError

    try:
        units = read_tmx(io.BytesIO(data)).units
    except InterchangeError as problem:
        raise UploadError(f"{name}: {problem}") from problem
    stats = tm.import_units(db, units, origin=f"tmx:{name}")
    return (
        f"{name}: {stats.added} new, {stats.updated} updated, {stats.unchanged} unchanged and"
        f" {stats.skipped} skipped translation units in the translation memory."
    )


@bp.get("/account")
def account():
    return render_template(
        "message.html",
        title="Account",
        message=(
            f"Signed in as {g.user['name']} ({g.user['role']}). For scripts, make an API token with"
            f" `workbench users token {g.user['name']}`."
        ),
        permissions=sorted(users.PERMISSIONS[g.user["role"]]),
    )
