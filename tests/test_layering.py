"""The house's layering: a module never imports one of a higher layer.

api → public → report → awards → programme → films → workshops → people → editions/auth/mail →
processing and infrastructure. The application (the factory, the model registry, site-wide
commands, the demo, backups) sits above them all. Imports under `if TYPE_CHECKING:` are for
type hints only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "festival"

LAYERS = [
    {"processing", "<infrastructure>"},
    {"editions", "auth", "mail"},
    {"people"},
    {"workshops"},
    {"films"},
    {"programme"},
    {"awards"},
    {"report"},
    {"public"},
    {"api"},
    {"<application>"},
]
APPLICATION = {"__init__", "models", "cli", "demo", "backup"}


def layer_of(module: str) -> int:
    parts = module.split(".")
    if parts[0] != "festival":
        raise ValueError(module)
    if len(parts) == 1:
        name = "<application>"
    elif (PACKAGE / parts[1]).is_dir():
        name = parts[1]
    else:
        name = "<application>" if parts[1] in APPLICATION else "<infrastructure>"
    return next(i for i, layer in enumerate(LAYERS) if name in layer)


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1] if len(parts) > 2 else parts
    return ".".join(parts)


def runtime_imports(tree: ast.Module):
    """Every `festival…` import, except those guarded by `if TYPE_CHECKING:`."""
    type_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(sub) for sub in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "festival":
                for alias in node.names:
                    yield node.lineno, f"festival.{alias.name}"
            elif node.module.startswith("festival."):
                yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("festival."):
                    yield node.lineno, alias.name


def layering_violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        own = layer_of(module)
        for line, imported in runtime_imports(ast.parse(path.read_text())):
            if layer_of(imported) > own:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}")
    return found


def test_no_module_imports_a_higher_layer():
    assert layering_violations() == []


def test_the_layering_check_sees_a_violation(tmp_path):
    tree = ast.parse("from festival.api.films import blp\n")
    ((line, imported),) = runtime_imports(tree)
    assert layer_of(imported) > layer_of("festival.people.registration")


def test_imports_sit_at_the_top_of_modules():
    """Imports inside functions hide a module's dependencies; only a real cycle or a type
    hint justifies one, and a comment on the line before says so."""
    inside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if not isinstance(sub, (ast.Import, ast.ImportFrom)):
                        continue
                    if not lines[sub.lineno - 2].strip().startswith("#"):
                        inside.append(f"{path.relative_to(PACKAGE.parent)}:{sub.lineno}")
    assert inside == []
