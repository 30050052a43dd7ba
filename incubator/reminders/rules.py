"""How reminder kinds read: their names, what they are for, the weekdays of the digest.

The kinds themselves and their default rules are the domain's
(`incubator/pipeline/reminder_rules.py`).
"""

from ..models import ReminderKind
from ..translating import lazy_gettext as _l

K = ReminderKind

KIND_LABELS = {
    K.DUE_7: _l("Due in a week"),
    K.DUE_1: _l("Due tomorrow"),
    K.DUE_TODAY: _l("Due today"),
    K.OVERDUE: _l("Overdue"),
    K.WEEKLY_DIGEST: _l("Weekly digest"),
    K.MENTOR_ASSIGNED: _l("Mentor assigned"),
    K.STAGE_MOVED: _l("Stage moved"),
    K.FEEDBACK: _l("New feedback"),
    K.FEEDBACK_REPLY: _l("Replies to feedback"),
    K.COMPETITION_DEADLINE: _l("Competition closing soon"),
}

KIND_HELP = {
    K.DUE_7: _l("A milestone you own or share is due in a few days."),
    K.DUE_1: _l("A milestone is due the next day."),
    K.DUE_TODAY: _l("A milestone is due today."),
    K.OVERDUE: _l("A milestone is past its due date (repeated a few times)."),
    K.WEEKLY_DIGEST: _l("A weekly summary for mentors and coordinators."),
    K.MENTOR_ASSIGNED: _l("A mentor was assigned to an innovation you are part of."),
    K.STAGE_MOVED: _l("An innovation you are part of moved to another stage."),
    K.FEEDBACK: _l("A mentor wrote feedback on an innovation you are part of."),
    K.FEEDBACK_REPLY: _l("Someone replied to feedback you wrote or answered."),
    K.COMPETITION_DEADLINE: _l(
        "A competition closes in 14, 7 or 2 days and your entry still misses something."
    ),
}

WEEKDAY_LABELS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]


# Account emails are in the outbox too (never switched off, so not in the lists above).
ACCOUNT_KIND_LABELS = {
    "password_reset": _l("Password reset"),
    "invitation": _l("Invitation"),
    "added_to_programme": _l("Added to a programme"),
    "replicated": _l("Innovation replicated"),
    # Bundles of the kinds above: their opt-outs are the items' own.
    "daily_reminders": _l("Daily reminders"),
    "notices": _l("Notices"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind) or ACCOUNT_KIND_LABELS.get(kind, kind))
