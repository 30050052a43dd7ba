"""The form side of the single-line rule (titles, names, emails, searches).

Every one-line text field of every form is a `LineField`: trimmed on the way in,
then checked by the domain's rule (pipeline.rules.line_problem) and its length
limit, so a form and an operation can never disagree.
"""

from wtforms import StringField
from wtforms.validators import StopValidation

from .pipeline.rules import line_problem, trim_line
from .translating import lazy_gettext as _l


def trim(value):
    return trim_line(value) if isinstance(value, str) else value


class SingleLine:
    """Validator: one line of visible text, at most `max` characters once trimmed."""

    def __init__(self, max: int):  # noqa: A002
        self.max = max
        self.field_flags = {"maxlength": max}  # the input's maxlength attribute

    def __call__(self, form, field):
        sent = field.raw_data[0] if field.raw_data and isinstance(field.raw_data[0], str) else ""
        problem = line_problem(sent)  # as sent: "\u200b" alone is trimmed to nothing
        if problem is not None:
            raise StopValidation(problem)  # the one message; "enter a name" would mislead
        if len(field.data or "") > self.max:
            raise StopValidation(_l("Use at most %(max)d characters.", max=self.max))


class LineField(StringField):
    """A single line of text (give `widget=EmailInput()` etc. for another input type)."""

    def __init__(self, label=None, validators=None, *, max: int, filters=(), **kwargs):  # noqa: A002
        super().__init__(
            label,
            [SingleLine(max), *(validators or [])],  # first: it judges the text as sent
            filters=[trim, *filters],
            **kwargs,
        )
