"""Imports point one way (ARCHITECTURE.md): reports → workforce → hiring → exams → review →
applicants → recruitment → accounts, with notifications and portal beneath all. A lower app
tells a higher one through a signal or a registry, never an import. Every import statement
of every module (functions' local imports too) is read from the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ["reports", "workforce", "hiring", "exams", "review", "applicants", "recruitment", "accounts"]
BASE = ["notifications", "portal"]
APPS = CHAIN + BASE


def allowed(app: str) -> set[str]:
    """The project apps `app` may import."""
    if app == "portal":
        return {"accounts"}  # users and roles only
    if app == "notifications":
        return {"accounts", "portal"}
    return set(CHAIN[CHAIN.index(app) + 1 :]) | set(BASE)


def imported_apps(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names if name.split(".")[0] in APPS}
    return found


def violations(app: str, source: str) -> set[str]:
    return imported_apps(source) - allowed(app) - {app}


def test_the_checker_catches_applicants_importing_review():
    source = "from review.selectors import stage_counts\n\ndef f():\n    import exams.scoring\n"
    assert violations("applicants", source) == {"review", "exams"}
    assert violations("review", "from applicants.models import Application") == set()
    assert violations("portal", "from recruitment.models import Announcement") == {"recruitment"}


@pytest.mark.parametrize("app", [app for app in APPS if (ROOT / app).is_dir()])
def test_imports_point_one_way(app):
    wrong = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        bad = violations(app, path.read_text(encoding="utf-8"))
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}, f"{app} imports an app above it (use a signal or a registry): {wrong}"
