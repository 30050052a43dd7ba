"""Security headers on every response: what flask-talisman would send, in one page.

The Content-Security-Policy allows scripts from this site only: no inline script,
no inline event handler, no eval (htmx runs with `allowEval: false`, see base.html).
Inline `style` attributes (progress bars' widths) stay allowed under `style-src`.
Nobody may frame a page (the board's move and state forms). Pages whose URL carries
a token (unsubscribe, invitation, password reset) send no Referer at all.
HSTS only where INCUBATOR_ENV is not development or testing (config `HSTS`).
"""

from collections.abc import Callable

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",  # Bootstrap draws its icons as data: SVG
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


def token_in_url(view: Callable) -> Callable:
    """Mark a view whose URL carries a secret: its pages send `Referrer-Policy: no-referrer`."""
    view.token_in_url = True
    return view


def _set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Content-Type-Options"] = "nosniff"
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, "token_in_url", False):
        headers["Referrer-Policy"] = "no-referrer"
    else:
        headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register(app: Flask) -> None:
    app.after_request(_set_headers)
