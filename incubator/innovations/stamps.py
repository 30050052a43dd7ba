"""The progress form's HTML, rendered by WTForms once per language and stamped per
milestone (issue 14): a bound `ProgressForm` costs more than the rest of a milestone's
item, and a blank one looks the same for every milestone but for its id, its progress
and the request's CSRF token. A post is still validated by a real `ProgressForm`, and a
refused one is shown with the bound form and its errors."""

from flask import current_app
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .forms import ProgressForm

ID = "{MID}"  # neither the CSRF token (base64url and ".") nor a label holds braces
PROGRESS = "{PROGRESS}"
TOKEN = "{TOKEN}"  # noqa: S105 (a placeholder for the request's CSRF token)
LABEL = {"class": "form-label small mb-0"}

# (language, CSRF on) -> the fields' HTML with the placeholders above. Only what
# ProgressForm and the translations decide, so it holds for the life of the process.
_rendered: dict[tuple[str, bool], dict] = {}


def _render(csrf: bool) -> dict:
    form = ProgressForm(formdata=None, prefix=f"m{ID}")
    form.progress.raw_data = [PROGRESS]
    hidden = form.hidden_tag()
    if csrf:
        hidden = hidden.replace(form.csrf_token.current_token, TOKEN)
    return {
        "hidden": hidden,
        "progress": form.progress.label(**LABEL)
        + form.progress(
            class_="form-control",
            type="number",
            min="0",
            max="100",
            step="1",
            inputmode="numeric",
        ),
        "note": form.note.label(**LABEL)
        + form.note(class_="form-control", rows="1", data_maxlength="2000"),
        "evidence_url": form.evidence_url.label(**LABEL)
        + form.evidence_url(class_="form-control", placeholder="https://"),
        "evidence_file": form.evidence_file.label(**LABEL)
        + form.evidence_file(class_="form-control"),
        "save": str(form.submit.label.text),
    }


class ProgressStamps:
    """A blank progress form for any milestone, in the request's language and with its
    CSRF token; the templates take it where they take a `ProgressForm` (`stamped`)."""

    stamped = True
    errors: dict = {}
    form_errors: list = []

    def __init__(self):
        csrf = current_app.config.get("WTF_CSRF_ENABLED", True)
        key = (str(get_locale()), csrf)
        if key not in _rendered:
            _rendered[key] = _render(csrf)
        self.parts = _rendered[key]
        self.token = generate_csrf() if csrf else ""
        self.save = self.parts["save"]

    def stamp(self, part: str, milestone) -> Markup:
        """The part's HTML for `milestone` (Markup: replacing digits in it keeps it Markup)."""
        html = self.parts[part].replace(ID, str(milestone.id))
        html = html.replace(PROGRESS, str(milestone.progress))
        return html.replace(TOKEN, self.token) if part == "hidden" else html
