"""Word counts agree with a hand count of Indonesian text (see README, "How words are counted")."""

import pytest

from incubator.pipeline.words import count_words


@pytest.mark.parametrize(
    ("text", "hand_count"),
    [
        ("", 0),
        ("   \n\n ", 0),
        # Sistem(1) antrean(2) daring(3) untuk(4) anak-anak(5) dan(6) lansia.(7)
        ("Sistem antrean daring untuk anak-anak dan lansia.", 7),
        # Reduplication and "dan/atau" are one word each.
        ("kupu-kupu, sayur-mayur dan/atau buah-buahan", 4),
        # Markdown markers are not words; emphasised words are.
        ("# Latar Belakang\n\n**Masalah** utama: _antrean_ panjang.", 6),
        # List markers (bullets and numbers) are not words; the items are.
        ("- satu\n- dua\n* tiga\n1. empat\n2) lima", 5),
        # A link counts its text, not its address; a bare address is one word.
        ("Lihat [laporan tahunan](https://example.org/laporan.pdf) atau https://x.id", 5),
        # Numbers are words; a lone dash is none.
        ("Pada 2023 — sebanyak 1.250 warga terlayani", 6),
        # Indonesian punctuation and quotes stick to their word.
        ('«Pelayanan» publik; (cepat), "murah", dan tepat!', 6),
        ("> Kutipan dari Bupati\n\n---\n\nSelesai.", 4),
    ],
)
def test_count_words_matches_a_hand_count(text, hand_count):
    assert count_words(text) == hand_count


def test_a_long_text_counts_every_word():
    assert count_words("kata " * 250) == 250
