"""Forms for innovations, milestones, progress and milestone templates.

Every text field has a limit, dates and numbers have our own (translated)
messages, links must be http(s). The operations check the same rules again.
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput, URLInput

from ..labels import CATEGORY_LABELS, SPM_LABELS, STAGE_LABELS, sdg_label
from ..models import SDG_GOALS, Category, InnovationState, SpmSector, Stage
from ..numbers import INT_MAX, WholeNumberField
from ..pipeline.milestones import DUE_DATE_MAX, DUE_DATE_MIN
from ..pipeline.rules import LINKS_MAX, LONG_TEXT_MAX, NOTE_MAX, TITLE_MAX, URL_MAX, is_http_url
from ..pipeline.templates import OFFSET_MAX
from ..single_line import LineField
from ..translating import lazy_gettext as _l

NONE = 0  # the "nobody / nothing" choice of optional selects


def _max(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def _stop_if_unparsed(form, field):
    """The field's own parse error is enough; skip range checks on nothing."""
    if field.process_errors:
        raise StopValidation()


def _http_url(form, field):
    if field.data and not is_http_url(field.data.strip()):
        raise ValidationError(_l("Enter a link starting with http:// or https://."))


def _link_lines(form, field):
    lines = split_lines(field.data)
    if len(lines) > LINKS_MAX:
        raise ValidationError(_l("Add at most %(max)d links.", max=LINKS_MAX))
    for line in lines:
        if not is_http_url(line):
            raise ValidationError(_l("Each line must be a link starting with http:// or https://."))


def _due_range(form, field):
    if field.data and not DUE_DATE_MIN <= field.data <= DUE_DATE_MAX:
        raise ValidationError(
            _l("Choose a date between %(min)s and %(max)s.", min=DUE_DATE_MIN, max=DUE_DATE_MAX)
        )


def split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _optional_id(value):
    return value or None


NOT_A_CHOICE = _l("Choose one of the options.")
NOT_A_NUMBER = _l("Enter a whole number.")


def _select(label, **kwargs) -> SelectField:
    return SelectField(
        label,
        coerce=int,
        default=NONE,  # not sent means "nothing chosen"
        invalid_choice_message=NOT_A_CHOICE,
        invalid_value_message=NOT_A_CHOICE,
        **kwargs,
    )


def choices(options, none_label=None) -> list[SelectChoice]:
    """Select options from (value, label) rows, after an optional "nothing" option."""
    rows = [SelectChoice(NONE, none_label)] if none_label is not None else []
    return rows + [SelectChoice(value, label) for value, label in options]


def stage_choices():
    return choices((stage.value, STAGE_LABELS[stage]) for stage in Stage)


class InnovationForm(FlaskForm):
    title = LineField(_l("Title"), validators=[InputRequired(_l("Enter a title."))], max=TITLE_MAX)
    summary = TextAreaField(_l("Summary"), validators=[_max(LONG_TEXT_MAX)])
    problem = TextAreaField(_l("Problem addressed"), validators=[_max(LONG_TEXT_MAX)])
    results = TextAreaField(
        _l("Results"),
        validators=[_max(LONG_TEXT_MAX)],
        description=_l(
            "What changed, with numbers (e.g. waiting time down from 3 hours to 40 minutes)."
        ),
    )
    agency_id = _select(_l("Agency"))
    owner_id = _select(_l("Owner"))
    team = SelectMultipleField(
        _l("Team members"),
        coerce=int,
        invalid_choice_message=NOT_A_CHOICE,
        invalid_value_message=NOT_A_CHOICE,
        description=_l("The owner is always on the team."),
    )
    category = SelectField(
        _l("Category"),
        choices=choices((c.value, CATEGORY_LABELS[c]) for c in Category),
        default=Category.PUBLIC_SERVICE.value,
        invalid_choice_message=NOT_A_CHOICE,
    )
    spm_sector = SelectField(
        _l("SPM sector"),
        choices=lambda: (
            [SelectChoice("", _l("Not chosen"))]
            + [SelectChoice(s.value, SPM_LABELS[s]) for s in SpmSector]
        ),
        default="",
        invalid_choice_message=NOT_A_CHOICE,
        description=_l("The minimum-service (SPM) sector the innovation serves."),
    )
    sdgs = SelectMultipleField(
        _l("SDG goals"),
        coerce=int,
        choices=lambda: [SelectChoice(goal, sdg_label(goal)) for goal in SDG_GOALS],
        invalid_choice_message=NOT_A_CHOICE,
        invalid_value_message=NOT_A_CHOICE,
    )
    is_digital = BooleanField(_l("Digital innovation"))
    replicates_id = _select(_l("Replicates"))
    links = TextAreaField(
        _l("Links"),
        description=_l("One link per line (http:// or https://), at most %(max)d.", max=LINKS_MAX),
        validators=[_max(LINKS_MAX * (URL_MAX + 2)), _link_lines],
    )
    version = WholeNumberField(widget=HiddenInput(), validators=[Optional()], low=0, high=INT_MAX)
    submit = SubmitField(_l("Save"))

    def profile_data(self) -> dict:
        data = {
            "title": self.title.data,
            "summary": self.summary.data,
            "problem": self.problem.data,
            "results": self.results.data,
            "category": self.category.data,
            "is_digital": self.is_digital.data,
            "spm_sector": self.spm_sector.data or None,
            "sdgs": self.sdgs.data or [],
            "links": split_lines(self.links.data),
            "agency_id": _optional_id(self.agency_id.data),
            "replicates_id": _optional_id(self.replicates_id.data),
        }
        if self.owner_id is not None:
            data["owner_id"] = _optional_id(self.owner_id.data)
        return data

    def expected_version(self) -> int | None:
        return self.version.data


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the proposal declined?"),
        validators=[InputRequired(_l("Say why the proposal is declined.")), _max(NOTE_MAX)],
    )
    submit = SubmitField(_l("Decline proposal"))


class StateForm(FlaskForm):
    state = HiddenField(
        validators=[
            AnyOf(
                [InnovationState.ACTIVE, InnovationState.ON_HOLD, InnovationState.DROPPED],
                message=NOT_A_CHOICE,
            )
        ]
    )
    reason = TextAreaField(_l("Reason"), validators=[_max(NOTE_MAX)])


class MilestoneForm(FlaskForm):
    title = LineField(_l("Title"), validators=[InputRequired(_l("Enter a title."))], max=TITLE_MAX)
    description = TextAreaField(_l("Description"), validators=[_max(LONG_TEXT_MAX)])
    stage = SelectField(_l("Stage"), choices=stage_choices, invalid_choice_message=NOT_A_CHOICE)
    due_date = DateField(
        _l("Due date"),
        validators=[InputRequired(_l("Choose a due date.")), _stop_if_unparsed, _due_range],
        invalid_value_message=_l("Enter a real date as YYYY-MM-DD."),
    )
    owner_id = _select(_l("Owner"))
    required = BooleanField(_l("Required to pass the stage gate"))
    submit = SubmitField(_l("Save milestone"))

    def milestone_data(self) -> dict:
        return {
            "title": self.title.data,
            "description": self.description.data,
            "stage": self.stage.data,
            "due_date": self.due_date.data,
            "owner_id": _optional_id(self.owner_id.data),
            "required": self.required.data,
        }


class DueDateRequestForm(FlaskForm):
    """Ask a coordinator for a new due date on a required milestone."""

    due_date = DateField(
        _l("New due date"),
        validators=[InputRequired(_l("Choose a due date.")), _stop_if_unparsed, _due_range],
        invalid_value_message=_l("Enter a real date as YYYY-MM-DD."),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(_l("Say why the date should move.")), _max(NOTE_MAX)],
    )
    submit = SubmitField(_l("Ask for this date"))


class DueDateDecisionForm(FlaskForm):
    decision = SelectField(
        choices=[SelectChoice("approve", "approve"), SelectChoice("decline", "decline")],
        invalid_choice_message=NOT_A_CHOICE,
    )


class ProgressForm(FlaskForm):
    progress = IntegerField(
        _l("Progress (%)"),
        validators=[
            InputRequired(_l("Enter the progress from 0 to 100.")),
            _stop_if_unparsed,
            NumberRange(min=0, max=100, message=_l("Enter a whole number from 0 to 100.")),
        ],
        invalid_value_message=_l("Enter a whole number from 0 to 100."),
    )
    note = TextAreaField(_l("Note"), validators=[_max(NOTE_MAX)])
    evidence_url = LineField(
        _l("Evidence link"), validators=[Optional(), _http_url], max=URL_MAX, widget=URLInput()
    )
    # Offered on the milestone's page; the file becomes one of the milestone's documents.
    evidence_file = FileField(_l("Evidence file"))
    submit = SubmitField(_l("Save progress"))

    def progress_data(self) -> dict:
        return {
            "progress": self.progress.data,
            "note": self.note.data or "",
            "evidence_url": (self.evidence_url.data or "").strip() or None,
        }


class TemplateForm(FlaskForm):
    stage = SelectField(_l("Stage"), choices=stage_choices, invalid_choice_message=NOT_A_CHOICE)
    title = LineField(_l("Title"), validators=[InputRequired(_l("Enter a title."))], max=TITLE_MAX)
    description = TextAreaField(_l("Description"), validators=[_max(NOTE_MAX)])
    offset_days = IntegerField(
        _l("Due after (days in stage)"),
        default=30,
        validators=[
            InputRequired(_l("Enter a number of days.")),
            _stop_if_unparsed,
            NumberRange(
                min=0,
                max=OFFSET_MAX,
                message=_l("Enter a whole number from 0 to %(max)d.", max=OFFSET_MAX),
            ),
        ],
        invalid_value_message=NOT_A_NUMBER,
    )
    required = BooleanField(_l("Required to pass the stage gate"), default=True)
    submit = SubmitField(_l("Save template"))

    def template_data(self) -> dict:
        return {
            "stage": self.stage.data,
            "title": self.title.data,
            "description": self.description.data,
            "offset_days": self.offset_days.data,
            "required": self.required.data,
        }
