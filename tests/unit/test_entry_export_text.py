"""A section's Markdown as SINOVIK's plain text, and the mentors' weighted estimate."""

from incubator.competitions.plaintext import blocks, plain_text
from incubator.pipeline.entry_review import weighted_estimate


def test_lists_become_dash_lines_and_emphasis_goes():
    source = (
        "Antrean **panjang** di Puskesmas—rata-rata 3 jam; warga “mengeluh”.\n"
        "Baris kedua tetap di baris kedua!\n"
        "\n"
        "* anak-anak *dan* lansia;\n"
        "* ibu hamil: _prioritas_\n"
        "  - sub-butir (dan/atau)\n"
        "\n"
        "1. Daftar [daring](https://contoh.go.id/daftar?a=1&b=2)\n"
        "2. Datang tepat waktu…\n"
        "\n"
        "Selesai. Apa lagi?"
    )
    assert plain_text(source) == (
        "Antrean panjang di Puskesmas—rata-rata 3 jam; warga “mengeluh”.\n"
        "Baris kedua tetap di baris kedua!\n"
        "\n"
        "- anak-anak dan lansia;\n"
        "- ibu hamil: prioritas\n"
        "  - sub-butir (dan/atau)\n"
        "\n"
        "1. Daftar daring (https://contoh.go.id/daftar?a=1&b=2)\n"
        "2. Datang tepat waktu…\n"
        "\n"
        "Selesai. Apa lagi?"
    )


def test_plain_text_is_left_as_written():
    source = "Rp 1.500.000,- per tahun (±20%)\nJl. Soekarno–Hatta No. 5, Kupang & sekitarnya"
    assert plain_text(source) == source
    assert plain_text("") == "" and plain_text("   \n") == "" and blocks(None) == []


def test_a_list_item_with_a_second_paragraph_keeps_it_under_the_item():
    assert plain_text("- satu\n\n  lanjutan\n- dua") == "- satu\n  lanjutan\n- dua"


def test_the_estimate_weighs_each_sections_mean_by_its_weight():
    weights = {1: 0, 2: 30, 3: 20, 4: 50}
    scores = {1: [5], 2: [4, 2], 3: [5]}  # 4 is not scored yet
    estimate = weighted_estimate(weights, scores)
    # (30 * 3 + 20 * 5) / 50: the summary (weight 0) and the unscored section left out.
    assert estimate.score == 3.8
    assert (estimate.scored_weight, estimate.total_weight) == (50, 100)
    assert estimate.percent == 76.0
    assert weighted_estimate(weights, {}).score is None
