"""The package stands in layers, and imports only run down.

Lowest first: the base (`paths`, `quarto`, `base/`: where things live, the Quarto
configuration, the build-step cache, the staging publisher, digests and read tracking), then
`product` (the data product), `report` (what notebooks use), `site` (the report site and
PDF), `pipeline` (which orchestrates all of them) and `cli` (the `sti` command). A module may
import its own layer and any layer below it, never one above. Each sub-package lists in its
`__init__.py` `__all__` what other packages may use. The checks read every module's source
with `ast`, so imports inside functions and under `TYPE_CHECKING` count too.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from analysis.paths import ROOT

PACKAGE = ROOT / "src" / "analysis"
LAYERS = (
    ("analysis", "analysis.paths", "analysis.quarto", "analysis.base"),
    ("analysis.product",),
    ("analysis.report",),
    ("analysis.site",),
    ("analysis.pipeline",),
    ("analysis.cli", "analysis.__main__"),
)
PACKAGES = ("analysis.base", "analysis.product", "analysis.report", "analysis.site",
            "analysis.pipeline")  # fmt: skip


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int | None:
    """The layer a module belongs to; -1 for a module of the package no layer names; None
    for another package's (`polars`). A layer's member holds its sub-modules, except
    `analysis` itself: a new module at the top of the package is in no layer until LAYERS
    names it."""
    for number, members in enumerate(LAYERS):
        for member in members:
            if module == member or (member != "analysis" and module.startswith(member + ".")):
                return number
    return -1 if module.startswith("analysis.") else None


def imports(path: Path, root: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names imported from it) for every import in a file of the package at
    `root`, wherever it stands. `from analysis.pipeline import steps` imports the module
    `analysis.pipeline.steps`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            folder = root.parent / base.replace(".", "/")
            names = [alias.name for alias in node.names]
            modules = [n for n in names if (folder / n).is_dir() or (folder / f"{n}.py").is_file()]
            if len(modules) < len(names):
                found.append((node.lineno, base, [n for n in names if n not in modules]))
            found += [(node.lineno, f"{base}.{n}", []) for n in modules]
    return found


def upward_imports(root: Path) -> list[str]:
    """Every import, in the package at `root`, of a layer above the importer's."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        own = layer(module_name(path, root))
        assert own is not None and own >= 0, f"{path} is in no layer: add it to LAYERS"
        for line, module, _ in imports(path, root):
            other = layer(module)
            if other is not None and other > own:
                problems.append(f"{path.relative_to(root.parent)}:{line} imports {module} "
                                f"(layer {other}, above its own {own})")  # fmt: skip
    return problems


def declared(root: Path, package: str) -> list[str] | None:
    """The `__all__` a package's `__init__.py` assigns (None: it assigns none)."""
    init = root.parent / package.replace(".", "/") / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return None


def undeclared_uses(root: Path) -> list[str]:
    """Every import, in the package at `root`, from another sub-package of a module or name
    its `__all__` does not list, or of a private (underscored) name."""
    public = {p: declared(root, p) or [] for p in PACKAGES
              if (root.parent / p.replace(".", "/")).is_dir()}  # fmt: skip
    problems = []
    for path in sorted(root.rglob("*.py")):
        own = module_name(path, root)
        for line, module, names in imports(path, root):
            package = next((p for p in public if module == p or module.startswith(p + ".")), None)
            if package is None or own == package or own.startswith(package + "."):
                continue
            where = f"{path.relative_to(root.parent)}:{line}"
            first = module[len(package) + 1 :].partition(".")[0]
            used = [first] if first else names
            problems += [f"{where} imports {package}.{n}, not in its __all__"
                         for n in used if n not in public[package]]  # fmt: skip
            problems += [f"{where} imports the private {module}.{n}"
                         for n in names if n.startswith("_")]  # fmt: skip
    return problems


def made_up_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "analysis"
    for name, text in {"__init__.py": "", "product/__init__.py": "__all__ = ['publish']\n",
                       "pipeline/__init__.py": "__all__ = ['build']\n", **files}.items():  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_imports_only_run_down():
    problems = upward_imports(PACKAGE)
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_import_that_runs_up(tmp_path):
    root = made_up_package(tmp_path, {
        "pipeline/build.py": "from analysis.product import publish\n",
        "product/publish.py": "def publish():\n    from ..pipeline import build\n",
        "product/tables.py": "import analysis.site.build\n",
    })  # fmt: skip
    assert upward_imports(root) == [
        "analysis/product/publish.py:2 imports analysis.pipeline.build (layer 4, above its own 1)",
        "analysis/product/tables.py:1 imports analysis.site.build (layer 3, above its own 1)",
    ]
    (root / "helpers.py").write_text("", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"helpers\.py is in no layer"):
        upward_imports(root)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_declares_its_public_names(package):
    public = declared(PACKAGE, package)
    assert public, f"{package}/__init__.py declares no __all__"
    module = importlib.import_module(package)
    assert module.__all__ == public
    for name in public:
        assert not name.startswith("_"), (package, name)
        getattr(module, name)  # each resolves: a module, or a name the package loads on use


def test_other_packages_use_only_declared_public_names():
    problems = undeclared_uses(PACKAGE)
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_undeclared_or_private_use(tmp_path):
    root = made_up_package(tmp_path, {
        "product/publish.py": "def _swap(): ...\n",
        "product/tables.py": "def read(): ...\n",
        "pipeline/build.py": "from analysis.product import publish, tables\n"
                             "from analysis.product.publish import _swap\n",
    })  # fmt: skip
    assert undeclared_uses(root) == [
        "analysis/pipeline/build.py:1 imports analysis.product.tables, not in its __all__",
        "analysis/pipeline/build.py:2 imports the private analysis.product.publish._swap",
    ]
