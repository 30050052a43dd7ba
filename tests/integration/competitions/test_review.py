"""Mentors review an entry: comments threaded beside each section, a score of 1 to 5 per
section and the weighted estimate; the team replies and marks comments resolved."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import EntrySection, EntrySectionComment, EntrySectionScore
from tests import factories

HTMX = {"HX-Request": "true"}


def rows(entry) -> list[EntrySection]:
    db.session.expire_all()
    found = db.session.scalars(select(EntrySection).where(EntrySection.entry_id == entry.id))
    return sorted(found, key=lambda r: r.section_id)


def comment_url(entry, row):
    return f"/entries/{entry.id}/sections/{row.section_id}/comments"


def score_url(entry, row):
    return f"/entries/{entry.id}/sections/{row.section_id}/score"


def test_a_mentor_comments_and_scores_and_the_team_replies_and_resolves(as_, world, entry):
    summary, background = rows(entry)
    client = as_(world.mentor)
    page = client.post(
        comment_url(entry, summary),
        data={"body": "Sebutkan **angka** waktu tunggu.\n\n<script>alert(1)</script>"},
        headers=HTMX,
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="review-{summary.id}"' in html and "Comment sent." in html
    assert "<strong>angka</strong>" in html and "<script>alert" not in html  # sanitised

    page = client.post(score_url(entry, summary), data={"score": "4"}, headers=HTMX)
    assert page.status_code == 200
    assert "Mentors' score: 4.0 of 5" in page.get_data(as_text=True)
    # The estimate at the top of the page is swapped too: only the summary (weight 40) scored.
    assert 'id="estimate" hx-swap-oob="true"' in page.get_data(as_text=True)
    assert "Mentors' weighted estimate: 4.0 of 5" in page.get_data(as_text=True)
    client.post(score_url(entry, background), data={"score": "2"}, headers=HTMX)
    page = client.post(score_url(entry, summary), data={"score": "5"}, headers=HTMX)
    # (40 * 5 + 60 * 2) / 100: a new score replaces the mentor's old one.
    assert "Mentors' weighted estimate: 3.2 of 5" in page.get_data(as_text=True)
    scores = select(EntrySectionScore.score).order_by(EntrySectionScore.id)
    assert db.session.scalars(scores).all() == [5, 2]

    comment = db.session.scalar(select(EntrySectionComment))
    client = as_(world.innovator)
    page = client.post(
        f"/entries/{entry.id}/comments/{comment.id}/replies",
        data={"body": "Sudah kami tambahkan: rata-rata 3 jam."},
        headers=HTMX,
    )
    assert page.status_code == 200 and "rata-rata 3 jam" in page.get_data(as_text=True)
    page = client.post(
        f"/entries/{entry.id}/comments/{comment.id}/resolve", data={"resolved": "1"}, headers=HTMX
    )
    assert page.status_code == 200 and 'data-resolved="1"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EntrySectionComment, comment.id).resolved_by_id == world.innovator.id
    # Without JavaScript: back to the section's review on the entry page.
    page = client.post(f"/entries/{entry.id}/comments/{comment.id}/resolve", data={"resolved": "0"})
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/entries/{entry.id}#review-{summary.id}")
    db.session.expire_all()
    assert db.session.get(EntrySectionComment, comment.id).resolved_at is None


def test_bad_scores_and_empty_comments_are_refused_next_to_the_field(as_, world, entry):
    summary, _ = rows(entry)
    client = as_(world.mentor)
    for score in ("0", "6", "lima", "", "99999999999999999999"):
        page = client.post(score_url(entry, summary), data={"score": score}, headers=HTMX)
        assert page.status_code == 422
        assert "Choose a score from 1 to 5." in page.get_data(as_text=True)
    page = client.post(comment_url(entry, summary), data={"body": "   "}, headers=HTMX)
    assert page.status_code == 422 and "Write something first." in page.get_data(as_text=True)
    assert db.session.scalar(select(EntrySectionScore)) is None
    assert db.session.scalar(select(EntrySectionComment)) is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 403),  # reads every entry, reviews none
        ("innovator", 403),  # the team does not score itself
        ("other_mentor", 404),  # not assigned: the entry is not there for them
        ("other_innovator", 404),
        ("foreign_coordinator", 404),
    ],
)
def test_only_assigned_mentors_review(as_, world, entry, who, status):
    summary, _ = rows(entry)
    client = as_(getattr(world, who))
    assert client.post(comment_url(entry, summary), data={"body": "x"}).status_code == status
    assert client.post(score_url(entry, summary), data={"score": "3"}).status_code == status


def test_only_the_team_resolves_and_outsiders_cannot_reply(as_, world, entry, competition):
    summary, _ = rows(entry)
    as_(world.mentor).post(comment_url(entry, summary), data={"body": "Perjelas."})
    comment = db.session.scalar(select(EntrySectionComment))
    resolve = f"/entries/{entry.id}/comments/{comment.id}/resolve"
    reply = f"/entries/{entry.id}/comments/{comment.id}/replies"
    assert as_(world.mentor).post(resolve).status_code == 403
    assert as_(world.coordinator).post(resolve).status_code == 403
    assert as_(world.coordinator).post(reply, data={"body": "x"}).status_code == 403
    assert as_(world.other_innovator).post(resolve).status_code == 404
    assert as_(world.other_mentor).post(reply, data={"body": "x"}).status_code == 404
    # A comment of another entry is not reachable through this one.
    other = factories.make_entry(world.other_innovation, competition, by=world.other_innovator)
    db.session.commit()
    # (its own team may resolve on its own entry, but not our comment through it)
    client = as_(world.other_innovator)
    assert client.post(f"/entries/{other.id}/comments/{comment.id}/resolve").status_code == 404


def test_the_entry_page_shows_the_review_beside_each_section(as_, world, entry):
    summary, background = rows(entry)
    client = as_(world.mentor)
    client.post(comment_url(entry, background), data={"body": "Tambahkan *data* survei."})
    client.post(score_url(entry, background), data={"score": "4"})
    page = client.get(f"/entries/{entry.id}").get_data(as_text=True)
    # The mentor: a score form and a comment form in every section, the estimate on top.
    assert page.count('class="score-form') == 2
    assert f'action="/entries/{entry.id}/sections/{summary.section_id}/comments"' in page
    assert "Mentors' weighted estimate: 4.0 of 5" in page
    assert "(sections worth 60% of 100% scored)" in page
    title = page.index(f'id="title-{background.section_id}"')
    assert title < page.index(f'id="review-{background.id}"')
    assert "<em>data</em>" in page

    page = as_(world.innovator).get(f"/entries/{entry.id}").get_data(as_text=True)
    assert "score-form" not in page and f"sections/{summary.section_id}/comments" not in page
    assert "Mark resolved" in page and "Reply" in page
    page = as_(world.coordinator).get(f"/entries/{entry.id}").get_data(as_text=True)
    assert "Tambahkan" in page and "Mark resolved" not in page and "score-form" not in page


def test_without_javascript_a_refused_comment_is_shown_on_the_entry_page(as_, world, entry):
    summary, _ = rows(entry)
    page = as_(world.mentor).post(comment_url(entry, summary), data={"body": ""})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Write something first." in html and 'aria-invalid="true"' in html
    page = as_(world.mentor).post(comment_url(entry, summary), data={"body": "Bagus."})
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"#review-{summary.id}")


def test_the_history_tells_of_the_review_without_its_content(as_, world, entry, app):
    from flask_babel import force_locale
    from sqlalchemy.orm import joinedload

    from incubator.innovations.timeline import describe
    from incubator.models import ActivityEntry

    summary, _ = rows(entry)
    as_(world.mentor).post(comment_url(entry, summary), data={"body": "Rahasia kecil."})
    as_(world.mentor).post(score_url(entry, summary), data={"score": "2"})
    history = db.session.scalars(
        select(ActivityEntry)
        .options(joinedload(ActivityEntry.actor))
        .where(ActivityEntry.verb.like("entry_%"))
        .order_by(ActivityEntry.id)
    ).all()
    with app.test_request_context(), force_locale("id"):
        sentences = [describe(e) for e in history]
    name = world.mentor.name
    assert sentences == [
        f"{name} mengomentari sebuah bagian proposal kompetisi.",
        f"{name} menilai sebuah bagian proposal kompetisi.",
    ]
