"""Rapid assessments (kaji cepat): assigned mentors score five criteria; history is kept."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ASSESSMENT_CRITERIA, RapidAssessment

from .helpers import activity, count, fresh


def _url(innovation):
    return f"/innovations/{innovation.id}/assessments"


def _form(scores=(4, 3, 5, 2, 4), **overrides):
    data = {}
    for criterion, score in zip(ASSESSMENT_CRITERIA, scores, strict=True):
        data[criterion] = str(score)
        data[f"{criterion}_note"] = f"Note on {criterion}"
    data.update(overrides)
    return data


def test_mentor_records_an_assessment(world, as_role):
    client = as_role("mentor")
    response = client.post(_url(world.innovation), data=_form())
    assert response.status_code == 303
    fresh()
    assessment = db.session.scalars(select(RapidAssessment)).one()
    assert assessment.mentor_id == world.mentor.id
    assert (assessment.novelty, assessment.replicable, assessment.total) == (4, 4, 18)
    assert assessment.no_added_burden_note == "Note on no_added_burden"
    [entry] = activity("rapid_assessment_recorded")
    assert entry.details["total"] == 18 and entry.details["scores"]["benefit"] == 3
    page = client.get(response.headers["Location"] + "?lang=en").text
    assert "Total 18 of 25" in page
    assert "Note on within_authority" in page


def test_latest_scores_and_history(world, as_role, time_machine):
    # Before logging in: a session cookie signed "in the future" would not load.
    time_machine.move_to(datetime(2025, 1, 6, 2, tzinfo=UTC), tick=False)
    client = as_role("mentor")
    client.post(_url(world.innovation), data=_form((1, 1, 1, 1, 1)))
    time_machine.move_to(datetime(2025, 2, 6, 2, tzinfo=UTC), tick=False)
    client.post(_url(world.innovation), data=_form((5, 5, 5, 5, 4)))
    page = client.get(_url(world.innovation) + "?lang=en").text
    latest, history = page.split('id="assessment-history"')
    assert "Total 24 of 25" in latest and "Total 5 of 25" not in latest
    assert "<strong>24</strong>" in history and "<strong>5</strong>" in history
    assert history.index("<strong>24</strong>") < history.index("<strong>5</strong>")


@pytest.mark.parametrize("role", ["coordinator", "innovator", "other_mentor", "other_innovator"])
def test_everyone_in_the_programme_reads_assessments(world, as_role, role):
    response = as_role(role).get(_url(world.innovation) + "?lang=en")
    assert response.status_code == 200
    assert "No rapid assessment yet." in response.text
    assert 'name="novelty"' not in response.text  # only the assigned mentor gets the form


def test_assigned_mentor_gets_the_form(world, as_role):
    page = as_role("mentor").get(_url(world.innovation)).text
    for criterion in ASSESSMENT_CRITERIA:
        assert f'name="{criterion}"' in page and f'name="{criterion}_note"' in page


@pytest.mark.parametrize("role", ["coordinator", "innovator", "other_mentor"])
def test_only_assigned_mentors_record(world, as_role, role):
    response = as_role(role).post(_url(world.innovation), data=_form())
    assert response.status_code == 403
    assert count(RapidAssessment) == 0


def test_assessment_not_found(world, as_role):
    client = as_role("mentor")
    assert client.get(_url(world.foreign_innovation)).status_code == 404
    assert client.post(_url(world.foreign_innovation), data=_form()).status_code == 404
    assert client.get("/innovations/999999/assessments").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"novelty": "abc"}, "novelty", "Choose a score from 1 to 5."),
        ({"benefit": "0"}, "benefit", "Choose a score from 1 to 5."),
        ({"replicable": "6"}, "replicable", "Choose a score from 1 to 5."),
        ({"within_authority": "-1"}, "within_authority", "Choose a score from 1 to 5."),
        ({"no_added_burden": ""}, "no_added_burden", "Choose a score from 1 to 5."),
        ({"novelty_note": "n" * 2001}, "novelty_note", "Keep it under 2000 characters."),
        ({"benefit_note": "n" * 1_000_000}, "benefit_note", "Keep it under 2000 characters."),
    ],
    ids=["text", "zero", "six", "negative", "missing", "long-note", "one-megabyte-note"],
)
def test_bad_scores_are_422_next_to_the_field(world, as_role, overrides, field, message):
    response = as_role("mentor").post(_url(world.innovation) + "?lang=en", data=_form(**overrides))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert count(RapidAssessment) == 0
    assert activity("rapid_assessment_recorded") == []


def test_scores_are_kept_on_a_failed_submit(world, as_role):
    response = as_role("mentor").post(_url(world.innovation), data=_form(novelty="9"))
    assert response.status_code == 422
    checked = re.findall(
        r'<input checked[^>]* name="(\w+)" type="radio" value="(\d)"', response.text
    )
    assert checked == [
        ("benefit", "3"),
        ("no_added_burden", "5"),
        ("within_authority", "2"),
        ("replicable", "4"),
    ]
