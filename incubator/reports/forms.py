"""The dashboard's one setting: after how many days an innovation counts as stalled."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from ..translating import lazy_gettext as _l

STALL_DAYS_MAX = 365


class StallDaysForm(FlaskForm):
    stall_days = IntegerField(
        _l("Stalled after (days)"),
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(
                min=1,
                max=STALL_DAYS_MAX,
                message=_l("Enter a number from 1 to %(max)d.", max=STALL_DAYS_MAX),
            ),
        ],
        description=_l("No progress update and no move for this many days."),
    )
    submit = SubmitField(_l("Save"))
