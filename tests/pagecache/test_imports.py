"""pagecache knows no app's models: it imports only Python, Django and other
libraries, core, itself, and the owning apps' `signals` modules, which import
no models at module level either (read from the source, with ast)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_FIRST_PARTY = {"core", "pagecache"}
# The project's own packages (each app has an apps.py; newsroom too).
APPS = {path.parent.name for path in ROOT.glob("*/apps.py")} - ALLOWED_FIRST_PARTY


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at any depth (a function's lazy import too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from articles import signals` imports articles.signals.
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def module_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.parse(path.read_text(), filename=str(path)).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def refused(module: str) -> bool:
    top, _, rest = module.partition(".")
    if top in ALLOWED_FIRST_PARTY or top not in APPS:
        return False
    # An owning app's signals module, nothing else of it.
    return not (top != "newsroom" and rest.split(".")[0] == "signals")


PAGECACHE_FILES = sorted((ROOT / "pagecache").glob("*.py"))
SIGNAL_MODULES = sorted(
    path for path in (ROOT / app / "signals.py" for app in APPS) if path.exists()
)


@pytest.mark.parametrize("path", PAGECACHE_FILES, ids=lambda path: path.name)
def test_pagecache_imports_no_app_but_its_signals(path):
    bad = [module for module in imported_modules(path) if refused(module)]
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", SIGNAL_MODULES, ids=lambda path: path.parent.name)
def test_signals_modules_import_no_models_at_module_level(path):
    bad = [
        module
        for module in module_level_imports(path)
        if module.partition(".")[0] in APPS and module.split(".")[1:2] != ["signals"]
    ]
    assert bad == [], f"{path.parent.name}/signals.py imports {bad}"


def test_the_checks_see_a_forbidden_import(tmp_path):
    """The rule refuses models, services and views of an app."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from articles import signals\n"
        "from core.cache import is_reachable\n"
        "def f():\n"
        "    from articles.models import Article\n"
        "    from tags import services\n"
        "    import comments.views\n"
    )
    assert [m for m in imported_modules(sample) if refused(m)] == [
        "articles.models.Article",
        "tags.services",
        "comments.views",
    ]
    assert PAGECACHE_FILES and len(SIGNAL_MODULES) >= 5
