"""Dependencies point one way: the platform enters the rules only through the names ``gaoqi.rules`` exports, the
rules know nothing of Django or the platform, and ``gaoqi.core`` — the ground floor — imports no other gaoqi app.

Read from the source with ``ast``, so that an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import gaoqi.rules

GAOQI = Path(gaoqi.__file__).parent
RULES = GAOQI / "rules"
CORE = GAOQI / "core"


def _modules(root: Path, *, tests: bool = False) -> list[Path]:
    """The Python files under ``root``; test modules only if ``tests`` (they may reach into what they test)."""
    paths = sorted(root.rglob("*.py"))
    if tests:
        return paths
    return [p for p in paths if "tests" not in p.relative_to(GAOQI).parts and p.name != "conftest.py"]


def _imports(path: Path) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """``(line, module, names)`` of every import in ``path``: ``import a.b`` is ``("a.b", ())``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(GAOQI.parent) if path.is_relative_to(GAOQI.parent) else path}:{line}"


def _rules_imports_outside_the_public_names(paths: list[Path]) -> list[str]:
    exported = set(gaoqi.rules.__all__)
    found = []
    for path in paths:
        for line, module, names in _imports(path):
            if module.startswith("gaoqi.rules."):
                found.append(f"{_where(path, line)} imports {module}")
            elif module == "gaoqi.rules" and (hidden := [n for n in names if n not in exported]):
                found.append(f"{_where(path, line)} imports {', '.join(hidden)} which gaoqi.rules does not export")
            elif module == "gaoqi" and "rules" in names:
                found.append(f"{_where(path, line)} imports the package gaoqi.rules by attribute")
    return found


def test_the_platform_imports_only_what_the_rules_export() -> None:
    platform = [p for p in _modules(GAOQI) if RULES not in p.parents]
    assert _rules_imports_outside_the_public_names(platform) == []


def test_every_exported_name_exists() -> None:
    missing = [name for name in gaoqi.rules.__all__ if not hasattr(gaoqi.rules, name)]
    assert missing == []


@pytest.mark.parametrize(
    ("source", "offence"),
    [
        ("from gaoqi.rules.ingest import InputError\n", "imports gaoqi.rules.ingest"),
        ("import gaoqi.rules.tables\n", "imports gaoqi.rules.tables"),
        # (the private name is joined at run time, so that a grep for such imports does not find this example)
        (
            "def f():\n    from gaoqi.rules import " + "_programs\n",
            "imports _programs which gaoqi.rules does not export",
        ),
    ],
    ids=["from a module", "import a module", "a private name, inside a function"],
)
def test_a_reach_into_the_rules_is_caught(source: str, offence: str, tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(source, encoding="utf-8")
    [found] = _rules_imports_outside_the_public_names([module])
    assert found.endswith(offence)


def test_the_rules_import_neither_django_nor_the_platform() -> None:
    found = [
        f"{_where(path, line)} imports {module}"
        for path in _modules(RULES, tests=True)
        for line, module, _names in _imports(path)
        if module.split(".")[0] == "django" or (module.startswith("gaoqi.") and not module.startswith("gaoqi.rules"))
    ]
    assert found == []


def test_core_imports_no_other_gaoqi_app() -> None:
    found = [
        f"{_where(path, line)} imports {module}"
        for path in _modules(CORE)
        for line, module, _names in _imports(path)
        if module.startswith("gaoqi.") and not module.startswith("gaoqi.core")
    ]
    assert found == []
