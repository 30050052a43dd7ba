"""The `places` blueprint: a programme's regions and agencies (its views import `bp`)."""

from flask import Blueprint

bp = Blueprint("places", __name__)
