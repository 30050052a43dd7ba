"""Every page of the catalogue, on one blueprint: import `bp` from here to register it."""

from . import replicate_views, views  # noqa: F401 (importing adds the routes)
from .views import bp

__all__ = ["bp"]
