"""The single-line rule (pipeline.rules) and that every one-line form field applies it."""

import importlib
import pkgutil

import pytest
from wtforms import Form, HiddenField, PasswordField, StringField, TextAreaField

import incubator
from incubator.pipeline import DomainError
from incubator.pipeline.rules import as_one_line, clean_line, line_problem
from incubator.single_line import LineField

REFUSED = {
    "line feed": "Antrian\nPuskesmas",
    "carriage return": "Antrian\r\nBcc: x@example.org",
    "tab": "Antrian\tPuskesmas",
    "NUL": "Antrian\x00",
    "line separator": "Antrian\u2028Puskesmas",
    "right-to-left override": "Laporan\u202efdp.exe",
    "isolate": "\u2067Laporan",
    "zero-width only": "\u200b\u200c\u200d",
    "blank Hangul filler": "\u3164",
    "combining mark alone": "\u0301",
}
ACCEPTED = [
    "Sistem Antrian Puskesmas Online",
    "Dinas Kesehatan – Kab. Belu (2026)",
    "Ibu ☕ & 👩‍💻",  # an emoji joined by a zero-width joiner
    "Éducation à l'école",
]


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_control_direction_and_invisible_only_text_is_refused(value):
    assert line_problem(value) is not None
    with pytest.raises(DomainError):
        clean_line(value, "title", 200)  # refused even where empty would be allowed


@pytest.mark.parametrize("value", ACCEPTED)
def test_ordinary_titles_and_names_pass(value):
    assert clean_line(value, "title", 200) == value


def test_spaces_and_invisible_characters_at_the_ends_are_trimmed():
    assert clean_line("  \u200bAntrian \ufeff ", "title", 200) == "Antrian"


def test_the_length_limit_counts_the_trimmed_text():
    assert clean_line(" " + "a" * 10 + " ", "title", 10) == "a" * 10
    with pytest.raises(DomainError):
        clean_line("a" * 11, "title", 10)


def test_a_header_line_loses_its_line_breaks():
    assert as_one_line("Antrian\r\nBcc: x@example.org\t ok") == "Antrian Bcc: x@example.org ok"


def _all_forms():
    for module in pkgutil.walk_packages(incubator.__path__, "incubator."):
        importlib.import_module(module.name)
    seen, stack = set(), [Form]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [f for f in seen if f.__module__.startswith("incubator.")]


# Not free text typed by a person: a GET checkbox read as a flag.
NOT_TEXT = {
    ("incubator.board.filters", "FilterForm", "mine"),
    ("incubator.board.filters", "FilterForm", "overdue"),
}


def test_every_single_line_text_field_of_every_form_is_a_line_field():
    multi_line = (TextAreaField, PasswordField, HiddenField, LineField)
    found, wrong = 0, []
    for form in _all_forms():
        for name, unbound in vars(form).items():
            field_class = getattr(unbound, "field_class", None)
            if field_class is None or not issubclass(field_class, StringField):
                continue
            if (form.__module__, form.__name__, name) in NOT_TEXT:
                continue
            if issubclass(field_class, LineField):
                found += 1
            elif not issubclass(field_class, multi_line):
                wrong.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not wrong, wrong
    assert found >= 12  # titles, names, emails, searches, slug, link
