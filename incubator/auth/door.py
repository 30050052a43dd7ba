"""The one door: how every view reaches what it shows or changes.

A view names the action it performs; the door logs the user in (`login_required`),
loads the object and answers 404 when it does not exist or the user may not even
see it (so ids cannot be probed), then 403 when they see it but may not do the
action. Both checks ask `policy.can`, and the user's membership of the programme
is read once per request (cached on `flask.g`), so a view cannot forget a check
and checking twice costs nothing.

    @bp.route("/programmes/<slug>/settings/board", methods=["GET", "POST"])
    @programme_view(Action.MANAGE_PROGRAMME)
    def settings(programme): ...

    @bp.post("/innovations/<int:innovation_id>/edit")
    @innovation_view(Action.EDIT_INNOVATION)
    def edit(innovation): ...

Decorators (below the route; each takes the URL's ids and passes the objects):

- `programme_view(action)`: `<slug>` -> `programme`
- `innovation_view(action)`: `<int:innovation_id>` -> `innovation`
- `card_view(action)`: `<slug>`, `<int:card_id>` -> `programme`, `innovation` (404 when
  the innovation belongs to another programme)
- `milestone_view(action)`: `<int:innovation_id>`, `<int:milestone_id>` -> `innovation`,
  `milestone` (the action is checked on the innovation)
- `feedback_view(action)`: `<int:feedback_id>` -> `feedback`, `innovation` (EDIT_FEEDBACK
  is checked on the feedback, every other action on its innovation)
- `entry_view(action)`: `<int:entry_id>` -> `entry`, `innovation` (a competition entry; 404
  unless the user may see entries of its innovation, the action checked on the innovation)
- `personal_view(action)`: a page of no programme (e.g. "My mentees"), the role decides

Other URL variables are passed on unchanged. Where the id does not come from the
URL path, call the loaders: `load_programme`, `load_card`, `load_innovation`,
`load_milestone`, and `load_part` for a row that belongs to an object the user has
already been let in to. A view that changes memberships and checks again in the same
request calls `policy.forget_programme_roles()`.
"""

import functools
from collections.abc import Callable

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import bindparam

from ..errors import user_abort
from ..extensions import db
from ..models import CompetitionEntry, Document, Feedback, Innovation, Milestone, Programme
from . import policy
from .policy import Action


def check(action: Action, target=None) -> None:
    """403 unless the current user may take `action` on `target` (with the policy's
    reason, when it has one the user should read); 409 when only the programme's
    archive stands in the way."""
    if policy.can(current_user, action, target):
        return
    if policy.refused_by_archive(current_user, action, target):
        user_abort(409, str(policy.ARCHIVED_MESSAGE))
    message = policy.refusal_message(current_user, action, target)
    if message:
        user_abort(403, message)
    abort(403)


def load_programme(slug: str, action: Action = Action.VIEW_PROGRAMME) -> Programme:
    """The programme, or 404 if the user is not in it; 403 if in it but not allowed."""
    return _enter(db.session.scalar(_programme_by_slug(), {"slug": slug}), action)


def _enter(programme: Programme | None, action: Action) -> Programme:
    if programme is None or not policy.can(current_user, Action.VIEW_PROGRAMME, programme):
        abort(404)
    check(action, programme)
    return programme


@functools.cache
def _programme_by_slug():
    # Built once: nearly every page asks it.
    return db.select(Programme).where(Programme.slug == bindparam("slug"))


def load_innovation(
    innovation_id: int,
    action: Action = Action.VIEW_INNOVATION,
    *,
    programme: Programme | None = None,
) -> Innovation:
    """The innovation, or 404 if the user cannot see it (or it is not in `programme`,
    when given); 403 if seen but not allowed."""
    innovation = db.session.get(Innovation, innovation_id)
    if innovation is None or (programme is not None and innovation.programme_id != programme.id):
        abort(404)
    return _let_in(innovation, action)


def _let_in(innovation: Innovation, action: Action) -> Innovation:
    if not policy.can(current_user, Action.VIEW_INNOVATION, innovation):
        abort(404)
    check(action, innovation)
    return innovation


def load_milestone(
    innovation_id: int, milestone_id: int, action: Action = Action.VIEW_INNOVATION
) -> tuple[Innovation, Milestone]:
    """(innovation, milestone) in one statement, the checks those of `load_innovation`
    (on the innovation); 404 when the milestone is not the innovation's."""
    row = db.session.execute(
        db.select(Innovation, Milestone)
        .join(Milestone, Milestone.innovation_id == Innovation.id)
        .where(Innovation.id == innovation_id, Milestone.id == milestone_id)
    ).first()
    if row is None:
        load_innovation(innovation_id, action)  # its 404 or 403 first, as for any part
        abort(404)
    return _let_in(row.Innovation, action), row.Milestone


def load_part(model, part_id: int, **owner):
    """A row that belongs to an object already through the door, e.g.
    `load_part(Milestone, milestone_id, innovation_id=innovation.id)`: 404 when it
    does not exist or belongs to another."""
    part = db.session.get(model, part_id)
    if part is None or any(getattr(part, key) != value for key, value in owner.items()):
        abort(404)
    return part


def load_document(document_id: int, action: Action = Action.VIEW_DOCUMENTS):
    """(document, innovation). Anyone may read a public document of a published
    innovation; otherwise the user must see the innovation and its documents (404 if
    not, so a private file's existence stays private) and may take `action` (403)."""
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    innovation = db.session.get(Innovation, document.innovation_id)
    if action == Action.VIEW_DOCUMENTS and document.is_public and innovation.is_public:
        return document, innovation
    if not current_user.is_authenticated or not (
        policy.can(current_user, Action.VIEW_INNOVATION, innovation)
        and policy.can(current_user, Action.VIEW_DOCUMENTS, innovation)
    ):
        abort(404)
    check(action, innovation)
    return document, innovation


def _door(load: Callable[..., tuple], url_args: tuple[str, ...]):
    """A decorator factory: `load(*ids)` returns the objects the view receives first."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def entered(**kwargs):
            ids = [kwargs.pop(name) for name in url_args]
            return view(*load(*ids), **kwargs)

        entered.through_door = True  # tests/integration/test_door.py checks every route has it
        return entered

    return decorate


def programme_view(action: Action = Action.VIEW_PROGRAMME):
    return _door(lambda slug: (load_programme(slug, action),), ("slug",))


def innovation_view(action: Action = Action.VIEW_INNOVATION):
    return _door(
        lambda innovation_id: (load_innovation(innovation_id, action),), ("innovation_id",)
    )


def load_card(slug: str, card_id: int, action: Action) -> tuple[Programme, Innovation]:
    """(programme, innovation) in one statement (a card's every request, a move among
    them, read the two apart: a round trip more on PostgreSQL); 404 when the programme is
    not the user's or the card not the programme's, then the checks of `load_innovation`."""
    row = db.session.execute(_card_by_slug(), {"slug": slug, "card_id": card_id}).first()
    if row is None:
        abort(404)
    programme = _enter(row.Programme, Action.VIEW_PROGRAMME)
    return programme, _let_in(row.Innovation, action)


@functools.cache
def _card_by_slug():
    return (
        db.select(Programme, Innovation)
        .join(Innovation, Innovation.programme_id == Programme.id)
        .where(Programme.slug == bindparam("slug"), Innovation.id == bindparam("card_id"))
    )


def card_view(action: Action = Action.VIEW_INNOVATION):
    return _door(lambda slug, card_id: load_card(slug, card_id, action), ("slug", "card_id"))


def milestone_view(action: Action = Action.VIEW_INNOVATION):
    return _door(
        lambda innovation_id, milestone_id: load_milestone(innovation_id, milestone_id, action),
        ("innovation_id", "milestone_id"),
    )


def feedback_view(action: Action = Action.VIEW_INNOVATION):
    def load(feedback_id: int):
        feedback = db.session.get(Feedback, feedback_id)
        if feedback is None:
            abort(404)
        if action == Action.EDIT_FEEDBACK:
            innovation = load_innovation(feedback.innovation_id)
            check(action, feedback)
        else:
            innovation = load_innovation(feedback.innovation_id, action)
        return feedback, innovation

    return _door(load, ("feedback_id",))


def load_entry(entry_id: int, action: Action = Action.VIEW_ENTRY):
    """(entry, innovation): 404 when the entry does not exist or the user may not see its
    innovation's entries (another innovator's entry stays invisible); 403 when seen but
    `action` is not allowed."""
    entry = db.session.get(CompetitionEntry, entry_id)
    if entry is None:
        abort(404)
    innovation = load_innovation(entry.innovation_id)
    if not policy.can(current_user, Action.VIEW_ENTRY, innovation):
        abort(404)
    check(action, innovation)
    return entry, innovation


def entry_view(action: Action = Action.VIEW_ENTRY):
    return _door(lambda entry_id: load_entry(entry_id, action), ("entry_id",))


def personal_view(action: Action):
    def load():
        check(action)
        return ()

    return _door(load, ())
