"""Login, the first-run setup page, CSRF protection and role checks.

Browsers authenticate with a signed session cookie (HttpOnly, SameSite=Lax) and
must echo a per-session CSRF token on every state-changing request, in a form
field or the ``X-CSRF-Token`` header. Scripts send ``Authorization: Bearer
TOKEN`` instead; a bearer token is never sent by a browser on its own, so those
requests need no CSRF token.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from workbench.review import permissions, users
from workbench.web.database import get_db
from workbench.web.throttle import LoginThrottle
from workbench.web.throttle import keys as throttle_keys

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "auth.setup", "static"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def wants_json() -> bool:
    return request.path.startswith("/api/")


def deny(status: int, message: str):
    if wants_json():
        return jsonify({"error": message}), status
    return render_template("message.html", title="Not allowed", message=message), status


def authenticate():
    """Before every request: who is asking, and is a state change really theirs."""
    g.user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user = users.by_token(get_db(), header[7:].strip())
        if g.user is None:
            return deny(401, "invalid API token; make one with `workbench users token NAME`")
        return None
    if "uid" in session:
        g.user = users.by_id(get_db(), session["uid"])
        if g.user is None:
            session.clear()
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            return deny(403, "missing or invalid CSRF token: reload the page and try again")
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if wants_json():
            return deny(401, "log in first, or send Authorization: Bearer TOKEN")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def template_globals() -> dict:
    return {
        "csrf_token": csrf_token,
        "current_user": g.get("user"),
        "can": lambda permission: users.can(g.get("user"), permission),
    }


def require(permission: str):
    """Refuse the view with 403 unless the user's role grants ``permission``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            try:
                permissions.require(g.user, permission)
            except permissions.Forbidden as refused:
                return deny(403, str(refused))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def is_local() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form cannot be an open redirect."""
    if (
        not target
        or urlsplit(target).netloc
        or not target.startswith("/")
        or "//" in target[:2]
        or "\\" in target  # browsers read "/\\host" as "//host"
        or any(ord(c) < 32 for c in target)
    ):
        return url_for("views.index")
    return target


def log_in(user: dict) -> None:
    session.clear()
    session["uid"] = user["id"]
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
def login():
    db = get_db()
    if users.count(db) == 0:
        if is_local():
            return redirect(url_for("auth.setup"))
        return render_template("login.html", no_users=True)
    if request.method == "POST":
        name = request.form.get("name", "")
        throttle: LoginThrottle = current_app.extensions["workbench.throttle"]
        attempt = throttle_keys(name, request.remote_addr)
        wait = throttle.attempt(db, attempt)  # counted before the password is checked
        if wait:
            unit = "second" if wait == 1 else "seconds"
            flash(f"Too many failed logins: try again in {wait} {unit}.")
            page = render_template("login.html", name=name)
            return page, 429, {"Retry-After": str(wait)}
        user = users.authenticate(db, name, request.form.get("password", ""))
        if user:
            throttle.succeeded(db, attempt)
            log_in(user)
            return redirect(safe_next(request.args.get("next")))
        flash("Wrong name or password.")
        return render_template("login.html", name=name), 401
    return render_template("login.html")


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """First run only, and only from this machine: create the first administrator."""
    db = get_db()
    if users.count(db) > 0:
        return redirect(url_for("auth.login"))
    if not is_local():
        abort(403)
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("confirm", ""):
            error = "the two passwords differ"
        else:
            try:
                user = users.add(db, request.form.get("name", ""), "admin", password)
            except users.UserError as problem:
                error = str(problem)
            else:
                log_in(user)
                current_app.logger.info("created the first administrator %s", user["name"])
                return redirect(url_for("views.index"))
    return render_template("setup.html", error=error), 400 if error else 200


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("auth.login"))
