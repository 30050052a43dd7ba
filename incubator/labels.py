"""Human names for the stable keys of the domain, translated on use."""

from flask_babel import lazy_gettext as _l

from .models import Category, DocumentKind, InnovationState, Role, Stage

STAGE_LABELS = {
    Stage.CREATION: _l("Creation"),
    Stage.DEVELOPMENT: _l("Development"),
    Stage.INSTITUTIONALISATION: _l("Institutionalisation"),
}

STATE_LABELS = {
    InnovationState.ACTIVE: _l("Active"),
    InnovationState.ON_HOLD: _l("On hold"),
    InnovationState.DROPPED: _l("Dropped"),
    InnovationState.INSTITUTIONALISED: _l("Institutionalised"),
}

ROLE_LABELS = {
    Role.COORDINATOR: _l("Coordinator"),
    Role.INNOVATOR: _l("Innovator"),
    Role.MENTOR: _l("Mentor"),
}

CATEGORY_LABELS = {
    Category.PUBLIC_SERVICE: _l("Public service"),
    Category.GOVERNANCE: _l("Governance"),
    Category.OTHER: _l("Other"),
}

DOCUMENT_KIND_LABELS = {
    DocumentKind.REGULATION: _l("Regulation or decree (Perbup, SK)"),
    DocumentKind.SOP: _l("Standard operating procedure (SOP)"),
    DocumentKind.REPORT: _l("Report"),
    DocumentKind.PHOTO: _l("Photo"),
    DocumentKind.PROPOSAL: _l("Proposal"),
    DocumentKind.OTHER: _l("Other document"),
}


def label(mapping: dict, key: str) -> str:
    """The translated label for a key, or the key itself if it is unknown."""
    for member, text in mapping.items():
        if member == key:
            return str(text)
    return key
