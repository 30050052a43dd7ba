"""Publishing an innovation in the public catalogue: the coordinator's and the owner's side."""

from flask import flash, redirect, request, url_for
from flask_login import current_user

from ..auth.door import innovation_view
from ..auth.policy import Action
from ..errors import user_abort
from ..extensions import db
from ..pipeline import DomainError, publication
from ..translating import gettext as _
from .blueprint import bp


@bp.post("/innovations/<int:innovation_id>/publish")
@innovation_view(Action.PUBLISH)
def publish(innovation):
    if request.form.get("do") == "withdraw":
        publication.withdraw_publication(innovation, current_user)
        message = _("The innovation has been withdrawn from the public catalogue.")
    else:
        _try(lambda: publication.publish(innovation, current_user))
        message = (
            _("The innovation is in the public catalogue.")
            if innovation.is_public
            else _("Published; it appears in the catalogue once its owner agrees.")
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("innovations.detail", innovation_id=innovation.id))


@bp.post("/innovations/<int:innovation_id>/consent")
@innovation_view(Action.CONSENT)
def consent(innovation):
    if request.form.get("do") == "withdraw":
        publication.withdraw_consent(innovation, current_user)
        message = _("You withdrew your agreement: the innovation is not in the catalogue.")
    else:
        _try(lambda: publication.consent(innovation, current_user))
        message = (
            _("The innovation is in the public catalogue.")
            if innovation.is_public
            else _("Thank you: it appears in the catalogue once a coordinator publishes it.")
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("innovations.detail", innovation_id=innovation.id))


def _try(write) -> None:
    try:
        write()
    except DomainError as error:
        db.session.rollback()
        user_abort(error.status_code, str(error.message))
