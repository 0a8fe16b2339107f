"""Feature families, discovered from the modules of this package (no hand-kept list)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

from mtdetect.features.base import FeatureFamily


@cache
def family_classes() -> tuple[type[FeatureFamily], ...]:
    """Every FeatureFamily subclass defined in a module of this package, sorted by name."""
    found: dict[str, type[FeatureFamily]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, FeatureFamily) and obj is not FeatureFamily and obj.name:
                if obj.__module__ == module.__name__:
                    if obj.name in found:
                        raise RuntimeError(f"two feature families are named {obj.name!r}")
                    found[obj.name] = obj
    return tuple(found[k] for k in sorted(found))


def all_families() -> list[FeatureFamily]:
    """Fresh instances of every discovered family."""
    return [cls() for cls in family_classes()]


__all__ = ["FeatureFamily", "all_families", "family_classes"]
