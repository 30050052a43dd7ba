"""Links to the innovation page work whether or not the innovations blueprint is there."""

from flask import Blueprint

from incubator.mentoring import blueprint
from tests.conftest import make_app


def test_without_an_innovation_page_links_go_to_the_feedback_page(monkeypatch):
    monkeypatch.setattr(blueprint, "INNOVATION_PAGE", "nowhere.detail")
    app = make_app("sqlite://")
    with app.test_request_context():
        assert blueprint.innovation_url(7) == "/innovations/7/feedback"


def test_links_use_the_innovation_page_whatever_its_parameter_is_called(monkeypatch):
    monkeypatch.setattr(blueprint, "INNOVATION_PAGE", "stand_in.detail")
    app = make_app("sqlite://")
    stand_in = Blueprint("stand_in", __name__)
    stand_in.add_url_rule("/stand-in/innovations/<int:some_id>", "detail", lambda some_id: "")
    app.register_blueprint(stand_in)
    with app.test_request_context():
        assert blueprint.innovation_url(7) == "/stand-in/innovations/7"
