"""Activity entries as sentences, in the reader's language.

Entries store a stable verb and plain details; the sentence is made when shown,
so switching language re-tells the whole history. Other features register the
verbs they write with `describes("verb")`.
"""

from collections.abc import Callable
from datetime import date

from ..dates import format_date
from ..labels import STAGE_LABELS, STATE_LABELS, label
from ..models import ActivityEntry
from ..translating import gettext as _

Describer = Callable[[str, dict], str]
DESCRIBERS: dict[str, Describer] = {}


def describes(verb: str):
    def register(function: Describer) -> Describer:
        DESCRIBERS[verb] = function
        return function

    return register


def describe(entry: ActivityEntry) -> str:
    actor = entry.actor.name if entry.actor is not None else _("Someone")
    details = entry.details or {}
    describer = DESCRIBERS.get(entry.verb)
    if describer is not None:
        try:
            return describer(actor, details)
        except (KeyError, TypeError, ValueError):  # an old entry with other details
            pass
    return _("%(actor)s: %(action)s", actor=actor, action=entry.verb.replace("_", " "))


def field_names(fields) -> str:
    names = {
        "title": _("title"),
        "summary": _("summary"),
        "problem": _("problem addressed"),
        "results": _("results"),
        "category": _("category"),
        "is_digital": _("digital"),
        "links": _("links"),
        "agency_id": _("agency"),
        "owner_id": _("owner"),
        "replicates_id": _("replicated innovation"),
        "team": _("team"),
        "description": _("description"),
        "stage": _("stage"),
        "due_date": _("due date"),
        "required": _("required flag"),
        "offset_days": _("days to due date"),
    }
    return ", ".join(names.get(name, name) for name in fields)


@describes("innovation_created")
def _created(actor, d):
    return _("%(actor)s registered the innovation.", actor=actor)


@describes("innovation_proposed")
def _proposed(actor, d):
    return _("%(actor)s proposed the innovation.", actor=actor)


@describes("proposal_accepted")
def _accepted(actor, d):
    return _("%(actor)s accepted the proposal.", actor=actor)


@describes("proposal_declined")
def _declined(actor, d):
    return _("%(actor)s declined the proposal: %(reason)s", actor=actor, reason=d["reason"])


@describes("innovation_edited")
def _edited(actor, d):
    return _("%(actor)s changed the %(fields)s.", actor=actor, fields=field_names(d["fields"]))


def _with_reason(text: str, d: dict) -> str:
    if d.get("reason"):
        text += " " + _("Reason: %(reason)s", reason=d["reason"])
    return text


@describes("state_changed")
def _state(actor, d):
    text = _(
        "%(actor)s changed the state from %(old)s to %(new)s.",
        actor=actor,
        old=label(STATE_LABELS, d["from_state"]),
        new=label(STATE_LABELS, d["to_state"]),
    )
    return _with_reason(text, d)


@describes("stage_moved")
def _moved(actor, d):
    old, new = d.get("from_stage"), d.get("to_stage")
    text = _(
        "%(actor)s moved the innovation from %(old)s to %(new)s.",
        actor=actor,
        old=label(STAGE_LABELS, old) if old else "-",
        new=label(STAGE_LABELS, new) if new else "-",
    )
    return _with_reason(text, d)


@describes("milestone_added")
def _milestone_added(actor, d):
    return _('%(actor)s added the milestone "%(title)s".', actor=actor, title=d["title"])


def _day(iso: str | None) -> str:
    return format_date(date.fromisoformat(iso)) if iso else "-"


@describes("milestone_edited")
def _milestone_edited(actor, d):
    text = _(
        '%(actor)s changed the %(fields)s of the milestone "%(title)s".',
        actor=actor,
        fields=field_names(d["fields"]),
        title=d["title"],
    )
    if "required_to" in d:  # the gate changed: say how
        text += " " + (
            _("It is now required to pass the stage gate.")
            if d["required_to"]
            else _("It is no longer required to pass the stage gate.")
        )
    if "due_to" in d:
        text += " " + _(
            "Due date: %(old)s → %(new)s.", old=_day(d.get("due_from")), new=_day(d["due_to"])
        )
    return text


@describes("milestone_deleted")
def _milestone_deleted(actor, d):
    if d.get("required"):
        return _(
            '%(actor)s deleted the required milestone "%(title)s".', actor=actor, title=d["title"]
        )
    return _('%(actor)s deleted the milestone "%(title)s".', actor=actor, title=d["title"])


@describes("due_date_requested")
def _due_date_requested(actor, d):
    return _(
        '%(actor)s asked to move the due date of "%(title)s" from %(old)s to %(new)s. '
        "Reason: %(reason)s",
        actor=actor,
        title=d["title"],
        old=_day(d.get("due_from")),
        new=_day(d["due_to"]),
        reason=d["reason"],
    )


@describes("due_date_approved")
def _due_date_approved(actor, d):
    return _(
        '%(actor)s approved the new due date of "%(title)s": %(old)s → %(new)s.',
        actor=actor,
        title=d["title"],
        old=_day(d.get("due_from")),
        new=_day(d["due_to"]),
    )


@describes("due_date_declined")
def _due_date_declined(actor, d):
    return _(
        '%(actor)s declined moving the due date of "%(title)s" to %(new)s.',
        actor=actor,
        title=d["title"],
        new=_day(d["due_to"]),
    )


@describes("progress_recorded")
def _progress(actor, d):
    old, new = int(d["from_progress"]), int(d["to_progress"])
    if new == 100 and old < 100:
        return _('%(actor)s completed the milestone "%(title)s".', actor=actor, title=d["title"])
    return _(
        '%(actor)s updated "%(title)s" from %(old)d%% to %(new)d%%.',
        actor=actor,
        title=d["title"],
        old=old,
        new=new,
    )


@describes("mentor_assigned")
def _mentor_assigned(actor, d):
    return _("%(actor)s assigned mentor %(mentor)s.", actor=actor, mentor=d["mentor_name"])


@describes("mentor_unassigned")
def _mentor_unassigned(actor, d):
    return _("%(actor)s ended the mentoring of %(mentor)s.", actor=actor, mentor=d["mentor_name"])


@describes("feedback_given")
def _feedback_given(actor, d):
    if d.get("milestone_title"):
        return _(
            '%(actor)s gave feedback on the milestone "%(title)s".',
            actor=actor,
            title=d["milestone_title"],
        )
    return _("%(actor)s gave feedback.", actor=actor)


@describes("feedback_replied")
def _feedback_replied(actor, d):
    return _("%(actor)s replied to feedback.", actor=actor)


@describes("feedback_edited")
def _feedback_edited(actor, d):
    return _("%(actor)s edited feedback.", actor=actor)


@describes("feedback_deleted")
def _feedback_deleted(actor, d):
    return _("%(actor)s deleted their feedback.", actor=actor)


@describes("feedback_hidden")
def _feedback_hidden(actor, d):
    return _("%(actor)s hid a piece of feedback.", actor=actor)


@describes("rapid_assessment_recorded")
def _assessed(actor, d):
    return _(
        "%(actor)s recorded a rapid assessment (total %(total)d of 25).",
        actor=actor,
        total=d["total"],
    )


@describes("document_added")
def _document_added(actor, d):
    return _("%(actor)s attached the document “%(title)s”.", actor=actor, title=d["title"])


@describes("document_deleted")
def _document_deleted(actor, d):
    return _(
        "%(actor)s deleted the document “%(title)s” (%(filename)s).",
        actor=actor,
        title=d["title"],
        filename=d["filename"],
    )


@describes("document_published")
def _document_published(actor, d):
    return _("%(actor)s made the document “%(title)s” public.", actor=actor, title=d["title"])


@describes("document_unpublished")
def _document_unpublished(actor, d):
    return _("%(actor)s made the document “%(title)s” private.", actor=actor, title=d["title"])


@describes("innovation_replicated")
def _innovation_replicated(actor, d):
    return _("%(actor)s replicated this innovation.", actor=actor)


@describes("catalogue_published")
def _catalogue_published(actor, d):
    return _("%(actor)s published the innovation in the public catalogue.", actor=actor)


@describes("catalogue_withdrawn")
def _catalogue_withdrawn(actor, d):
    return _("%(actor)s withdrew the innovation from the public catalogue.", actor=actor)


@describes("catalogue_consented")
def _catalogue_consented(actor, d):
    return _("%(actor)s agreed to publish the innovation in the catalogue.", actor=actor)


@describes("catalogue_consent_withdrawn")
def _catalogue_consent_withdrawn(actor, d):
    return _("%(actor)s withdrew their agreement to publish the innovation.", actor=actor)
