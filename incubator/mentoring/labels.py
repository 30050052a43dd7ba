"""Human names for the rapid assessment criteria, translated on use."""

from ..translating import lazy_gettext as _l

CRITERION_LABELS = {
    "novelty": _l("Novelty"),
    "benefit": _l("Benefit"),
    "no_added_burden": _l("No added burden"),
    "within_authority": _l("Within authority"),
    "replicable": _l("Replicable"),
}

CRITERION_HINTS = {
    "novelty": _l("New here, or a clear improvement on what exists."),
    "benefit": _l("Its benefit to citizens or government can be shown."),
    "no_added_burden": _l("It does not add cost or effort for citizens."),
    "within_authority": _l("It lies within the agency's mandate."),
    "replicable": _l("Other units or regions can adopt it."),
}
