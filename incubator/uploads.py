"""The one place that lets a route take a request larger than MAX_CONTENT_LENGTH.

The general limit (2 MB) stays for every route. A view marked `@accepts_upload` may take
MAX_UPLOAD_MB per file (plus room for the form's other fields). The limit has to be known
before anything reads the body, and the CSRF check reads it before the view runs, so the
request class asks the matched route.
"""

from pathlib import Path

from flask import current_app
from htmx_flask.requests import HtmxAwareRequest

FORM_OVERHEAD = 256 * 1024


def accepts_upload(view):
    view.accepts_upload = True
    return view


def upload_limit() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


class IncubatorRequest(HtmxAwareRequest):
    _upload_limit_set: int | None = None

    @property
    def max_content_length(self) -> int | None:
        if self._upload_limit_set is not None:
            return self._upload_limit_set
        rule = self.url_rule
        if rule is not None:
            view = current_app.view_functions.get(rule.endpoint)
            if getattr(view, "accepts_upload", False):
                return upload_limit() + FORM_OVERHEAD
        return current_app.config["MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._upload_limit_set = value
