"""Importing pyvista's plotting layer without importing matplotlib.

`pyvista.plotting` imports matplotlib at module level (`colors`, `_typing`, `lookup_table`,
`charts`: `import matplotlib.pyplot`, `from matplotlib.colors import ListedColormap`, ...) but
only *uses* it inside functions: colour maps, charts, the default colour cycle. Importing
matplotlib costs about a third of pyvista's import on this project's machines (pyplot, the
font manager, and on a first launch a font cache build that takes tens of seconds where many
fonts are installed). The app draws no colour map and no chart, so start-up should not pay it.

`import_plotting()` imports pyvista.plotting and pyvistaqt while a finder hands out stand-ins
for every `matplotlib` module. Each stand-in (a `_Deferred` module) and each name taken from
one (a `_LazyName`) imports the real matplotlib the first time it is used, then every
stand-in left in pyvista's modules is swapped for the real object, so colour maps and charts
keep working (tests/desktop/ui/test_startup.py checks both). The stand-ins leave
`sys.modules` when the import ends: any later `import matplotlib` gets the real one.
"""

import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
import types
from collections.abc import Sequence
from typing import Any

_PACKAGE = "matplotlib"
_lock = threading.Lock()
_state = {"importing": False, "real": False}


def _ours(fullname: str) -> bool:
    return fullname == _PACKAGE or fullname.startswith(_PACKAGE + ".")


def _real_imported() -> bool:
    module = sys.modules.get(_PACKAGE)
    return module is not None and not isinstance(module, _Deferred)


def _materialise() -> None:
    """Put the real matplotlib objects where pyvista's modules hold stand-ins (once)."""
    with _lock:
        if _state["real"]:
            return
        _state["real"] = True
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("pyvista", "pyvistaqt")):
            continue
        for key, value in list(vars(module).items()):
            if isinstance(value, _Deferred | _LazyName):
                setattr(module, key, value.resolve())


class _Deferred(types.ModuleType):
    """A matplotlib module not imported yet: its attributes are the real module's."""

    def resolve(self) -> Any:
        if _state["importing"]:
            raise RuntimeError(f"{self.__name__} used while pyvista is being imported")
        real = importlib.import_module(self.__name__)
        _materialise()
        return real

    def __getattr__(self, name: str) -> Any:
        """`from matplotlib.colors import ListedColormap`, `mpl.colors.Colormap`: a lazy name
        until matplotlib is imported (a look-up alone does not import it)."""
        if name.startswith("__"):
            raise AttributeError(name)
        if _state["importing"] or not _real_imported():
            return _LazyName(self.__name__, ("attr", name))
        return getattr(self.resolve(), name)


class _LazyName:
    """A name imported from a matplotlib module (a class, the colour-map registry) or an item
    of one: resolved, and matplotlib imported, on first real use."""

    def __init__(self, module: str, *steps: tuple[str, Any]) -> None:
        self._module, self._steps = module, steps

    def resolve(self) -> Any:
        if _state["importing"]:
            raise RuntimeError(f"{self!r} called while pyvista is being imported")
        value: Any = importlib.import_module(self._module)
        for kind, key in self._steps:
            value = getattr(value, key) if kind == "attr" else value[key]
        _materialise()
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if _state["importing"] or not _real_imported():
            return _LazyName(self._module, *self._steps, ("attr", name))
        return getattr(self.resolve(), name)

    def __getitem__(self, key: Any) -> Any:
        if _state["importing"]:  # the default theme checks its colour map's name: later
            return _LazyName(self._module, *self._steps, ("item", key))
        if (self._module, self._steps, key) == (_PACKAGE, (("attr", "colormaps"),), DEFAULT):
            default = default_colormap()  # every mapper pyvista makes applies it
            if default is not None:
                return default
        return self.resolve()[key]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __contains__(self, key: Any) -> bool:
        return key in self.resolve()

    def __iter__(self) -> Any:
        return iter(self.resolve())

    def __len__(self) -> int:
        return len(self.resolve())

    def __instancecheck__(self, instance: Any) -> bool:
        """No object is an instance of a matplotlib class before matplotlib is imported: the
        answer needs no import then (pyvista asks it of every colour map name it checks)."""
        if not _real_imported():
            return False
        return isinstance(instance, self.resolve())

    def __subclasscheck__(self, subclass: type) -> bool:
        if not _real_imported():
            return False
        return issubclass(subclass, self.resolve())

    def __or__(self, other: Any) -> Any:  # type aliases built at import: typing only
        return other

    def __ror__(self, other: Any) -> Any:
        return other

    def __repr__(self) -> str:
        steps = "".join(f".{k}" if kind == "attr" else f"[{k!r}]" for kind, k in self._steps)
        return f"<not imported yet: {self._module}{steps}>"


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _Deferred(spec.name)
        module.__path__ = []  # a package: `import matplotlib.pyplot` finds its stand-in too
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not _ours(fullname):
            return None
        return importlib.machinery.ModuleSpec(fullname, _Loader(), is_package=True)


def import_plotting() -> None:
    """Import pyvista.plotting and pyvistaqt; matplotlib only if it is already imported."""
    if "pyvista.plotting" not in sys.modules and _PACKAGE not in sys.modules:
        _import_guarded()
    import pyvistaqt  # noqa: F401 (a no-op unless the guarded import failed)


def _import_guarded() -> None:
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    _state["importing"] = True
    try:
        import pyvistaqt  # noqa: F401
    except RuntimeError:  # a pyvista that needs matplotlib while importing: import it all
        _forget(("pyvista", "pyvistaqt", _PACKAGE))
        _state["real"] = True
    finally:
        _state["importing"] = False
        sys.meta_path.remove(finder)
        _forget((_PACKAGE,), only=_Deferred)


def _forget(packages: tuple[str, ...], only: type | None = None) -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in packages and (only is None or isinstance(sys.modules[name], only)):
            del sys.modules[name]


#: pyvista's default colour map: every mapper it makes applies it to its lookup table, so
#: the first `add_mesh` would import matplotlib for it, though the app colours by no scalars.
DEFAULT = "viridis"


class _ListedColormap:
    """matplotlib's own table for `DEFAULT`, read from its source file without importing it,
    answering the look-up pyvista makes (floats in [0, 1]) exactly as matplotlib's
    `ListedColormap` does; any other use goes to the real colour map."""

    def __init__(self, name: str, colours: list[list[float]]) -> None:
        import numpy as np

        self.name, self.N = name, len(colours)
        self._rgba = np.column_stack([np.asarray(colours, dtype=float), np.ones(self.N)])

    def real(self) -> Any:
        return importlib.import_module(_PACKAGE).colormaps[self.name]

    def __call__(self, X: Any, alpha: Any = None, bytes: bool = False) -> Any:
        import numpy as np

        xa = np.array(X, dtype=None, copy=True)
        simple = alpha is None and not bytes and xa.ndim > 0 and xa.dtype.kind == "f"
        if not simple or not bool(np.all((xa >= 0) & (xa <= 1))):  # NaN, out of range
            return self.real()(X, alpha=alpha, bytes=bytes)
        xa *= self.N
        xa[xa == self.N] = self.N - 1
        return self._rgba.take(xa.astype(int), axis=0, mode="clip")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.real(), name)


_default: list[_ListedColormap | None] = []


def default_colormap() -> "_ListedColormap | None":
    """`DEFAULT` without matplotlib, or None where its table cannot be read (then the caller
    imports matplotlib)."""
    with _lock:
        if not _default:
            _default.append(_read_listed(DEFAULT))
        return _default[0]


def _read_listed(name: str) -> _ListedColormap | None:
    import ast
    import importlib.util
    import re
    from pathlib import Path

    try:
        spec = importlib.util.find_spec(_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            return None
        source = (Path(spec.submodule_search_locations[0]) / "_cm_listed.py").read_text()
        found = re.search(rf"^_{name}_data = (\[.*?\]\])\n", source, re.MULTILINE | re.DOTALL)
        if found is None:
            return None
        colours = ast.literal_eval(found.group(1))
    except (OSError, ValueError, SyntaxError):
        return None
    if not colours or any(len(c) != 3 for c in colours):
        return None
    return _ListedColormap(name, colours)
