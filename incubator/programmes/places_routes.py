"""Every page of a programme's regions and agencies: import `bp` from here to register it."""

from . import agency_views, import_views, places_views  # noqa: F401 (importing adds the routes)
from .places_blueprint import bp

__all__ = ["bp"]
