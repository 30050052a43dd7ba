"""requirements.txt says what the app imports: every third-party import is pinned."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import incubator

ROOT = Path(incubator.__file__).parent
REQUIREMENTS = Path(__file__).parents[2] / "requirements.txt"
# Needed at run time though nothing imports them by name.
IMPLICIT = {"tzdata", "psycopg", "gunicorn", "redis", "openpyxl", "babel"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned() -> set[str]:
    names = set()
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert "==" in line, f"not pinned: {line}"
            names.add(_normalise(re.split(r"[\[=]", line, maxsplit=1)[0]))
    return names


def imported_top_level() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"incubator", "config"}


def test_every_imported_distribution_is_pinned():
    distributions = packages_distributions()
    missing = {
        module: distributions.get(module)
        for module in imported_top_level()
        if not {_normalise(d) for d in distributions.get(module, [module])} & pinned()
    }
    assert missing == {}


def test_runtime_only_dependencies_are_pinned():
    assert {_normalise(name) for name in IMPLICIT} <= pinned()
