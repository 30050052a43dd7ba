"""Forms for a programme's regions and agencies and the agency import."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired

from ..pipeline.agencies import NAME_MAX
from ..pipeline.tables import EXTENSIONS
from ..single_line import LineField
from ..translating import lazy_gettext as _l


class RegionsForm(FlaskForm):
    regions = SelectMultipleField(_l("Regencies and cities"), coerce=int)


class ParticipantsForm(FlaskForm):
    agencies = SelectMultipleField(_l("Agencies taking part"), coerce=int)


class AgencyForm(FlaskForm):
    name = LineField(
        _l("Agency name"),
        validators=[InputRequired(message=_l("Enter the agency's name."))],
        max=NAME_MAX,
    )
    region_id = SelectField(
        _l("Region"), coerce=int, validate_choice=True, validators=[InputRequired()]
    )


class RenameForm(FlaskForm):
    name = LineField(
        _l("New name"),
        validators=[InputRequired(message=_l("Enter the agency's name."))],
        max=NAME_MAX,
    )


class MergeForm(FlaskForm):
    target_id = SelectField(_l("Merge into"), coerce=int, validators=[InputRequired()])


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(EXTENSIONS, message=_l("Upload a CSV or XLSX file.")),
        ],
    )


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])
