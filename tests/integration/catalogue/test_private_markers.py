"""Nothing private leaks: every private field carries a unique marker, and no public
page, the sitemap, a public document or the public API shows any of them."""

from sqlalchemy import select

from incubator.catalogue.queries import catalogue_ref
from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    Document,
    Feedback,
    Innovation,
    ProgressUpdate,
    RapidAssessment,
    StageTransition,
    User,
    innovation_members,
)
from tests import factories
from tests.integration.catalogue.conftest import PDF, download, fresh, publish, upload

MARKERS = {
    "feedback": "mk-feedback-7d1e",
    "feedback_reply": "mk-reply-2b9c",
    "assessment_note": "mk-assessment-5a0f",
    "progress_note": "mk-progress-note-81c3",
    "evidence_url": "https://mk-evidence-4e6a.example.org/x",
    "move_reason": "mk-move-reason-c2d4",
    "override_reason": "mk-override-9f70",
    "state_reason": "mk-state-reason-33aa",
    "decline_reason": "mk-decline-0b5e",
    "private_document_title": "mk-private-doc-6c21",
    "private_document_file": "mk_private_file_d4e8",
    "owner_name": "Mk Owner Name a1f0",
    "owner_email": "mk-owner-a1f0@example.org",
    "team_name": "Mk Team Name b7c2",
    "team_email": "mk-team-b7c2@example.org",
    "mentor_name": "Mk Mentor Name 0e93",
    "mentor_email": "mk-mentor-0e93@example.org",
    "coordinator_name": "Mk Coordinator Name 5d11",
    "coordinator_email": "mk-coordinator-5d11@example.org",
    "phone": "+62-812-0000-7391",
    "private_copy_title": "mk-private-copy-f00d",
    "milestone_note": "mk-milestone-description-1a2b",
}


def _seed(world, as_, client):
    m = MARKERS
    people = {
        world.innovator.id: (m["owner_name"], m["owner_email"]),
        world.other_innovator.id: (m["team_name"], m["team_email"]),
        world.mentor.id: (m["mentor_name"], m["mentor_email"]),
        world.coordinator.id: (m["coordinator_name"], m["coordinator_email"]),
    }
    for user_id, (name, email) in people.items():
        user = db.session.get(User, user_id)
        user.name, user.email = f"{name} {m['phone']}", email
    innovation = fresh(Innovation, world.innovation.id)
    db.session.execute(
        innovation_members.insert().values(
            innovation_id=innovation.id, user_id=world.other_innovator.id
        )
    )
    milestone = factories.make_milestone(
        innovation, title="Uji coba", description=m["milestone_note"]
    )
    root = Feedback(innovation_id=innovation.id, author_id=world.mentor.id, body=m["feedback"])
    db.session.add(root)
    db.session.flush()
    db.session.add_all(
        [
            Feedback(
                innovation_id=innovation.id,
                author_id=world.innovator.id,
                parent_id=root.id,
                body=m["feedback_reply"],
            ),
            RapidAssessment(
                innovation_id=innovation.id,
                mentor_id=world.mentor.id,
                **{
                    c: 4
                    for c in (
                        "novelty",
                        "benefit",
                        "no_added_burden",
                        "within_authority",
                        "replicable",
                    )
                },
                **{
                    f"{c}_note": m["assessment_note"]
                    for c in (
                        "novelty",
                        "benefit",
                        "no_added_burden",
                        "within_authority",
                        "replicable",
                    )
                },
            ),
            ProgressUpdate(
                milestone_id=milestone.id,
                author_id=world.innovator.id,
                from_progress=0,
                to_progress=50,
                note=m["progress_note"],
                evidence_url=m["evidence_url"],
            ),
            StageTransition(
                innovation_id=innovation.id,
                to_stage="creation",
                actor_id=world.coordinator.id,
                reason=m["move_reason"],
            ),
            StageTransition(
                innovation_id=innovation.id,
                from_stage="creation",
                to_stage="development",
                actor_id=world.coordinator.id,
                reason=m["override_reason"],
                gate_overridden=True,
            ),
            ActivityEntry(
                programme_id=innovation.programme_id,
                innovation_id=innovation.id,
                actor_id=world.coordinator.id,
                verb="state_changed",
                details={"reason": m["state_reason"], "to_state": "on_hold"},
            ),
            ActivityEntry(
                programme_id=innovation.programme_id,
                innovation_id=innovation.id,
                actor_id=world.coordinator.id,
                verb="proposal_declined",
                details={"reason": m["decline_reason"]},
            ),
        ]
    )
    publish(innovation, summary="Antrian daring.", results="Turun 80%.")
    # A replication that is not public: its title must not show on the original's page.
    factories.make_innovation(
        world.programme, title=m["private_copy_title"], replicates_id=innovation.id
    )
    db.session.commit()
    as_(world.coordinator)
    upload(
        client,
        innovation.id,
        PDF,
        f"{m['private_document_file']}.pdf",
        title=m["private_document_title"],
    )
    upload(
        client,
        innovation.id,
        PDF,
        "perbup.pdf",
        title="Perbup 12/2024",
        kind="regulation",
        is_public="y",
    )
    client.post("/logout")
    return innovation


def test_no_private_field_appears_on_any_public_page(world, as_, client, uploads):
    innovation = _seed(world, as_, client)
    public = db.session.scalar(
        select(Document).where(Document.innovation_id == innovation.id, Document.is_public)
    )
    ref = catalogue_ref(innovation)
    responses = {}
    for lang in ("id", "en"):
        for url in (
            "/katalog",
            "/katalog?sort=newest",
            "/katalog?q=antrian",
            f"/katalog/{ref}",
            "/sitemap.xml",
            "/api/v1/catalogue",
            f"/api/v1/catalogue/{innovation.id}",
        ):
            response = client.get(url, headers={"Accept-Language": lang})
            responses[f"{url} ({lang})"] = response
    page = responses[f"/katalog/{ref} (en)"]
    assert page.status_code == 200 and "Perbup 12/2024" in page.get_data(as_text=True)
    assert innovation.title in responses["/sitemap.xml (en)"].get_data(as_text=True) or ref in (
        responses["/sitemap.xml (en)"].get_data(as_text=True)
    )
    document = download(client, public.id)
    assert document.status_code == 200
    responses["public document"] = document
    leaks = []
    for name, response in responses.items():
        if response.status_code == 404 and name.startswith("/api/"):
            continue  # the API is not there yet
        text = response.get_data(as_text=True) + str(response.headers)
        leaks += [(name, key) for key, marker in MARKERS.items() if marker in text]
    assert leaks == []
    # The markers are really there for the people inside (the test can fail).
    as_(world.coordinator)
    inside = client.get(f"/innovations/{innovation.id}?tab=history").get_data(as_text=True)
    assert MARKERS["override_reason"] in inside or MARKERS["coordinator_name"] in inside
    inside = client.get(f"/innovations/{innovation.id}/documents").get_data(as_text=True)
    assert MARKERS["private_document_title"] in inside
