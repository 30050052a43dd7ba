"""Forms of the board: moving a card, and the programme's WIP limits."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ..models import Stage
from ..numbers import INT_MAX, IdField, WholeNumberField
from ..pipeline.stages import REASON_MAX, WIP_LIMIT_MAX
from ..translating import lazy_gettext as _l


class MoveForm(FlaskForm):
    """Used by the Move dialog and by drag-and-drop (which fills the hidden fields)."""

    # Any value is accepted here; the operation names a bad stage next to this field.
    stage = SelectField(_l("Move to"), choices=[s.value for s in Stage], validate_choice=False)
    position = IntegerField(
        _l("Position in the column (1 = top)"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Choose a position of 1 or more.")),
        ],
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed to move a card back, or forward past unfinished milestones."),
        validators=[
            Length(max=REASON_MAX, message=_l("Keep the reason under %(max)d characters.")),
        ],
    )
    version = WholeNumberField(
        widget=HiddenInput(), validators=[InputRequired()], low=0, high=INT_MAX
    )
    after_id = IdField(widget=HiddenInput(), validators=[Optional()])
    before_id = IdField(widget=HiddenInput(), validators=[Optional()])
    # The column the card was in when the user moved it, to redraw it on a conflict.
    from_stage = HiddenField()


def _limit_field(stage: Stage):
    from ..labels import STAGE_LABELS

    return IntegerField(
        STAGE_LABELS[stage],
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=WIP_LIMIT_MAX,
                message=_l("Use a number between %(min)d and %(max)d."),
            ),
        ],
    )


class WipLimitsForm(FlaskForm):
    """Empty means no limit for that column."""

    creation = _limit_field(Stage.CREATION)
    development = _limit_field(Stage.DEVELOPMENT)
    institutionalisation = _limit_field(Stage.INSTITUTIONALISATION)
