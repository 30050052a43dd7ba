"""Forms of the People page: invite one person, import many, change a role."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import EmailInput

from .. import labels
from ..models import Role
from ..numbers import parse_id
from ..pipeline.accounts import NAME_MAX
from ..pipeline.invitations import CAPACITY_LIMITS
from ..single_line import LineField
from ..translating import lazy_gettext as _l

LANGUAGE_CHOICES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(str(role), labels.ROLE_LABELS[role]) for role in Role]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(FlaskForm):
    name = LineField(_l("Name"), validators=[DataRequired(_l("Enter a name."))], max=NAME_MAX)
    email = LineField(
        _l("Email"),
        validators=[DataRequired(_l("Enter an email."))],
        max=254,
        widget=EmailInput(),
    )
    role = SelectField(_l("Role"), choices=role_choices(), default=Role.INNOVATOR)
    agency_id = SelectField(_l("Agency (innovators)"), coerce=str, validate_choice=False)
    capacity = IntegerField(
        _l("Capacity (mentors): innovations at a time"),
        validators=[
            Optional(),
            NumberRange(
                min=CAPACITY_LIMITS[0],
                max=CAPACITY_LIMITS[1],
                message=_l("Enter a whole number from %(min)d to %(max)d."),
            ),
        ],
        render_kw={"min": CAPACITY_LIMITS[0], "max": CAPACITY_LIMITS[1], "inputmode": "numeric"},
    )
    locale = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES, default="id")
    submit = SubmitField(_l("Send invitation"))

    def __init__(self, *args, agencies: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = [
            SelectChoice("", _l("(none)")),
            *(SelectChoice(str(i), name) for i, name in agencies),
        ]

    def agency(self) -> int | None:
        """The chosen agency's id; -1 for a value no list offers (refused by the check)."""
        value = self.agency_id.data
        if not value:
            return None
        found = parse_id(value)
        return -1 if found is None else found


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"))
    submit = SubmitField(_l("Preview"))


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
    submit = SubmitField(_l("Invite everyone"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices())
    submit = SubmitField(_l("Change role"))
