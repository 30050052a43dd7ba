"""Every page of the feature, on one blueprint: import `bp` from here to register it."""

from . import document_views, milestone_views, publication_views, settings_views, views  # noqa: F401 (importing adds the routes)
from .blueprint import bp

__all__ = ["bp"]
