"""Security headers on every response.

The pages load only the app's own scripts and styles (``static/``); nothing
may frame them (another page framing the editor could trick a click on
Approve), browsers must not guess content types, and the Referer never leaves
the site. Inline ``style`` attributes (the progress bars' widths) are the one
inline thing allowed: they cannot run code. Inline ``<script>``, ``<style>``
and event-handler attributes are not.
"""

from __future__ import annotations

from flask import Flask, Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register(app: Flask) -> None:
    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
