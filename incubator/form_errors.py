"""A rule the domain refused, shown on the form: the one helper every view uses."""

from flask_wtf import FlaskForm

from .extensions import db
from .pipeline import DomainError


def show_domain_error(form: FlaskForm, error: DomainError, default: str | None = None) -> int:
    """Undo the failed operation and put its message next to its field: the error's own
    field if the form has it, else `default`, else the form's general errors. Returns the
    error's status code (422 unless the rule says otherwise)."""
    db.session.rollback()
    field = _field(form, error.field) or _field(form, default)
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
    return error.status_code


def _field(form: FlaskForm, name: str | None):
    field = form._fields.get(name) if name else None
    return field if field is not None and hasattr(field, "errors") else None
