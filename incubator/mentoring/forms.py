"""Forms for mentors, feedback and rapid assessments; every text has a limit.

WTForms ships no Indonesian messages, so every message here is our own and
goes through gettext; fields that parse numbers do it themselves for the same reason.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import SearchInput

from ..models import ASSESSMENT_CRITERIA
from ..numbers import parse_id, parse_int
from ..pipeline.assessments import NOTE_MAX, SCORE_MAX, SCORE_MIN
from ..pipeline.feedback import FEEDBACK_MAX
from ..single_line import LineField
from ..translating import lazy_gettext as _l
from .labels import CRITERION_LABELS

SEARCH_MAX = 100


def _too_long(limit: int):
    return Length(max=limit, message=_l("Keep it under %(max)d characters.", max=limit))


class IdField(HiddenField):
    """An object id; anything that is not a small positive integer becomes None."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = parse_id(raw)

    def pre_validate(self, form):
        if self.data is None:
            raise StopValidation(_l("Choose a mentor of this programme."))


class ScoreField(RadioField):
    """A score from 1 to 5, chosen with radio buttons."""

    def __init__(self, label=None, **kwargs):
        choices = [SelectChoice(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        super().__init__(label, choices=choices, coerce=int, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = parse_int(raw, low=SCORE_MIN, high=SCORE_MAX)

    def pre_validate(self, form):
        if self.data is None or not SCORE_MIN <= self.data <= SCORE_MAX:
            raise StopValidation(
                _l("Choose a score from %(min)d to %(max)d.", min=SCORE_MIN, max=SCORE_MAX)
            )


class FeedbackForm(FlaskForm):
    body = TextAreaField(
        _l("Feedback"),
        validators=[DataRequired(_l("Write something first.")), _too_long(FEEDBACK_MAX)],
        description=_l("Markdown: **bold**, *italic*, lists and links."),
    )
    # Where a browser without JavaScript returns after posting (a local path only).
    next = HiddenField()
    submit = SubmitField(_l("Send feedback"))


class ReplyForm(FeedbackForm):
    body = TextAreaField(
        _l("Reply"),
        validators=[DataRequired(_l("Write something first.")), _too_long(FEEDBACK_MAX)],
    )
    submit = SubmitField(_l("Send reply"))


class EditFeedbackForm(FeedbackForm):
    submit = SubmitField(_l("Save changes"))


class MentorSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    q = LineField(_l("Search mentors by name"), max=SEARCH_MAX, widget=SearchInput())


class AssignMentorForm(FlaskForm):
    mentor_id = IdField()
    confirm = BooleanField(_l("Assign even though this mentor is at or over capacity"))
    submit = SubmitField(_l("Assign"))


class UnassignMentorForm(FlaskForm):
    submit = SubmitField(_l("Unassign"))


class RapidAssessmentForm(FlaskForm):
    submit = SubmitField(_l("Save assessment"))

    def criteria(self):
        """(criterion, score field, note field) in the order of the five criteria."""
        return [(c, self[c], self[f"{c}_note"]) for c in ASSESSMENT_CRITERIA]


for _criterion in ASSESSMENT_CRITERIA:
    setattr(RapidAssessmentForm, _criterion, ScoreField(CRITERION_LABELS[_criterion]))
    setattr(
        RapidAssessmentForm,
        f"{_criterion}_note",
        TextAreaField(_l("Note"), validators=[_too_long(NOTE_MAX)]),
    )
