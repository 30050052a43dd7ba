"""Forms: a programme's reminder rule, and a user's notification settings."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..pipeline.reminder_rules import ALL_KINDS, is_kind
from ..pipeline.reminders import LIMITS, editable_fields
from ..pipeline.zones import INDONESIAN_ZONES, all_zones, is_valid_zone
from ..translating import lazy_gettext as _l
from .rules import KIND_LABELS, WEEKDAY_LABELS

NUMBER_MESSAGE = _l("Enter a whole number from %(min)d to %(max)d.")


def _number(label, name):
    low, high = LIMITS[name]
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=low, max=high, message=NUMBER_MESSAGE),
        ],
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class RuleForm(FlaskForm):
    """One rule; fields that do not apply to its kind are removed."""

    enabled = BooleanField(_l("On"))
    offset_days = _number(_l("Days"), "offset_days")
    repeat_every_days = _number(_l("Repeat every (days)"), "repeat_every_days")
    max_repeats = _number(_l("At most (times)"), "max_repeats")
    weekday = SelectField(
        _l("Day"),
        coerce=int,
        choices=[SelectChoice(i, label) for i, label in enumerate(WEEKDAY_LABELS)],
    )
    send_hour = SelectField(
        _l("Time"), coerce=int, choices=[SelectChoice(h, f"{h:02d}:00") for h in range(24)]
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, kind: str, *args, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        keep = set(editable_fields(kind))
        for name in ("offset_days", "repeat_every_days", "max_repeats", "weekday", "send_hour"):
            if name not in keep:
                del self[name]
        if "offset_days" in keep:
            self.offset_days.label.text = (
                _l("Days after the due date")
                if kind == "overdue"
                else _l("Days before the due date")
            )

    def values(self) -> dict:
        return {name: self[name].data for name in editable_fields(self.kind)}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def zone_choices(default_zone: str | None = None) -> list[SelectChoice]:
    """WIB, WITA and WIT first, then every IANA zone; with `default_zone`, a first
    "programme default" choice whose value is empty."""
    indonesia, others = str(_l("Indonesia")), str(_l("Other time zones"))
    default = []
    if default_zone is not None:
        default = [SelectChoice("", str(_l("Programme default (%(zone)s)", zone=default_zone)))]
    return [
        *default,
        *(SelectChoice(z, str(label), optgroup=indonesia) for z, label in INDONESIAN_ZONES.items()),
        *(SelectChoice(z, optgroup=others) for z in all_zones() if z not in INDONESIAN_ZONES),
    ]


class NotificationsForm(FlaskForm):
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    kinds = MultiCheckboxField(
        _l("Emails I want to receive"),
        choices=[SelectChoice(str(kind), KIND_LABELS[kind]) for kind in ALL_KINDS],
        validate_choice=False,
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, default_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(default_zone)

    def validate_timezone(self, field):
        if field.data and not is_valid_zone(field.data):
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_kinds(self, field):
        if any(not is_kind(kind) for kind in field.data or []):
            raise ValidationError(_l("Unknown reminder kind."))
