"""Dependencies run one way: an app imports only apps below it in LAYERS (and itself).

The order, low to high. Each app may use everything before it and nothing after it; the
project's own frame (settings, urls, wsgi, cli) sits above them all. A new app must be placed
here before its first import of another app passes."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "dianjiao"
LAYERS = [
    "lib",  # no models: ID numbers, pinyin, dates and months, xlsx, forms' helpers
    "accounts",  # users, roles, the read and write scope
    "audit",  # the trail every write leaves
    "orgs",  # county > township > village > viewing points, equipment
    "members",  # the roster
    "films",  # the library, copies, requests and loans
    "logbook",  # the append-only, hash-chained logbook
    "plans",  # the township's annual plan and the villages' work plans: targets only
    "teaching",  # viewing sessions, attendance, feedback; film usage counted from them
    "infoitems",  # information items
    "reports",  # quarterly reports, pre-filled from sessions and films
    "pastoral",  # mobile-teaching campaigns at herders' camps and their hours ledger
    "compliance",  # compliance computed from all of the above, to-dos, coverage, exports
    "oversight",  # inspections (pre-filled from compliance), bulletins, assessment, meetings
    "api",  # the JSON sync API and the offline capture page, over the services above
    "reminders",  # daily digests of the to-dos by e-mail, SMS and WeCom
    "demo",  # the demo township, built through the services
    "web",  # home page, base templates, commands
]
PROJECT = {"settings", "urls", "wsgi", "cli", "__init__", "__main__"}


def _apps() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in `path`, at any depth (a function-level import
    counts as much as a module-level one), relative imports resolved."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out += [(node.lineno, module)]
            # `from dianjiao import x` imports the package x
            if module == "dianjiao":
                out += [(node.lineno, f"dianjiao.{a.name}") for a in node.names]
    return out


def _violations() -> list[str]:
    rank = {app: i for i, app in enumerate(LAYERS)}
    found = []
    for app in _apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # a migration names its dependencies, in the order migrations keep
            for line, module in _imports(path):
                parts = module.split(".")
                if parts[0] != "dianjiao" or len(parts) < 2 or parts[1] == app:
                    continue
                target = parts[1]
                where = f"{path.relative_to(ROOT.parent)}:{line}"
                if target in PROJECT:
                    found.append(f"{where}: {app} imports the project module dianjiao.{target}")
                elif rank[target] > rank[app]:
                    found.append(f"{where}: {app} imports {module}, which is above it")
    return found


def test_every_app_has_a_place_in_the_order():
    assert set(_apps()) == set(LAYERS), (
        "place every app of dianjiao/ in LAYERS (tests/test_layers.py) and the README"
    )


def test_no_app_imports_an_app_above_it():
    assert _violations() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from dianjiao.compliance.todos import todos", "above it"),
        ("def f():\n    from dianjiao.teaching import usage\n", "above it"),
        ("from dianjiao import reports", "above it"),
        ("from dianjiao.wsgi import application", "project module"),
    ],
)
def test_the_check_sees_upward_imports_at_any_depth(tmp_path, monkeypatch, source, expected):
    """The checker itself: a low app's upward import is found wherever it is written."""
    fake = tmp_path / "dianjiao"
    for app in LAYERS:
        (fake / app).mkdir(parents=True)
        (fake / app / "__init__.py").write_text("")
    (fake / "films" / "leak.py").write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", fake)
    problems = _violations()
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith("dianjiao/films/leak.py:")


def test_relative_imports_are_resolved_to_their_app(tmp_path, monkeypatch):
    fake = tmp_path / "dianjiao"
    for app in LAYERS:
        (fake / app).mkdir(parents=True)
        (fake / app / "__init__.py").write_text("")
    (fake / "orgs" / "sub").mkdir()
    (fake / "orgs" / "sub" / "x.py").write_text(
        "from ...members import models\nfrom .. import models\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", fake)
    assert [p.split(": ", 1)[1] for p in _violations()] == [
        "orgs imports dianjiao.members, which is above it"
    ]
