"""Dashboard and report filters: region, agency, SPM sector and period, from the URL."""

from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..models import SpmSector
from ..translating import lazy_gettext as _l

NOT_A_CHOICE = _l("Choose one of the options.")
NOT_A_DATE = _l("Enter a real date as YYYY-MM-DD.")
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)


def _in_range(form, field):
    if field.data and not DATE_MIN <= field.data <= DATE_MAX:
        raise ValidationError(
            _l("Choose a date between %(min)s and %(max)s.", min=DATE_MIN, max=DATE_MAX)
        )


def _after_start(form, field):
    start = form.start.data
    if field.data and start and not form.start.errors and field.data < start:
        raise ValidationError(_l("The end of the period cannot be before its start."))


class DashboardFilterForm(Form):
    region = IntegerField(_l("Region"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    agency = IntegerField(_l("Agency"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    sector = SelectField(
        _l("SPM sector"),
        choices=[""] + [s.value for s in SpmSector],
        default="",
        invalid_choice_message=NOT_A_CHOICE,
    )
    start = DateField(
        _l("Period from"), validators=[Optional(), _in_range], invalid_value_message=NOT_A_DATE
    )
    end = DateField(
        _l("Period to"),
        validators=[Optional(), _in_range, _after_start],
        invalid_value_message=NOT_A_DATE,
    )


@dataclass(frozen=True)
class DashboardFilters:
    region: int | None = None
    agency: int | None = None
    sector: str = ""
    start: date | None = None
    end: date | None = None
    errors: dict = field(default_factory=dict, compare=False)

    def args(self, **changes) -> dict:
        values = {
            "region": self.region,
            "agency": self.agency,
            "sector": self.sector or None,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}

    @property
    def active_count(self) -> int:
        return sum(bool(v) for v in (self.region, self.agency, self.sector, self.start, self.end))


def parse(args: MultiDict) -> tuple[DashboardFilterForm, DashboardFilters]:
    """The form (errors next to its fields) and the filters; an invalid field is left out.

    An integer field given text keeps its raw value for the message; the others
    apply as usual."""
    form = DashboardFilterForm(formdata=args)
    form.validate()
    valid = {name: f.data for name, f in form._fields.items() if not f.errors}
    return form, DashboardFilters(
        region=valid.get("region"),
        agency=valid.get("agency"),
        sector=valid.get("sector") or "",
        start=valid.get("start"),
        end=valid.get("end"),
        errors={name: f.errors for name, f in form._fields.items() if f.errors},
    )
