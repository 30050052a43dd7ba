"""Every route that names a programme or one of its objects comes through the door."""

from tests.conftest import make_app

# URL variables that point into a programme; a route with one must load it through the door.
GUARDED = {"slug", "innovation_id", "card_id", "milestone_id", "feedback_id"}


def test_every_programme_route_is_entered_through_the_door(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'unused.db'}")
    missing = []
    for rule in app.url_map.iter_rules():
        if not GUARDED & set(rule.arguments):
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "through_door", False):
            missing.append(f"{rule.endpoint} {rule.rule}")
    assert missing == []
    assert len([r for r in app.url_map.iter_rules() if GUARDED & set(r.arguments)]) > 30
