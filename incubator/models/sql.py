"""Portable SQL pieces for set-based enqueueing: the same statement on SQLite and PostgreSQL."""

from sqlalchemy import JSON, Date, Integer, String, Table, cast, literal, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db


class add_days(FunctionElement):  # noqa: N801 (reads like the SQL function it stands for)
    """`day + n` days, as a date."""

    type = Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days)
def _add_days(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return (
        f"date({compiler.process(day, **kw)}, printf('%+d days', {compiler.process(days, **kw)}))"
    )


class days_between(FunctionElement):  # noqa: N801
    """Whole days from `earlier` to `later` (negative when later is earlier)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


class json_object(FunctionElement):  # noqa: N801
    """A JSON object built in SQL from alternating keys and values."""

    type = JSON()
    inherit_cache = True
    name = "json_object"


@compiles(json_object)
def _json_object(element, compiler, **kw):
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "sqlite")
def _json_object_sqlite(element, compiler, **kw):
    return f"json_object({compiler.process(element.clauses, **kw)})"


class date_text(FunctionElement):  # noqa: N801
    """A date as YYYY-MM-DD, whatever the server's DateStyle (dedupe keys must not change)."""

    type = String()
    inherit_cache = True
    name = "date_text"


@compiles(date_text)
def _date_text(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@compiles(date_text, "sqlite")
def _date_text_sqlite(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS VARCHAR)"  # stored as ISO text


def as_text(value: ColumnElement) -> ColumnElement:
    """A column as text, for building dedupe keys (dates render as YYYY-MM-DD on both)."""
    return cast(value, String)


def key(*parts) -> ColumnElement:
    """`a:b:c` from columns and literal strings, concatenated in SQL."""
    expression = None
    for part in parts:
        if isinstance(part, str):  # and StrEnum: a literal; anything else is a column
            piece = literal(str(part), String)
        else:
            piece = part.__clause_element__() if hasattr(part, "__clause_element__") else part
        if isinstance(piece.type, Date):
            piece = date_text(piece)
        elif not isinstance(piece.type, String):
            piece = as_text(piece)
        expression = piece if expression is None else expression + literal(":", String) + piece
    return expression


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def insert_ignoring_conflicts(table: Table, columns: list[str], select: Select):
    """INSERT ... SELECT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL."""
    module = postgresql if dialect_name() == "postgresql" else sqlite
    return module.insert(table).from_select(columns, select).on_conflict_do_nothing()


def execute_counting(statement) -> int:
    """Execute an INSERT ... SELECT and return how many rows it wrote."""
    count = db.session.execute(statement, execution_options={"preserve_rowcount": True}).rowcount
    if count < 0:  # the sqlite3 driver does not count `WITH ... INSERT`; SQLite itself does
        count = db.session.execute(text("SELECT changes()")).scalar_one()
    return count


class group_text(FunctionElement):  # noqa: N801
    """The non-null texts of a group joined with `separator` (string_agg / group_concat);
    sorted on PostgreSQL, in row order on SQLite (3.40 has no ORDER BY in aggregates)."""

    type = String()
    inherit_cache = True
    name = "group_text"


@compiles(group_text)
def _group_text(element, compiler, **kw):
    value, separator = list(element.clauses)
    text = compiler.process(value, **kw)
    return f"string_agg({text}, {compiler.process(separator, **kw)} ORDER BY {text})"


@compiles(group_text, "sqlite")
def _group_text_sqlite(element, compiler, **kw):
    value, separator = list(element.clauses)
    return f"group_concat({compiler.process(value, **kw)}, {compiler.process(separator, **kw)})"
