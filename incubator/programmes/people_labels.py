"""Words for the People page: statuses, invitation delivery, event log entries."""

from .. import labels
from ..translating import gettext as _
from ..translating import lazy_gettext as _l

STATUS_LABELS = {
    "invited": _l("Invited"),
    "active": _l("Active"),
    "deactivated": _l("Deactivated"),
}

DELIVERY_LABELS = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "void": _l("Not sent (replaced)"),
}


def status_label(key: str) -> str:
    return str(STATUS_LABELS.get(key, key))


def delivery_label(key: str | None) -> str:
    return str(DELIVERY_LABELS.get(key, "")) if key else ""


# Entries other features write to the same log (programme set-up, places): who and what.
_SETUP_TEXTS = {
    "programme_created": _l("%(actor)s created the programme."),
    "settings_changed": _l("%(actor)s changed the programme's settings."),
    "programme_archived": _l("%(actor)s archived the programme."),
    "programme_restored": _l("%(actor)s restored the programme."),
    "innovations_carried_over": _l("%(actor)s carried innovations over from another programme."),
    "regions_changed": _l("%(actor)s changed the regencies and cities."),
    "agency_added": _l("%(actor)s added an agency."),
    "agencies_changed": _l("%(actor)s changed the participating agencies."),
    "agencies_imported": _l("%(actor)s imported agencies."),
    "agency_renamed": _l("%(actor)s renamed an agency."),
    "agency_merged": _l("%(actor)s merged two agencies."),
    "agency_deleted": _l("%(actor)s deleted an agency."),
}


def _role(key) -> str:
    return labels.label(labels.ROLE_LABELS, key or "")


def event_text(event, actor: str | None, subject: str | None) -> str:
    """One line of the event log, e.g. "Ana invited Budi as Mentor"."""
    d = event.details or {}
    names = {"actor": actor or _("The system"), "subject": subject or "?"}
    texts = {
        "invited": lambda: _(
            "%(actor)s invited %(subject)s as %(role)s.", role=_role(d.get("role")), **names
        ),
        "member_added": lambda: _(
            "%(actor)s added %(subject)s as %(role)s.", role=_role(d.get("role")), **names
        ),
        "invitation_resent": lambda: _("%(actor)s sent %(subject)s a new invitation.", **names),
        "invitation_revoked": lambda: _(
            "%(actor)s withdrew the invitation of %(subject)s.", **names
        ),
        "invitation_link_copied": lambda: _(
            "%(actor)s copied the invitation link of %(subject)s.", **names
        ),
        "invitation_accepted": lambda: _("%(subject)s accepted the invitation.", **names),
        "role_changed": lambda: _(
            "%(actor)s changed the role of %(subject)s from %(before)s to %(after)s.",
            before=_role(d.get("before")),
            after=_role(d.get("after")),
            **names,
        ),
        "member_removed": lambda: _("%(actor)s removed %(subject)s from the programme.", **names),
        "account_deactivated": lambda: _(
            "%(actor)s deactivated the account of %(subject)s.", **names
        ),
        "organiser_granted": lambda: _("%(actor)s let %(subject)s create programmes.", **names),
        "organiser_withdrawn": lambda: _(
            "%(actor)s took from %(subject)s the right to create programmes.", **names
        ),
        "account_reactivated": lambda: _(
            "%(actor)s reactivated the account of %(subject)s.", **names
        ),
        "gate_overridden": lambda: _(
            "%(actor)s moved “%(title)s” from %(from_stage)s to %(to_stage)s past unfinished "
            "required milestones. Reason: %(reason)s",
            title=d.get("title", "?"),
            from_stage=labels.label(labels.STAGE_LABELS, d.get("from_stage", "")),
            to_stage=labels.label(labels.STAGE_LABELS, d.get("to_stage", "")),
            reason=d.get("reason", ""),
            **names,
        ),
    }
    texts.update({kind: (lambda text=text: text % names) for kind, text in _SETUP_TEXTS.items()})
    text = texts.get(event.kind)
    return text() if text else _("%(actor)s: %(kind)s.", kind=event.kind.replace("_", " "), **names)
