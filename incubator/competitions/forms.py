"""Forms of the competitions feature: templates, the programme's choice, entry details."""

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..labels import DOCUMENT_KIND_LABELS
from ..models import DocumentKind, PrefillSource
from ..numbers import ID_MAX, IdField, WholeNumberField, parse_int
from ..pipeline.competitions import NAME_MAX, SECTION_TEXT_MAX
from ..pipeline.rules import LONG_TEXT_MAX, URL_MAX, is_http_url
from ..single_line import LineField
from ..translating import lazy_gettext as _l

DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)
BAD_DATE = _l("Enter a real date as YYYY-MM-DD.")

PREFILL_LABELS = {
    PrefillSource.SUMMARY: _l("The innovation's summary"),
    PrefillSource.PROBLEM: _l("The problem it addresses"),
    PrefillSource.RESULTS: _l("Its results"),
    PrefillSource.MILESTONES_DONE: _l("Milestones done"),
    PrefillSource.REGULATIONS: _l("Regulation documents"),
}


def _stop_if_unparsed(form, field):
    if field.process_errors:
        raise StopValidation()


def _date_range(form, field):
    if field.data and not DATE_MIN <= field.data <= DATE_MAX:
        raise ValidationError(
            _l("Choose a date between %(min)s and %(max)s.", min=DATE_MIN, max=DATE_MAX)
        )


def _http_url(form, field):
    if field.data and not is_http_url(field.data.strip()):
        raise ValidationError(_l("Enter the video's address, starting with http:// or https://."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SectionRowForm(Form):
    """One section of a template (a row of the template form)."""

    id = HiddenField()
    title_id = LineField(_l("Title (Indonesian)"), max=NAME_MAX)
    title_en = LineField(_l("Title (English)"), max=NAME_MAX)
    question_id = TextAreaField(
        _l("Guiding question (Indonesian)"), validators=[Length(max=LONG_TEXT_MAX)]
    )
    question_en = TextAreaField(
        _l("Guiding question (English)"), validators=[Length(max=LONG_TEXT_MAX)]
    )
    word_limit = WholeNumberField(
        _l("Word limit"), validators=[Optional()], low=1, high=SECTION_TEXT_MAX
    )
    weight = WholeNumberField(_l("Weight (%)"), validators=[Optional()], low=0, high=100)
    expects_documents = BooleanField(_l("Supporting documents expected"))
    prefill = SelectField(
        _l("Start from"),
        choices=[SelectChoice("", _l("Nothing"))]
        + [SelectChoice(str(k), v) for k, v in PREFILL_LABELS.items()],
        default="",
        validate_choice=False,
    )
    remove = BooleanField(_l("Remove this section"))


class TemplateForm(FlaskForm):
    name = LineField(
        _l("Name"), validators=[InputRequired(_l("Give the competition a name."))], max=NAME_MAX
    )
    year = WholeNumberField(
        _l("Year"), validators=[InputRequired(_l("Enter the year."))], low=2000, high=2100
    )
    closing_date = DateField(
        _l("Closing date"),
        validators=[InputRequired(_l("Choose the closing date.")), _stop_if_unparsed, _date_range],
        invalid_value_message=BAD_DATE,
        description=_l("Entries close at the end of this day, in each programme's time zone."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=LONG_TEXT_MAX)])
    min_implementation_months = WholeNumberField(
        _l("Minimum implementation (months)"),
        validators=[InputRequired(_l("Enter a number of months, 0 or more."))],
        low=0,
        high=600,
        description=_l("How long the innovation must have run by the closing date; 0 for none."),
    )
    requires_video = BooleanField(_l("A video link is required"))
    required_kinds = MultiCheckboxField(
        _l("Documents required"),
        choices=[SelectChoice(str(k), v) for k, v in DOCUMENT_KIND_LABELS.items()],
        validate_choice=False,
    )
    sections = FieldList(FormField(SectionRowForm), min_entries=1, max_entries=40)
    submit = SubmitField(_l("Save competition"))


def _id_choice(value) -> int:
    """A posted id (0: none). A number no id column can hold is not a choice: PostgreSQL
    would refuse to look it up ("integer out of range", a 500)."""
    number = parse_int(str(value), low=0, high=ID_MAX)
    if number is None:
        raise ValueError(value)
    return number


class ProgrammeCompetitionsForm(FlaskForm):
    competitions = MultiCheckboxField(
        _l("Competitions this programme's innovations may enter"),
        coerce=_id_choice,
        validate_choice=False,
    )
    submit = SubmitField(_l("Save choice"))


class OpenEntryForm(FlaskForm):
    competition_id = IdField(
        _l("Competition"), validators=[InputRequired(_l("Choose a competition."))]
    )
    submit = SubmitField(_l("Open an entry"))


class SectionTextForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[Length(max=SECTION_TEXT_MAX)])
    version = WholeNumberField(validators=[InputRequired()], low=0, high=2**31 - 1)


class DetailsForm(FlaskForm):
    video_url = LineField(
        _l("Video link"),
        validators=[Optional(), _http_url],
        max=URL_MAX,
        description=_l("At most three minutes, published online (e.g. YouTube)."),
    )
    implementation_started_on = DateField(
        _l("Implementation started on"),
        validators=[Optional(), _stop_if_unparsed, _date_range],
        invalid_value_message=BAD_DATE,
        description=_l(
            "Only if it began before the innovation entered Development here; back it with a"
            " document."
        ),
    )
    implementation_document_id = SelectField(
        _l("Document showing the start"), coerce=_id_choice, default=0, validate_choice=False
    )
    submit = SubmitField(_l("Save details"))


class LinkDocumentForm(FlaskForm):
    document_id = SelectField(
        _l("Supporting document"), coerce=_id_choice, default=0, validate_choice=False
    )
    submit = SubmitField(_l("Link"))


class EntryUploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[InputRequired(_l("Choose a file to upload."))])
    kind = SelectField(
        _l("Kind of document"),
        choices=[SelectChoice(str(k), v) for k, v in DOCUMENT_KIND_LABELS.items()],
        default=DocumentKind.TEAM_DECREE.value,
    )
    submit = SubmitField(_l("Upload"))
