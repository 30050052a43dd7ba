"""Forms of an entry's review: a comment or reply, a section's score, resolving a comment."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..mentoring.forms import ScoreField
from ..pipeline.feedback import FEEDBACK_MAX
from ..translating import lazy_gettext as _l


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[
            DataRequired(message=_l("Write something first.")),
            Length(
                max=FEEDBACK_MAX, message=_l("Keep it under %(max)d characters.", max=FEEDBACK_MAX)
            ),
        ],
        description=_l("Markdown: **bold**, *italic*, lists, links."),
    )
    submit = SubmitField(_l("Send comment"))


class ReplyForm(CommentForm):
    body = TextAreaField(
        _l("Reply"),
        validators=[
            DataRequired(message=_l("Write something first.")),
            Length(
                max=FEEDBACK_MAX, message=_l("Keep it under %(max)d characters.", max=FEEDBACK_MAX)
            ),
        ],
    )
    submit = SubmitField(_l("Send reply"))


class ScoreForm(FlaskForm):
    score = ScoreField(_l("Score"))
    submit = SubmitField(_l("Save score"))


class ResolveForm(FlaskForm):
    # "1" resolves, "0" opens the comment again.
    resolved = HiddenField(default="1")
