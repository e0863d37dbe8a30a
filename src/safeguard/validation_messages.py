"""Plain-words help for Pydantic errors in the project's YAML files (the arrangement catalogue,
scenarios): which model an error location points into, so a message can list the keys allowed there."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    return [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Follow an error location from `root` through fields, lists and optionals; the model found there
    (None when the location does not lead to exactly one model)."""
    current: Any = root
    for part in loc:
        while True:  # unwrap Annotated[...], Optional[...] and list[...]
            origin = typing.get_origin(current)
            if origin is typing.Annotated:
                current = typing.get_args(current)[0]
            elif origin in (typing.Union, types.UnionType):
                models = _models_in(current)
                if len(models) != 1:
                    return None
                current = models[0]
            elif origin is list and isinstance(part, int):
                current = typing.get_args(current)[0]
                break
            else:
                break
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
    while typing.get_origin(current) in (typing.Union, types.UnionType, typing.Annotated):
        models = _models_in(current)
        if not models:
            return None
        current = models[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None
