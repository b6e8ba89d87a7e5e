"""House rules a type checker and the import contracts cannot see: styles beside the
class that loads them, and one source for the bands' names and colours."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import screens
from resilience.bands import BAND_FILLS, BAND_STYLES, BANDS, ELEVATED
from scoring import default_methodology


def _styled_classes() -> list[type]:
    import resilience.app

    modules = [resilience.app]
    modules += [
        importlib.import_module(f"screens.{info.name}")
        for info in pkgutil.iter_modules(screens.__path__)
    ]
    found = []
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "CSS_PATH" in vars(cls):
                found.append(cls)
    return found


def test_every_stylesheet_sits_beside_the_class_that_loads_it() -> None:
    classes = _styled_classes()
    assert len(classes) >= 6  # the app and the five full screens
    for cls in classes:
        path = vars(cls)["CSS_PATH"]
        assert isinstance(path, str) and Path(path).name == path, (cls, path)
        beside = Path(inspect.getfile(cls)).with_name(path)
        assert beside.is_file(), (cls, beside)


def test_the_bands_shown_are_the_methods_bands_each_with_a_look() -> None:
    names = tuple(band.name for band in default_methodology().matrix_bands)
    assert names == BANDS
    assert set(BAND_STYLES) == set(BAND_FILLS) == set(BANDS)
    assert names[-2:] == ELEVATED
