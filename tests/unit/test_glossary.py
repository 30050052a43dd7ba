"""The Indonesian catalogue keeps to translations/GLOSSARY.md: one word per thing.

A translator reaching for a synonym ("tahapan" for a milestone, "umpan balik" for
feedback) makes pages and emails say two things for one; this fails on it.
"""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parents[2] / "translations/id/LC_MESSAGES/messages.po"

# The glossary's "not" column, as words (a few of its entries, e.g. "mentor", are
# also proper parts of other strings, so they are not listed here).
AVOIDED = {
    r"\btahapan\b": "tonggak (milestone) or tahap (stage)",
    r"\bprogres\b": "kemajuan",
    r"\bumpan balik\b": "masukan",
    r"\bpemilik(nya)?\b": "penanggung jawab",
    r"\bbatas waktu\b": "tenggat",
    r"\bfase\b": "tahap",
}


def test_the_indonesian_catalogue_uses_the_glossary_words():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in filter(None, strings):
            for pattern, word in AVOIDED.items():
                if re.search(pattern, text, re.IGNORECASE):
                    found.append(f"{text!r}: use {word}")
    assert found == []
