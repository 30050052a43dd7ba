"""The catalogue's query string (the page and the API share it)."""

from .. import labels
from ..models import Category
from ..numbers import parse_id, parse_int
from . import queries

PAGE_MAX = 10_000
QUERY_MAX = 200


def spm_options() -> list[tuple[str, str]]:
    """The SPM sectors to filter by, in the reader's language."""
    return [(str(key), str(text)) for key, text in labels.SPM_LABELS.items()]


def read_filters(args) -> queries.Filters:
    """The catalogue's query string; unknown values are ignored, not errors."""
    digital = args.get("digital")
    category = args.get("category", "")
    sort = args.get("sort", "replicated")
    spm = args.get("spm", "")
    return queries.Filters(
        spm=spm if spm in {key for key, _text in spm_options()} else "",
        q=(args.get("q") or "").strip()[:QUERY_MAX],
        region=parse_id(args.get("region")),
        category=category if category in set(Category) else "",
        digital={"1": True, "0": False}.get(digital),
        sort=sort if sort in queries.SORTS else "replicated",
        page=parse_int(args.get("page"), low=1, high=PAGE_MAX) or 1,
    )
