"""The house's layering: a module never imports one of a higher layer.

api → public → report → awards → programme → films → collection → workshops → people →
editions/auth/mail → processing and infrastructure. The application (the factory, the model
registry, site-wide commands, the demo, backups) sits above them all. Imports under
`if TYPE_CHECKING:` are for type hints only and do not count.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "festival"

LAYERS = [
    {"processing", "<infrastructure>"},
    {"editions", "auth", "mail"},
    {"people"},
    {"workshops"},
    {"collection"},
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


def _type_only(tree: ast.Module) -> set[int]:
    """The nodes under `if TYPE_CHECKING:`: imports for type hints only."""
    type_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(sub) for sub in ast.walk(node))
    return type_only


def runtime_imports(tree: ast.Module):
    """Every `festival…` import, except those guarded by `if TYPE_CHECKING:`."""
    type_only = _type_only(tree)
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


# ---------------------------------------------------------------- circles, relationships, templates


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in list(graph):
        if node not in index:
            visit(node)
    return circles


def _module_imports(path: Path) -> set[str]:
    """The modules a file imports at run time (type hints aside): `from festival.films import
    publication` is the module festival.films.publication, not the package."""
    tree = ast.parse(path.read_text())
    type_only = _type_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only or not isinstance(node, ast.ImportFrom):
            continue
        if node.module and node.level == 0 and node.module.startswith("festival"):
            for alias in node.names:
                named = f"{node.module}.{alias.name}"
                found.add(named if _is_module(named) else node.module)
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or path.is_dir()


def test_no_modules_import_each_other_in_a_circle():
    graph = {module_name(path): _module_imports(path) for path in PACKAGE.rglob("*.py")}
    assert import_circles(graph) == []


def test_the_circle_check_sees_one():
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# The one relationship declared upward, on purpose: an account's person. People sits above
# auth because its records name the staff account that recorded them.
DECLARED_UPWARD = {("User", "participant")}


def upward_relationships(mappers) -> tuple[list[str], dict[str, int]]:
    """Relationships declared on a class towards a higher domain's class (violations, bar the
    one allowed), and the names that higher domains add to lower classes as backrefs, with
    the layer below which no code may use them."""
    declared, backrefs = [], {}
    for mapper in mappers:
        cls = mapper.class_
        own = layer_of(cls.__module__)
        source = Path(inspect.getsourcefile(cls)).read_text()
        for rel in mapper.relationships:
            target = rel.mapper.class_
            if layer_of(target.__module__) <= own:
                continue
            if re.search(rf"^\s+{rel.key}: Mapped\[", source, re.M) is not None:
                if (cls.__name__, rel.key) not in DECLARED_UPWARD:
                    declared.append(f"{cls.__name__}.{rel.key} -> {target.__name__}")
            else:
                backrefs[rel.key] = min(backrefs.get(rel.key, 99), layer_of(target.__module__))
    return declared, backrefs


def test_relationships_are_declared_by_the_higher_domain(app):
    from festival.extensions import db

    declared, _backrefs = upward_relationships(db.Model.registry.mappers)
    assert declared == []


def _domain_files(domain: str):
    yield from (PACKAGE / domain).rglob("*.py")
    templates = PACKAGE / "templates" / domain
    if templates.is_dir():
        yield from (p for p in templates.rglob("*") if p.is_file())


def _domains_below(layer: int) -> list[str]:
    return [
        name
        for index, group in enumerate(LAYERS)
        if index < layer
        for name in group
        if (PACKAGE / name).is_dir()
    ]


def test_lower_domains_never_navigate_what_higher_ones_added(app):
    """A backref a higher domain adds to a lower class (`edition.workshops`) is for the higher
    domain's own code: a lower domain asks through its signals instead."""
    from festival.extensions import db

    _declared, backrefs = upward_relationships(db.Model.registry.mappers)
    assert backrefs, "the check has nothing to look for"
    found = []
    for name, layer in backrefs.items():
        pattern = re.compile(rf"(?<!festival)\.{name}\b(?!\.)")
        for domain in _domains_below(layer):
            for path in _domain_files(domain):
                for number, line in enumerate(path.read_text().splitlines(), 1):
                    if pattern.search(line) and not line.lstrip().startswith(("from ", "import ")):
                        found.append(f"{path.relative_to(PACKAGE.parent)}:{number} uses .{name}")
    assert found == []


def template_globals_by_domain() -> dict[str, set[str]]:
    """The names each domain gives every template: app_template_global(s), globals added by
    name, and the keys its app_context_processor functions return."""
    names: dict[str, set[str]] = {}
    for domain in (
        p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    ):
        own = names.setdefault(domain, set())
        for path in (PACKAGE / domain).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", "")
                    in ("add_app_template_global", "add_app_template_filter")
                    and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant)
                ):
                    own.add(node.args[1].value)
                if isinstance(node, ast.FunctionDef):
                    decorators = {ast.unparse(d) for d in node.decorator_list}
                    if any(
                        "app_template_global" in d or "app_template_filter" in d for d in decorators
                    ):
                        own.add(node.name)
                    if any("app_context_processor" in d for d in decorators):
                        for sub in ast.walk(node):
                            if isinstance(sub, ast.Dict):
                                own.update(k.value for k in sub.keys if isinstance(k, ast.Constant))
    return names


def higher_globals_in_templates(names: dict[str, set[str]]) -> list[str]:
    found = []
    for domain, _ in names.items():
        templates = PACKAGE / "templates" / domain
        if not templates.is_dir():
            continue
        own = layer_of(f"festival.{domain}")
        foreign = {
            n
            for other, given in names.items()
            if layer_of(f"festival.{other}") > own
            for n in given
        }
        for path in (p for p in templates.rglob("*") if p.is_file()):
            text = path.read_text()
            for name in sorted(foreign):
                if re.search(rf"(?<![\w.']){re.escape(name)}\b", text):
                    found.append(f"{path.relative_to(PACKAGE.parent)} uses {name}")
    return found


def test_templates_use_only_their_own_or_lower_domains_globals():
    names = template_globals_by_domain()
    assert names["films"] >= {"shown_title", "VERSION_STATUS_LABELS"}, "the check sees globals"
    assert higher_globals_in_templates(names) == []


def test_the_template_check_sees_a_higher_global(tmp_path, monkeypatch):
    page = PACKAGE / "templates" / "people" / "_layering_probe.html"
    page.write_text("{{ shown_title(film) }}")
    try:
        found = higher_globals_in_templates(template_globals_by_domain())
    finally:
        page.unlink()
    assert found == ["festival/templates/people/_layering_probe.html uses shown_title"]
