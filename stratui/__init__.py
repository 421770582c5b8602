"""stratui: record child-protection strategy discussions and track their deadlines."""

from pathlib import Path as _Path

__version__ = "0.2.0"

# pyproject installs screens/ and data/ inside this package (stratui.screens, stratui.data).
# Run from a clone (`python -m stratui` in the repository folder, where this folder shadows the
# installed package), they sit beside it instead: look there too, so every command still works.
_clone = _Path(__file__).resolve().parent.parent
if not (_Path(__file__).parent / "screens").is_dir() and (_clone / "screens" / "__init__.py").is_file():
    __path__.append(str(_clone))  # type: ignore[name-defined]
