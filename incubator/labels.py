"""Human names for the stable keys of the domain, translated on use."""

from .models import Category, DocumentKind, InnovationState, Role, SpmSector, Stage
from .translating import lazy_gettext as _l

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
    DocumentKind.TEAM_DECREE: _l("Decree (SK) naming the team"),
    DocumentKind.OTHER: _l("Other document"),
}


SPM_LABELS = {
    SpmSector.EDUCATION: _l("Education"),
    SpmSector.HEALTH: _l("Health"),
    SpmSector.PUBLIC_WORKS: _l("Public works and spatial planning"),
    SpmSector.HOUSING: _l("Housing"),
    SpmSector.PUBLIC_ORDER: _l("Public order and community protection"),
    SpmSector.SOCIAL_AFFAIRS: _l("Social affairs"),
    SpmSector.OTHER: _l("Other sector"),
}

SDG_LABELS = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}


def sdg_label(goal: int) -> str:
    """ "SDG 4: Quality education" in the page's language."""
    return _l("SDG %(num)d: %(name)s", num=goal, name=SDG_LABELS.get(goal, ""))


def label(mapping: dict, key: str) -> str:
    """The translated label for a key, or the key itself if it is unknown."""
    for member, text in mapping.items():
        if member == key:
            return str(text)
    return key
