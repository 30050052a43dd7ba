"""The public catalogue: publication with consent, search, filters, pages, previews."""

import re

from sqlalchemy import select

from incubator.catalogue.queries import PER_PAGE, catalogue_ref
from incubator.extensions import db
from incubator.models import ActivityEntry, Innovation, InnovationState, Region, StageTransition
from tests import factories
from tests.integration.catalogue.conftest import fresh, publish


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_it_appears_only_when_the_coordinator_published_and_the_owner_agreed(world, as_, client):
    innovation = world.innovation
    url = f"/katalog/{catalogue_ref(innovation)}"
    as_(world.innovator)
    assert client.post(f"/innovations/{innovation.id}/publish").status_code == 403
    as_(world.coordinator)
    assert client.post(f"/innovations/{innovation.id}/consent").status_code == 403
    assert client.post(f"/innovations/{innovation.id}/publish").status_code == 302
    client.post("/logout")
    assert client.get(url).status_code == 404  # not yet: the owner has not agreed
    as_(world.other_innovator)
    assert client.post(f"/innovations/{innovation.id}/consent").status_code == 403
    as_(world.innovator)
    assert client.post(f"/innovations/{innovation.id}/consent").status_code == 302
    row = fresh(Innovation, innovation.id)
    assert row.published_by_id == world.coordinator.id and row.published_at is not None
    assert row.consent_by_id == world.innovator.id and row.consent_at is not None
    overview = client.get(f"/innovations/{innovation.id}").get_data(as_text=True)
    assert world.coordinator.name in overview and "In the catalogue" in overview
    client.post("/logout")
    assert client.get(url).status_code == 200
    assert innovation.title in client.get("/katalog").get_data(as_text=True)

    # The owner withdraws: off at once.
    as_(world.innovator)
    client.post(f"/innovations/{innovation.id}/consent", data={"do": "withdraw"})
    client.post("/logout")
    assert client.get(url).status_code == 404
    assert innovation.title not in client.get("/katalog").get_data(as_text=True)
    # Agreed again, then the coordinator withdraws: off at once too.
    as_(world.innovator)
    client.post(f"/innovations/{innovation.id}/consent")
    as_(world.coordinator)
    client.post(f"/innovations/{innovation.id}/publish", data={"do": "withdraw"})
    client.post("/logout")
    assert client.get(url).status_code == 404
    verbs = db.session.scalars(
        select(ActivityEntry.verb)
        .where(ActivityEntry.innovation_id == innovation.id)
        .order_by(ActivityEntry.id)
    ).all()
    assert verbs[-5:] == [
        "catalogue_published",
        "catalogue_consented",
        "catalogue_consent_withdrawn",
        "catalogue_consented",
        "catalogue_withdrawn",
    ]


def test_institutionalised_innovations_are_proposed_to_their_coordinators(world, as_, client):
    innovation = fresh(Innovation, world.innovation.id)
    innovation.state = InnovationState.INSTITUTIONALISED
    db.session.commit()
    as_(world.coordinator)
    page = client.get(f"/innovations/{innovation.id}").get_data(as_text=True)
    assert "This innovation is institutionalised: publish it in the catalogue" in page
    assert "Publish in the catalogue" in page
    as_(world.innovator)
    page = client.get(f"/innovations/{innovation.id}").get_data(as_text=True)
    assert "I agree to publish it" in page and "Publish in the catalogue" not in page


def test_unknown_private_and_malformed_references_are_404(world, client):
    publish(world.other_innovation)
    db.session.commit()
    private = world.innovation
    for ref in (
        str(private.id),
        catalogue_ref(private),
        "999999",
        "0",
        "abc",
        "9" * 30,
        f"{world.other_innovation.id}-Bad_Slug",
    ):
        assert client.get(f"/katalog/{ref}").status_code == 404, ref
    # A missing or outdated title slug leads to the one address of the page.
    response = client.get(f"/katalog/{world.other_innovation.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(
        f"/katalog/{catalogue_ref(world.other_innovation)}"
    )


def test_a_page_shows_what_the_catalogue_promises(world, as_, client):
    innovation = publish(
        fresh(Innovation, world.innovation.id),
        summary="Antrian daring untuk puskesmas.",
        problem="Warga menunggu tiga jam.",
        results="Waktu tunggu turun dari 180 menjadi 35 menit.",
    )
    db.session.add_all(
        [
            StageTransition(innovation_id=innovation.id, to_stage="creation"),
            StageTransition(
                innovation_id=innovation.id, from_stage="creation", to_stage="development"
            ),
        ]
    )
    db.session.commit()
    html = client.get(f"/katalog/{catalogue_ref(innovation)}").get_data(as_text=True)
    for text in ("Antrian daring", "Warga menunggu tiga jam", "dari 180 menjadi 35 menit"):
        assert text in html
    assert "Creation, from" in html and "Development, from" in html
    assert '<meta property="og:title" content="' + innovation.title in html
    assert '<meta property="og:description" content="Antrian daring untuk puskesmas."' in html
    assert (
        f'<link rel="canonical" href="http://incubator.test/katalog/{catalogue_ref(innovation)}"'
        in html
    )
    assert "Replicated 0 times" in html
    assert "Log in to replicate" in html


def test_search_filters_sort_and_pages(world, client, count_queries):
    programme = world.programme
    kupang = Region(name="Kota Kupang", kind="city")
    belu = Region(name="Belu", kind="regency")
    db.session.add_all([kupang, belu])
    db.session.flush()
    health = factories.make_agency(kupang.id, "Dinas Kesehatan Kota Kupang")
    civil = factories.make_agency(belu.id, "Dinas Dukcapil Belu")
    publish(
        factories.make_innovation(programme, title="Antrian Online", agency_id=health.id),
        summary="Nomor antrian lewat telepon.",
        is_digital=True,
        category="public_service",
    )
    ktp = publish(
        factories.make_innovation(programme, title="KTP Keliling", agency_id=civil.id),
        summary="Perekaman KTP di desa.",
        is_digital=False,
        category="governance",
    )
    factories.make_innovation(programme, title="Antrian Rahasia")  # not published
    for _ in range(2):  # the KTP one is the most replicated
        factories.make_innovation(programme, replicates_id=ktp.id)
    db.session.commit()

    def titles(**args):
        response = client.get("/katalog", query_string=args)
        assert response.status_code == 200
        return _titles(response.get_data(as_text=True))

    assert titles() == ["KTP Keliling", "Antrian Online"]  # most replicated first
    assert titles(sort="newest") == ["KTP Keliling", "Antrian Online"]  # published last
    assert titles(q="antrian") == ["Antrian Online"]  # title; never the private one
    assert titles(q="telepon") == ["Antrian Online"]  # summary
    assert titles(q="dukcapil") == ["KTP Keliling"]  # agency
    assert titles(q="100%_") == []
    assert titles(region=kupang.id) == ["Antrian Online"]
    assert titles(category="governance") == ["KTP Keliling"]
    assert titles(digital="1") == ["Antrian Online"]
    assert titles(digital="0") == ["KTP Keliling"]
    # Nonsense is ignored, never a 500.
    assert titles(region="x", page="²", sort="drop table", category="?", digital="maybe") == [
        "KTP Keliling",
        "Antrian Online",
    ]
    assert titles(page=str(2**70)) == ["KTP Keliling", "Antrian Online"]

    # Paged, in a fixed number of queries however many there are.
    for n in range(PER_PAGE + 1):
        publish(factories.make_innovation(programme, title=f"Inovasi {n:02d}", agency_id=civil.id))
    db.session.commit()
    with count_queries() as few:
        first = client.get("/katalog?sort=newest")
    assert len(_titles(first.get_data(as_text=True))) == PER_PAGE
    assert 'aria-label="Pages of the catalogue"' in first.get_data(as_text=True)
    second = _titles(client.get("/katalog?sort=newest&page=2").get_data(as_text=True))
    assert len(second) == 15 - PER_PAGE
    for n in range(10):
        publish(factories.make_innovation(programme, title=f"Lagi {n}", agency_id=health.id))
    db.session.commit()
    with count_queries() as more:
        client.get("/katalog?sort=newest")
    assert len(more) == len(few)


def test_the_sitemap_lists_published_pages_only(world, client):
    publish(world.other_innovation)
    db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    xml = response.get_data(as_text=True)
    assert "<loc>http://incubator.test/katalog</loc>" in xml
    assert f"/katalog/{catalogue_ref(world.other_innovation)}</loc>" in xml
    assert f"/katalog/{world.innovation.id}-" not in xml


def test_indonesian_by_default_english_with_the_switch(world, app):
    client = app.test_client()
    html = client.get("/katalog").get_data(as_text=True)
    assert '<html lang="id"' in html and "Katalog inovasi teruji" in html
    html = client.get("/katalog?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in html and "Catalogue of proven innovations" in html


def test_the_spm_sector_filter(world, client):
    publish(world.innovation, spm_sector="health")
    publish(world.other_innovation, spm_sector="education")
    db.session.commit()
    html = client.get("/katalog").get_data(as_text=True)
    assert 'name="spm"' in html
    titles = _titles(client.get("/katalog?spm=health").get_data(as_text=True))
    assert titles == [world.innovation.title]
    body = client.get("/api/v1/catalogue?spm=education").get_json()
    assert [i["id"] for i in body["data"]] == [world.other_innovation.id]
