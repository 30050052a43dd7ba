"""Imports run one way: views and machinery -> pipeline/ (the domain) -> models/.

Read from the source with `ast`, so an import inside a function counts too.
"""

import ast
from pathlib import Path

import incubator

ROOT = Path(incubator.__file__).parent

# incubator.<first part> -> layer; a module may import its own layer and those below.
# Everything not listed (auth, board, innovations, mentoring, reminders, the app
# factory, CLI, demo, ...) is the top layer.
LAYERS = {
    "models": 0,
    "extensions": 0,
    "labels": 0,
    "dates": 0,
    "translating": 0,
    "pipeline": 1,
}
TOP = 2
NAMES = {0: "models", 1: "pipeline", 2: "features"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], TOP) if len(parts) > 1 else TOP


def imported(source: str, module: str, is_package: bool) -> set[str]:
    """Every `incubator.*` module (or name in one) that `source` imports."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "incubator"}


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    own = layer(module)
    wrong = []
    for target in sorted(imported(source, module, is_package)):
        if layer(target) > own:
            wrong.append(f"{module} ({NAMES[own]}) imports {target} ({NAMES[layer(target)]})")
        if _views_of_another_package(target, module):
            wrong.append(f"{module} imports another package's views: {target}")
    return wrong


def _views_of_another_package(target: str, module: str) -> bool:
    """A views module is a leaf: its own package imports it (to register the routes), and
    the app factory registers the blueprints; nothing else does."""
    parts, own = target.split("."), module.split(".")
    is_views = len(parts) > 2 and parts[2].endswith("views")
    return is_views and len(own) > 1 and own[1] != parts[1]


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        yield path, module_name(path)


def test_imports_run_one_way():
    found = []
    for path, module in sources():
        found += violations(path.read_text(), module, path.name == "__init__.py")
    assert found == []


def test_the_check_sees_each_kind_of_wrong_import():
    assert violations("from ..reminders import outbox", "incubator.pipeline.reminders") == [
        "incubator.pipeline.reminders (pipeline) imports incubator.reminders.outbox (features)"
    ]
    assert violations("from ..auth.forms import X", "incubator.pipeline.accounts")
    assert violations("from ..pipeline import stages", "incubator.models.innovations")
    assert violations("import incubator.board.views", "incubator.models")
    assert violations("from ..auth.views import safe_next", "incubator.mentoring.blueprint")
    assert violations("from .views import progress_forms", "incubator.innovations.other") == []
    assert violations("from ..models import Innovation", "incubator.pipeline.stages") == []
    assert violations("from . import DomainError", "incubator.pipeline", is_package=True) == []
