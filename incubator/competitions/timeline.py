"""How the review's activity entries read in an innovation's history (in the reader's
language). The history is read by the whole programme, so it names what happened, not
what a comment says or which score was given."""

from ..innovations.timeline import describes
from ..translating import gettext as _


@describes("entry_commented")
def _commented(actor, d):
    return _("%(actor)s commented on a section of a competition entry.", actor=actor)


@describes("entry_comment_replied")
def _replied(actor, d):
    return _("%(actor)s replied to a comment on a competition entry.", actor=actor)


@describes("entry_comment_resolved")
def _resolved(actor, d):
    return _("%(actor)s marked a comment on a competition entry resolved.", actor=actor)


@describes("entry_comment_reopened")
def _reopened(actor, d):
    return _("%(actor)s opened a comment on a competition entry again.", actor=actor)


@describes("entry_scored")
def _scored(actor, d):
    return _("%(actor)s scored a section of a competition entry.", actor=actor)


@describes("entry_score_removed")
def _score_removed(actor, d):
    return _("%(actor)s took back a score on a competition entry.", actor=actor)
