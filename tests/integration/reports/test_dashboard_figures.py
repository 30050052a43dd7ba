"""Every dashboard figure against values worked out by hand (the dataset: conftest.py)."""

from datetime import date
from zoneinfo import ZoneInfo

from incubator.reports import dashboard
from incubator.reports.filters import DashboardFilters

from .conftest import NOW, TODAY


def figures(known, mentor_id=None, **filters):
    return dashboard.build(
        known.world.programme,
        DashboardFilters(**filters),
        today=TODAY,
        now=NOW,
        zone=ZoneInfo("Asia/Makassar"),
        mentor_id=mentor_id,
    )


def test_innovations_per_stage_and_state(app, known):
    f = figures(known)
    assert f.by_stage_state["creation"] == {
        "active": 1,
        "on_hold": 0,
        "dropped": 1,
        "institutionalised": 0,
    }
    assert f.by_stage_state["development"] == {
        "active": 1,
        "on_hold": 1,
        "dropped": 0,
        "institutionalised": 0,
    }
    assert f.by_stage_state["institutionalisation"]["active"] == 1
    assert f.total == 5
    assert f.totals_by_state == {"active": 3, "on_hold": 1, "dropped": 1, "institutionalised": 0}


def test_funnel_counts_each_innovation_once_per_stage_even_after_going_back(app, known):
    # I1 entered Creation twice (it went back): counted once.
    assert figures(known).funnel == {"creation": 5, "development": 3, "institutionalisation": 1}


def test_time_in_stage_median_and_p90_from_the_stage_history(app, known):
    times = figures(known).stage_times
    # Creation stays: I1 40 and 30 (went back), I2 40, I3 10, I5 45 (still there);
    # I4's open stay does not count (dropped). Sorted 10 30 40 40 45.
    assert (times["creation"].stays, times["creation"].median, times["creation"].p90) == (
        5,
        40.0,
        43.0,  # rank 3.6: 40 + 0.6 * (45 - 40)
    )
    # Development: I1 20 and 10 (now), I2 50 (on hold, still there), I3 30.
    assert (times["development"].stays, times["development"].median) == (4, 25.0)
    assert times["development"].p90 == 44.0  # rank 2.7: 30 + 0.7 * 20
    assert (times["institutionalisation"].median, times["institutionalisation"].p90) == (
        40.0,
        40.0,
    )


def test_a_period_narrows_the_funnel_and_stage_times_to_entries_within_it(app, known):
    f = figures(known, start=date(2026, 5, 16), end=date(2026, 6, 30))
    # Entries from 16 May: I1 Creation (T-40) and Development (T-10), I3 Institutionalisation
    # (T-40), I4 Creation (T-30), I5 Creation (T-45, 10:00 local on 16 May).
    assert f.funnel == {"creation": 3, "development": 1, "institutionalisation": 1}
    assert (f.stage_times["creation"].median, f.stage_times["creation"].p90) == (37.5, 43.5)
    assert f.stage_times["development"].median == 10.0
    only_may = figures(known, start=date(2026, 5, 1), end=date(2026, 5, 31))
    # May: I1 (Development 1 May, Creation 21 May), I2 Development, I3, I4, I5.
    assert only_may.funnel == {"creation": 3, "development": 2, "institutionalisation": 1}


def test_longest_waiting_cards_are_the_active_ones_longest_in_their_stage(app, known):
    longest = figures(known).longest
    assert [(row["title"], row["days"]) for row in longest] == [
        ("Stalled", 45),
        ("Bansos", 40),
        ("Antrian", 10),
    ]


def test_stalled_means_no_progress_and_no_move_for_the_programmes_setting(app, known):
    f = figures(known)
    assert f.stalled_count == 1
    [row] = f.stalled
    assert (row["title"], row["idle_days"]) == ("Stalled", 45)
    assert row["owner"] == known.world.other_innovator.name
    assert row["mentors"] == known.world.other_mentor.name
    # Bansos entered its stage 40 days ago but had progress 3 days ago; a longer
    # setting leaves Stalled (45 days) in, a 46-day one takes it out.
    known.world.programme.stall_days = 46
    assert figures(known).stalled_count == 0
    known.world.programme.stall_days = 2
    assert [r["title"] for r in figures(known).stalled] == ["Stalled", "Bansos", "Antrian"]


def test_overdue_milestones_by_agency_and_region(app, known):
    f = figures(known)
    # M1 (Antrian) and M5 (Stalled) in Dinkes Belu, M3 (Bansos) in Dinsos Sumba; M4 is
    # due today, M2 is done, M6 belongs to a card on hold.
    assert f.overdue_by_agency == [
        ("Dinas Kesehatan Belu", "Belu", 2),
        ("Dinas Sosial Sumba Timur", "Sumba Timur", 1),
    ]
    assert f.overdue_by_region == [("Belu", 2), ("Sumba Timur", 1)]
    assert f.overdue_total == 3


def test_mentor_load_counts_capacity_across_programmes_and_feedback_waiting(app, known):
    w = known.world
    f = figures(known)
    rows = {m["name"]: m for m in f.mentors}
    mentor, other = rows[w.mentor.name], rows[w.other_mentor.name]
    assert (mentor["load_all"], mentor["load_here"], mentor["capacity"]) == (3, 2, 2)
    assert mentor["over"] is True
    assert (other["load_all"], other["load_here"], other["capacity"]) == (2, 2, 5)
    assert (mentor["waiting"], other["waiting"]) == (1, 1)  # the answered thread does not wait
    assert f.waiting_total == 2


def test_one_agency_one_innovation_coverage(app, known):
    f = figures(known)
    # Dinkes (I1, I5) and Dinsos (I3) have an active card; Disdik's is on hold, PUPR has none.
    assert (f.covered, len(f.coverage_agencies), f.coverage_share) == (2, 4, 50)
    assert f.uncovered == [
        ("Dinas PUPR Sumba Timur", "Sumba Timur"),
        ("Dinas Pendidikan Belu", "Belu"),
    ]


def test_region_agency_and_sector_filters(app, known):
    belu = figures(known, region=known.belu.id)
    assert belu.total == 3
    assert belu.by_stage_state["development"]["on_hold"] == 1
    assert (belu.covered, len(belu.coverage_agencies)) == (1, 2)
    assert belu.overdue_total == 2
    health = figures(known, sector="health")
    assert (health.total, health.funnel["development"]) == (2, 1)
    dinsos = figures(known, agency=known.agencies["dinsos"].id)
    assert dinsos.total == 2 and dinsos.totals_by_state["dropped"] == 1


def test_a_mentor_sees_the_figures_of_their_mentees_only(app, known):
    f = figures(known, mentor_id=known.world.mentor.id)
    assert f.total == 2  # Antrian and Bansos
    assert f.overdue_total == 2
    assert [m["name"] for m in f.mentors] == [known.world.mentor.name]
    assert f.stalled_count == 0


def test_spm_sector_and_sdg_goals_are_dimensions(app, known):
    f = figures(known)
    assert f.by_sector == [("health", 2), ("social_affairs", 2), ("education", 1)]
    assert f.by_sdg == [(1, 1), (3, 1), (16, 1)]
    assert figures(known, region=known.belu.id).by_sdg == [(3, 1), (16, 1)]
