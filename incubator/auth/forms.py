"""Forms for logging in, passwords (change, reset, choose) and the profile."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import EmailInput

from ..pipeline.accounts import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from ..single_line import LineField
from ..translating import lazy_gettext as _l


class LoginForm(FlaskForm):
    email = LineField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email."))],
        max=254,
        widget=EmailInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX)],
    )
    remember = BooleanField(_l("Keep me logged in"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


def _new_password(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Use between %(min)d and %(max)d characters.",
                    min=PASSWORD_MIN,
                    max=PASSWORD_MAX,
                ),
            ),
        ],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = _new_password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    email = LineField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email."))],
        max=254,
        widget=EmailInput(),
    )
    submit = SubmitField(_l("Send me a link"))


class SetPasswordForm(FlaskForm):
    """Choosing a password from an emailed link (reset or invitation)."""

    password = _new_password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Save password"))


class ProfileForm(FlaskForm):
    name = LineField(_l("Name"), validators=[DataRequired(_l("Enter your name."))], max=NAME_MAX)
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
        validate_choice=True,
    )
    submit = SubmitField(_l("Save"))
