"""The shape of the code, kept by tests: pure packages import no framework, transactions are
opened only by services, views and commands reach the database only through an app's queries
and services, and every hub app has the same folders."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"
PURE = (
    "contract",
    "synthetic",
    "ingest",
    "linkage",
    "intelligence",
    "access",
    "timescales",
    "workflow",
    "casework",
    "governance",
    "backup",
)
APPS = sorted(p.name for p in (SRC / "hub").iterdir() if (p / "apps.py").exists())


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_pure_packages_import_no_framework_and_not_the_hub() -> None:
    wrong = [
        (str(path.relative_to(SRC)), name)
        for package in PURE
        for path in _modules(SRC / package)
        for name in _imports(path)
        if name.split(".")[0] in ("django", "ninja", "django_otp", "axes")
        or name.startswith(("safeguard.hub", "safeguard.cli"))
    ]
    assert not wrong, wrong


def _uses(path: Path, attribute: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == attribute)
        or (isinstance(node, ast.alias) and node.name == attribute)
    ]


def test_only_services_open_transactions() -> None:
    opened = [
        (str(path.relative_to(SRC)), line)
        for path in _modules(SRC)
        if path.name != "services.py" and "services" not in path.parts
        for line in _uses(path, "atomic")
    ]
    assert not opened, f"transaction.atomic outside a services module: {opened}"


def test_views_apis_and_commands_reach_the_database_through_queries_and_services() -> None:
    adapters = [
        *_modules(SRC / "cli"),
        *_modules(SRC / "hub" / "web"),
        SRC / "hub" / "api.py",
        *(SRC / "hub" / app / name for app in APPS for name in ("views.py", "api.py")),
    ]
    direct = [
        (str(path.relative_to(SRC)), line)
        for path in adapters
        if path.exists()
        for line in _uses(path, "objects")
    ]
    assert not direct, f"a model's manager used outside queries and services: {direct}"


def test_every_hub_app_has_the_same_shape() -> None:
    assert {"accounts", "audit", "deliveries", "homes", "people", "intelligence"} <= set(APPS)
    for app in APPS:
        folder = SRC / "hub" / app
        if app == "web":  # the shell: sign-in, your page, middleware, the base templates
            assert not (folder / "models.py").exists() and not (folder / "services.py").exists()
            continue
        for module in ("models.py", "queries.py", "services.py"):
            package = folder / module.removesuffix(".py") / "__init__.py"
            assert (folder / module).exists() or package.exists(), f"hub/{app} has no {module}"
        if (folder / "views.py").exists():
            assert (folder / "urls.py").exists() and (folder / "forms.py").exists(), app
            assert (folder / "templates" / app).is_dir(), f"hub/{app}/templates/{app}/"
