"""Bad input is the client's error, said in JSON on the API: never an HTML 500.

Input that gets past the views' own checks still fails in a known way: a
number SQLite cannot store (ids or versions of 2^63 and more: OverflowError),
text that is not Unicode (a lone surrogate from JSON's ``\\ud800``:
UnicodeEncodeError) or JSON nested too deep for the parser (RecursionError).
Those are 400s with a message. Anything else on the API is a JSON 500 with a
line for the log, so a script never has to parse an HTML error page.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

#: Limits every API request is held to (the views check them; see SECURITY.md).
MAX_QUERY_CHARS = 1000
#: A target may be this many times as long as its source (Chinese to English
#: roughly doubles the characters; 8 leaves room for notes and markup) ...
TARGET_PER_SOURCE = 8
#: ... or this long, whichever is more (short sources: headings, numbers).
MIN_TARGET_LIMIT = 2000

CLIENT_ERRORS: dict[type[BaseException], str] = {
    OverflowError: "a number in the request is too large (ids and versions are below 2^63)",
    UnicodeEncodeError: "the text is not valid Unicode (it holds a lone surrogate)",
    RecursionError: "the JSON is nested too deeply",
}


def target_limit(source: str | None) -> int:
    return max(MIN_TARGET_LIMIT, TARGET_PER_SOURCE * len(source or ""))


def valid_text(text: str) -> bool:
    """False for strings that cannot be stored as UTF-8 (lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reply(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), status
    title = "Bad request" if status < 500 else "Error"
    return render_template("message.html", title=title, message=message), status


def register(app: Flask) -> None:
    for kind, message in CLIENT_ERRORS.items():
        app.register_error_handler(kind, lambda _error, message=message: _reply(400, message))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            if request.path.startswith("/api/"):
                return jsonify({"error": error.description}), error.code
            return error
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return _reply(500, "the server failed on this request; the log says why")
