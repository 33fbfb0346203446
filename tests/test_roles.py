"""Roles on every state-changing route: the Flask url_map is enumerated, and for each
POST/PUT/DELETE/PATCH route a table says which roles get 2xx/3xx and which 403 (anonymous:
401 on the API, a redirect to the login page elsewhere). An approved segment is read-only
to a translator on every route that can change it, repairs of a neighbour included."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from review_support import (
    EN_TEXT,
    ZH_TEXT,
    add_users,
    import_harbour,
    login,
    segments,
    session_token,
)

from workbench.review import repair as repair_ops
from workbench.review.saves import save_segment
from workbench.store.db import connect
from workbench.web import create_app

ROLES = ("anonymous", "translator", "reviewer", "admin")
NAMES = {"translator": "tom", "reviewer": "rita", "admin": "ada"}
STATE_CHANGING = {"POST", "PUT", "DELETE", "PATCH"}


@dataclass
class Ctx:
    db_path: object
    doc: int
    rows: list[dict]
    name: str

    def approve(self, index: int) -> None:
        """Approve a segment as the reviewer (what a translator must then leave alone)."""
        db = connect(self.db_path)
        row = self.rows[index]
        save_segment(db, row["id"], base_version=row["version"], author="rita", status="approved")
        db.close()
        self.rows = segments(self.db_path, self.doc)

    def repaired_by(self, name: str) -> None:
        db = connect(self.db_path)
        repair_ops.move_target(db, self.rows[3]["id"], "up", name)
        db.close()
        self.rows = segments(self.db_path, self.doc)


def put(ctx: Ctx, index: int, **body):
    row = ctx.rows[index]
    return "PUT", f"/api/segments/{row['id']}", {"version": row["version"], **body}


def repair(ctx: Ctx, index: int, op: str, **extra):
    row = ctx.rows[index]
    return "POST", f"/api/segments/{row['id']}/repair", {"op": op, **extra}


def upload(ctx: Ctx):
    data = {
        "file": (io.BytesIO(ZH_TEXT.encode() + "再见。".encode()), "new.txt"),
        "translation": (io.BytesIO(EN_TEXT.encode() + b" Goodbye."), "new.en.txt"),
    }
    return "POST", "/upload", {"__form__": {"project": "P", **data}}


def revert(ctx: Ctx):
    db = connect(ctx.db_path)
    row = ctx.rows[1]
    saved = save_segment(db, row["id"], base_version=row["version"], author="tom", target="New.")
    db.close()
    return (
        "POST",
        f"/api/segments/{row['id']}/revert",
        {
            "to_version": row["version"],
            "version": saved["version"],
        },
    )


def bulk_undo(ctx: Ctx):
    db = connect(ctx.db_path)
    row = ctx.rows[1]
    save_segment(
        db,
        row["id"],
        base_version=row["version"],
        author="rita",
        status="approved",
        action="bulk-approve cafe01",
    )
    db.close()
    return "POST", f"/api/documents/{ctx.doc}/bulk-undo", {"batch": "cafe01"}


def with_target(ctx: Ctx, index: int) -> dict:
    """Give a segment a target (what a propagation copies) and a repetition of its source."""
    db = connect(ctx.db_path)
    row, other = ctx.rows[index], ctx.rows[index + 1]
    saved = save_segment(db, row["id"], base_version=row["version"], author="tom", target="Hi.")
    db.execute("UPDATE segments SET source = ? WHERE id = ?", [row["source"], other["id"]])
    db.conn.commit()
    db.close()
    return saved


def propagate(ctx: Ctx):
    saved = with_target(ctx, 1)
    return "POST", f"/api/segments/{saved['id']}/propagate", {"scope": "document"}


def undo_propagation(ctx: Ctx):
    from workbench.review import propagate as repetition

    saved = with_target(ctx, 1)
    db = connect(ctx.db_path)
    batch = repetition.propagate(db, saved["id"], "rita")["batch"]
    db.close()
    return "POST", f"/api/propagations/{batch}/undo", {}


def add_term(ctx: Ctx):
    return "POST", "/api/terms", {"document_id": ctx.doc, "source": "海港", "target": "harbour"}


def decide_candidate(ctx: Ctx):
    db = connect(ctx.db_path)
    candidate = (
        db["term_candidates"]
        .insert(
            {
                "source_lang": "zh",
                "target_lang": "en",
                "source": "海港",
                "target": "harbour",
                "frequency": 3,
                "score": 0.9,
                "created_at": "2026-01-01T00:00:00+00:00",
            }
        )
        .last_pk
    )
    db.close()
    return "POST", f"/api/term-candidates/{candidate}", {"action": "accept"}


def prepared(setup: Callable[[Ctx], None], make: Callable[[Ctx], tuple]):
    def run(ctx: Ctx):
        setup(ctx)
        return make(ctx)

    return run


OK, DENIED = "ok", "denied"
EVERYONE = {"translator": OK, "reviewer": OK, "admin": OK}
APPROVERS = {"translator": DENIED, "reviewer": OK, "admin": OK}

#: (endpoint, method) -> [(case name, request maker, expected per role)].
TABLE: dict[tuple[str, str], list[tuple[str, Callable, dict]]] = {
    ("auth.login", "POST"): [],  # public: covered by the login tests
    ("auth.setup", "POST"): [],  # public, first run only: covered by the setup tests
    ("auth.logout", "POST"): [("logout", lambda c: ("POST", "/logout", None), EVERYONE)],
    ("views.upload", "POST"): [("upload", upload, APPROVERS)],
    ("api.save_segment", "PUT"): [
        ("save a draft", lambda c: put(c, 1, target="Mine."), EVERYONE),
        ("approve", lambda c: put(c, 1, status="approved", target="Mine."), APPROVERS),
        ("reject", lambda c: put(c, 1, status="rejected", note="why"), APPROVERS),
        (
            "edit an approved one",
            prepared(lambda c: c.approve(1), lambda c: put(c, 1, target="Changed.")),
            APPROVERS,
        ),
        (
            "reopen an approved one",
            prepared(lambda c: c.approve(1), lambda c: put(c, 1, status="draft")),
            APPROVERS,
        ),
    ],
    ("api.revert", "POST"): [("revert", revert, EVERYONE)],
    ("api.repair", "POST"): [
        ("merge", lambda c: repair(c, 1, "merge"), EVERYONE),
        ("split", lambda c: repair(c, 1, "split", source_offset=3, target_offset=3), EVERYONE),
        ("move-up", lambda c: repair(c, 3, "move-up"), EVERYONE),
        ("move-down", lambda c: repair(c, 2, "move-down"), EVERYONE),
        ("no-counterpart", lambda c: repair(c, 4, "no-counterpart"), EVERYONE),
        (
            "merge into an approved one",
            prepared(lambda c: c.approve(1), lambda c: repair(c, 1, "merge")),
            APPROVERS,
        ),
        (
            "merge an approved next one",
            prepared(lambda c: c.approve(2), lambda c: repair(c, 1, "merge")),
            APPROVERS,
        ),
        (
            "split an approved one",
            prepared(
                lambda c: c.approve(1),
                lambda c: repair(c, 1, "split", source_offset=3, target_offset=3),
            ),
            APPROVERS,
        ),
        (
            "move up into an approved one",
            prepared(lambda c: c.approve(2), lambda c: repair(c, 3, "move-up")),
            APPROVERS,
        ),
        (
            "move down out of an approved one",
            prepared(lambda c: c.approve(2), lambda c: repair(c, 2, "move-down")),
            APPROVERS,
        ),
        (
            "no-counterpart on an approved one",
            prepared(lambda c: c.approve(4), lambda c: repair(c, 4, "no-counterpart")),
            APPROVERS,
        ),
    ],
    ("api.undo_repair", "POST"): [
        (
            "undo one's own repair",
            prepared(
                lambda c: c.repaired_by(c.name or "tom"),
                lambda c: ("POST", f"/api/documents/{c.doc}/undo", None),
            ),
            EVERYONE,
        ),
        (
            "undo a reviewer's repair",
            prepared(
                lambda c: c.repaired_by("rita"),
                lambda c: ("POST", f"/api/documents/{c.doc}/undo", None),
            ),
            APPROVERS,
        ),
    ],
    ("api.bulk_approve", "POST"): [
        ("bulk approve", lambda c: ("POST", f"/api/documents/{c.doc}/bulk-approve", {}), APPROVERS)
    ],
    ("api.bulk_undo", "POST"): [("bulk undo", bulk_undo, APPROVERS)],
    ("leverage.propagate", "POST"): [("propagate", propagate, EVERYONE)],
    ("leverage.undo", "POST"): [("undo propagation", undo_propagation, EVERYONE)],
    ("terms.add_term", "POST"): [("add term", add_term, EVERYONE)],
    ("terms.decide", "POST"): [("decide candidate", decide_candidate, APPROVERS)],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("roles") / "template.db"
    connect(path).close()
    add_users(path)
    doc = import_harbour(path)
    return path, doc


def state_changing_routes(path) -> set[tuple[str, str]]:
    app = create_app(str(path), TESTING=True)
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods & STATE_CHANGING
    }


def test_every_state_changing_route_is_in_the_table(template):
    routes = state_changing_routes(template[0])
    missing = routes - TABLE.keys()
    assert not missing, f"routes with no role expectations: {sorted(missing)}"
    assert not TABLE.keys() - routes, "the table names routes that are gone"


CASES = [
    pytest.param(endpoint, name, make, expected, role, id=f"{endpoint}:{name}:{role}")
    for (endpoint, _method), cases in TABLE.items()
    for name, make, expected in cases
    for role in ROLES
]


def anonymous_client(app):
    client = app.test_client()
    client.get("/login")
    client.environ_base["HTTP_X_CSRF_TOKEN"] = session_token(client)
    return client


@pytest.mark.parametrize("endpoint, name, make, expected, role", CASES)
def test_role_gets_what_the_table_says(tmp_path, template, endpoint, name, make, expected, role):
    path = tmp_path / "w.db"
    shutil.copy(template[0], path)
    ctx = Ctx(path, template[1], segments(path, template[1]), NAMES.get(role, ""))
    method, url, body = make(ctx)
    app = create_app(str(path), TESTING=True)
    client = anonymous_client(app) if role == "anonymous" else login(app.test_client(), ctx.name)
    before = segments(path, ctx.doc)
    if isinstance(body, dict) and "__form__" in body:
        response = client.open(url, method=method, data=body["__form__"])
    else:
        response = client.open(url, method=method, json=body)
    status = response.status_code
    if role == "anonymous":
        if url.startswith("/api/"):
            assert status == 401, (status, response.get_data(as_text=True)[:200])
            assert "log in first" in response.get_json()["error"]
        else:
            assert status == 302 and "/login" in response.headers["Location"], status
        assert segments(path, ctx.doc) == before
        return
    if expected[role] == OK:
        assert 200 <= status < 400, (status, response.get_data(as_text=True)[:300])
    else:
        assert status == 403, (status, response.get_data(as_text=True)[:300])
        assert segments(path, ctx.doc) == before, "a refused request changed segments"
        if url.startswith("/api/"):  # a script is told why, in JSON
            assert response.get_json()["error"]


def test_a_translators_revert_to_an_approved_revision_does_not_approve(tmp_path, template):
    path = tmp_path / "w.db"
    shutil.copy(template[0], path)
    row = segments(path, template[1])[1]
    db = connect(path)
    approved = save_segment(
        db, row["id"], base_version=row["version"], author="rita", status="approved"
    )
    reopened = save_segment(
        db, row["id"], base_version=approved["version"], author="rita", status="draft"
    )
    db.close()
    client = login(create_app(str(path), TESTING=True).test_client(), "tom")
    response = client.post(
        f"/api/segments/{row['id']}/revert",
        json={"to_version": approved["version"], "version": reopened["version"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "translated"
    assert segments(path, template[1])[1]["status"] == "translated"
