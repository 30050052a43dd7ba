"""Forms for logging in, passwords (change, reset, choose) and the profile."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from ..pipeline.accounts import PASSWORD_MAX, PASSWORD_MIN


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email.")),
            Length(max=254, message=_l("That email is too long.")),
        ],
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
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email.")),
            Length(max=254, message=_l("That email is too long.")),
        ],
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
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.", max=120)),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
        validate_choice=True,
    )
    submit = SubmitField(_l("Save"))
