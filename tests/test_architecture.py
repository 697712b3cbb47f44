"""The package's layers call downward only (see ARCHITECTURE.md).

Every import of every module in ``flask_llm_shield`` is read with ``ast`` (imports under
``if TYPE_CHECKING:`` included, function-local ones too) and checked against one written
layer order. A new module must be given a layer here; an upward import, a function-local
import of a package module, an import cycle, or Flask/MongoDB inside ``detect/`` fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "flask_llm_shield"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

#: Low to high. A module may import modules of its own layer or of lower ones. Names are
#: relative to the package; a name ending in ``.*`` covers a sub-package.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("detect", "detect.*"),
    ("errors", "signals"),
    ("config",),
    ("schemas", "options"),
    ("state",),
    (
        "screening",
        "streaming",
        "responses",
        "prompts",
        "mongo",
        "mongo.*",
        "llm",
        "guard",
        "audit",
        "throttle",
        "middleware",
        "probe",
        "probe.*",
    ),
    ("cli",),
    ("extension",),
    ("pytest_plugin",),
    ("__init__",),
)

#: Third-party packages the pure detection layer must never import.
FRAMEWORKS = ("flask", "werkzeug", "pymongo", "bson", "mongomock", "marshmallow", "blinker")


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def layer_of(name: str) -> int | None:
    for index, layer in enumerate(LAYERS):
        for entry in layer:
            if entry == name or (entry.endswith(".*") and name.startswith(entry[:-1])):
                return index
    return None


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute dotted name (without the package prefix) an ImportFrom names."""
    if node.level == 0:
        name = node.module or ""
        return name[len(PACKAGE) + 1 :] if name.startswith(PACKAGE + ".") else name
    base = module.split(".") if module != "__init__" else []
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    if node.module:
        base = [*base, *node.module.split(".")]
    return ".".join(base) or "__init__"


def imports(name: str, path: Path) -> Iterator[tuple[str, int, bool]]:
    """``(imported, line, local)`` for every import in ``name``; ``imported`` is a package
    module name, or a third-party top-level name prefixed with ``!``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    local_lines: set[int] = set()
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(func):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    local_lines.add(inner.lineno)
    for node in ast.walk(tree):
        local = getattr(node, "lineno", 0) in local_lines
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    yield alias.name[len(PACKAGE) + 1 :] or "__init__", node.lineno, local
                else:
                    yield "!" + alias.name.split(".")[0], node.lineno, local
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and not (node.module or "").startswith(PACKAGE):
                yield "!" + (node.module or "").split(".")[0], node.lineno, local
                continue
            target = _resolve(name, node, is_package)
            # ``from . import signals`` names a module; ``from .x import y`` names x.
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target != "__init__" else alias.name
                yield (sub if sub in MODULES else target), node.lineno, local


def graph() -> dict[str, set[str]]:
    return {
        name: {imp for imp, _, _ in imports(name, path) if not imp.startswith("!")} - {name}
        for name, path in MODULES.items()
    }


def test_every_module_has_a_layer() -> None:
    missing = sorted(name for name in MODULES if layer_of(name) is None)
    assert not missing, f"give these modules a layer in tests/test_architecture.py: {missing}"


def test_imports_only_go_down() -> None:
    upward: list[str] = []
    for name, path in MODULES.items():
        own = layer_of(name)
        for imported, line, _ in imports(name, path):
            if imported.startswith("!") or imported == name:
                continue
            theirs = layer_of(imported)
            if own is not None and theirs is not None and theirs > own:
                upward.append(f"{path.name}:{line} {name} -> {imported}")
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)


def test_no_function_local_package_imports() -> None:
    # A function-local import of the package is how a cycle gets hidden; the cycle is the
    # bug. (Local imports of optional third-party packages are fine.)
    local = [
        f"{path.name}:{line} {name} -> {imported}"
        for name, path in MODULES.items()
        for imported, line, is_local in imports(name, path)
        if is_local and not imported.startswith("!")
    ]
    assert not local, "function-local imports of package modules:\n" + "\n".join(local)


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    # A package's __init__ importing its own submodules, which import siblings through the
    # package, is the normal shape of a package; only report cycles between distinct files.
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_detect_knows_nothing_of_flask_or_mongodb() -> None:
    bad = [
        f"{path.name}:{line} {name} imports {imported[1:]}"
        for name, path in MODULES.items()
        if name == "detect" or name.startswith("detect.")
        for imported, line, _ in imports(name, path)
        if imported.startswith("!") and imported[1:] in FRAMEWORKS
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"state": "from .extension import LLMShield\n"}, "go up a layer"),
        ({"guard": "def f():\n    from .responses import x\n"}, "function-local"),
    ],
)
def test_checks_catch_violations(
    source: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The checks above must be able to fail: feed them a planted violation.
    ((name, text),) = source.items()
    fake = tmp_path / f"{name}.py"
    fake.write_text(text, encoding="utf-8")
    monkeypatch.setitem(MODULES, name, fake)
    check = (
        test_imports_only_go_down if "layer" in message else test_no_function_local_package_imports
    )
    with pytest.raises(AssertionError, match=message):
        check()


def test_cycle_check_catches_a_cycle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    a, b = tmp_path / "screening.py", tmp_path / "streaming.py"
    a.write_text("from .streaming import x\n", encoding="utf-8")
    b.write_text("from .screening import y\n", encoding="utf-8")
    monkeypatch.setitem(MODULES, "screening", a)
    monkeypatch.setitem(MODULES, "streaming", b)
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycles()
