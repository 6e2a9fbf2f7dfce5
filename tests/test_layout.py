"""The apps depend on one another in one direction, and none on `newsroom/`.

Every import is read with `ast` from the apps' source (migrations and tests
aside), wherever it sits: an import inside a function still makes the app
depend on the other, it only hides a cycle from Python. Model references by
string ("articles.Article") are not imports, and neither is listening to
another app's signals: importing its `signals` module, which declares the
signals and imports no app (tests/pagecache/test_imports.py), is how the page
cache hears what changed without depending on the app. The apps are the project's own
entries in INSTALLED_APPS, so a new app is checked without editing this file.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()
# The project's wiring (settings, URLs, admin site): it imports the apps.
WIRING = settings.ROOT_URLCONF.split(".")[0]


def _project_packages() -> set[str]:
    """Top-level packages of the INSTALLED_APPS that live in this repository
    (not the libraries, even when they are installed inside it)."""
    packages = {config.name.split(".")[0] for config in apps.get_app_configs()}
    return {package for package in packages if (ROOT / package / "apps.py").exists()}


def _apps_and_wiring() -> set[str]:
    return _project_packages() | {WIRING}


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def _listens(module: str, names: list[str]) -> bool:
    """`import app.signals`, `from app.signals import x`, `from app import
    signals`: the app's signals, heard, not depended on."""
    parts = module.split(".")
    if len(parts) == 2 and parts[1] == "signals":
        return True
    return len(parts) == 1 and bool(names) and set(names) == {"signals"}


def _imported(path: Path, package: str):
    """(line, top-level package) of every import in the module, other than
    of another app's signals."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _listens(alias.name, []):
                    yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level:  # "from . import x" stays in the package
                yield node.lineno, package
            elif node.module and not _listens(node.module, names):
                yield node.lineno, node.module.split(".")[0]


def import_graph() -> dict[str, dict[str, list[str]]]:
    """app -> imported app -> the "path:line" of each import that does it."""
    packages = _apps_and_wiring()
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for package in sorted(packages - {WIRING}):
        for path in _modules(package):
            for line, target in _imported(path, package):
                if target in packages and target != package:
                    where = f"{path.relative_to(ROOT)}:{line}"
                    graph[package][target].append(where)
    return graph


def cycles(graph) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(app):
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in graph.get(app, {}):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return found


def _explain(graph, group: list[str]) -> str:
    return "\n".join(
        f"  {app} -> {other}: {', '.join(graph[app][other][:3])}"
        for app in group
        for other in group
        if other in graph.get(app, {})
    )


def test_the_checked_apps_are_the_installed_ones():
    packages = _project_packages()
    assert {"articles", "tags", "comments", "core", "jobs"} <= packages
    assert not packages & {"taggit", "django", "reversion", WIRING}


def test_no_import_cycle_between_apps():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "Apps importing each other:\n" + "\n\n".join(
        _explain(graph, group) for group in found
    )


def test_no_app_imports_the_wiring():
    upward = {
        app: targets[WIRING]
        for app, targets in import_graph().items()
        if WIRING in targets
    }
    assert not upward, f"Apps importing {WIRING}/: {upward}"


def test_the_checker_sees_a_cycle_hidden_in_a_function(tmp_path):
    source = "def later():\n    from tags.models import Tag\n"
    path = tmp_path / "hidden.py"
    path.write_text(source)
    assert list(_imported(path, "articles")) == [(2, "tags")]
    graph = {"articles": {"tags": ["a"]}, "tags": {"articles": ["b"]}, "core": {}}
    assert cycles(graph) == [["articles", "tags"]]


def test_only_an_apps_signals_module_counts_as_listening():
    assert _listens("articles.signals", [])
    assert _listens("articles", ["signals"])
    assert not _listens("articles", ["signals", "models"])
    assert not _listens("articles.models", ["Article"])
    assert not _listens("articles.signals.extra", [])


def test_the_architecture_page_draws_the_imports_as_they_are():
    """docs/architecture.md lists what each app imports; it must not drift."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    drawn = {}
    for line in text.splitlines():
        app, arrow, targets = line.partition("->")
        if arrow and app.strip().endswith("/"):
            drawn[app.strip().rstrip("/")] = {
                target.strip() for target in targets.split(",") if target.strip()
            }
    graph = import_graph()
    actual = {app: set(targets) for app, targets in graph.items() if targets}
    assert drawn == actual


def test_every_app_is_packaged():
    """A non-editable install (`pip install .`) ships every app."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    for package in _apps_and_wiring():
        assert any(fnmatch.fnmatch(package, pattern) for pattern in include), package
