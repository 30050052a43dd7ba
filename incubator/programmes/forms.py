"""Forms for creating and editing a programme."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..innovations.forms import NONE, _max, _select, _stop_if_unparsed, choices
from ..pipeline.programmes import (
    DESCRIPTION_MAX,
    NAME_MAX,
    SLUG_MAX,
    YEAR_MAX,
    YEAR_MIN,
    ProgrammeSettings,
)
from ..pipeline.zones import is_valid_zone
from ..reminders.forms import zone_choices
from ..single_line import LineField
from ..translating import lazy_gettext as _l

DATE_MESSAGE = _l("Enter a real date as YYYY-MM-DD.")
YEAR_MESSAGE = _l("Enter a year between %(min)d and %(max)d.", min=YEAR_MIN, max=YEAR_MAX)


class ProgrammeForm(FlaskForm):
    name = LineField(_l("Name"), validators=[InputRequired(_l("Enter a name."))], max=NAME_MAX)
    slug = LineField(
        _l("Web address"),
        max=SLUG_MAX,
        description=_l(
            "Lowercase letters, digits and hyphens, used in links. Left empty, it is made "
            "from the name."
        ),
    )
    cohort_year = IntegerField(
        _l("Cohort year"),
        validators=[Optional(), _stop_if_unparsed, NumberRange(YEAR_MIN, YEAR_MAX, YEAR_MESSAGE)],
        invalid_value_message=YEAR_MESSAGE,
    )
    description = TextAreaField(_l("Description"), validators=[_max(DESCRIPTION_MAX)])
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    starts_on = DateField(
        _l("Start date"), validators=[Optional()], invalid_value_message=DATE_MESSAGE
    )
    ends_on = DateField(_l("End date"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)
    region_id = _select(_l("Province"))

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
        self.region_id.choices = choices(provinces, none_label=_l("No province"))

    def validate_timezone(self, field):
        if not is_valid_zone(field.data):
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise ValidationError(_l("The end date must be after the start date."))

    def settings(self) -> ProgrammeSettings:
        return ProgrammeSettings(
            name=self.name.data or "",
            slug=self.slug.data or "",
            cohort_year=self.cohort_year.data,
            description=self.description.data or "",
            timezone=self.timezone.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            region_id=self.region_id.data or None,
        )


class NewProgrammeForm(ProgrammeForm):
    copy_from = _select(_l("Start with"))
    carry_over = BooleanField(
        _l("Move the unfinished innovations of that programme into this one"),
        description=_l(
            "Active and on-hold innovations move with their stage, milestones, progress, "
            "feedback, mentors and history; their people join this programme in the same "
            "role. Finished and dropped innovations stay in the old programme, which you "
            "can archive."
        ),
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.copy_from.choices = choices(
            ((p.id, _l("Copy the settings of “%(name)s”", name=p.name)) for p in sources),
            none_label=_l("The default milestone templates"),
        )

    def validate_carry_over(self, field):
        if field.data and self.copy_from.data == NONE:
            raise ValidationError(_l("Choose the programme whose innovations move on."))
