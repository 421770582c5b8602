"""A discussion as stored: its JSON without the values that equal their defaults, and back whole.

Most of a record is blank until it is typed (a child's profile, the decisions not yet made):
storing each blank cost a quarter of every file. `stored` leaves out every value equal to its
field's default (the identity and status of the record always stay, for a person reading the
file); pydantic fills them back, so the Discussion read is the same. `whole` puts them back as
JSON: the audit's content hash is taken of the whole form (stratui.audit_changes.content_hash), the
same for a record stratui wrote whole before and for that record stored without its defaults.

Only a document of the current SCHEMA_VERSION is made whole: one of an older version was
written whole by the stratui of its day, and the fields of today's model were not all in it.
When SCHEMA_VERSION moves on, documents of the version before must still be made whole by that
version's fields (tests/unit/test_stored_form.py holds the fields of this one).
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined, to_jsonable_python

from stratui.models import SCHEMA_VERSION, Discussion

# Kept even at their defaults: what a person opening the file first looks for.
ALWAYS_KEPT = frozenset({"schema_version", "id", "kind", "status"})
_NO_DEFAULT = object()


@dataclass
class _Field:
    default: Any  # as JSON, whole; _NO_DEFAULT when there is none (required, or made afresh each time)
    stored_default: Any  # the default as `stored` leaves it
    model: _Shape | None = None  # the model of the value, or of each item of a list or dict
    many: str = ""  # "list" or "dict" when the value holds several of `model`


@dataclass
class _Shape:
    fields: dict[str, _Field] = field(default_factory=dict)
    # Made once the fields are known (`_finish`): what `whole` walks, so a record already whole
    # costs a set comparison and a walk of its sub-records only.
    names: frozenset[str] = frozenset()
    nested: tuple[tuple[str, _Field], ...] = ()
    defaults: tuple[tuple[str, Any, bool], ...] = ()  # name, default, whether it must be copied


def stored(doc: dict[str, Any]) -> dict[str, Any]:
    """A whole discussion document (model_dump(mode="json")) as it is stored: defaults left out."""
    return _stored(doc, _discussion_shape(), top=True)


def whole(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored discussion document with every default put back (a copy), as model_dump gives it;
    a document of an older schema version, or not a discussion, is given back as it is."""
    if not isinstance(doc, dict) or doc.get("schema_version") != SCHEMA_VERSION:
        return doc
    return _whole(doc, _discussion_shape())


def _stored(doc: dict[str, Any], shape: _Shape, top: bool = False) -> dict[str, Any]:
    out = {}
    for key, value in doc.items():
        spec = shape.fields.get(key)
        if spec is None:
            out[key] = value  # not a field: kept as it is (reading names it)
            continue
        if spec.model is not None:
            value = _each(value, spec, _stored)
        if not (top and key in ALWAYS_KEPT) and spec.default is not _NO_DEFAULT and _same(value, spec.stored_default):
            continue
        out[key] = value
    return out


def _whole(doc: dict[str, Any], shape: _Shape) -> dict[str, Any]:
    out = dict(doc)
    for key, spec in shape.nested:
        if key in out:
            out[key] = _each(out[key], spec, _whole)
    if not shape.names <= out.keys():
        for key, default, mutable in shape.defaults:
            if key not in out:
                out[key] = copy.deepcopy(default) if mutable else default
    return out


def _each(value: Any, spec: _Field, form: Callable[[dict[str, Any], _Shape], dict[str, Any]]) -> Any:
    """`form` applied to the model value(s) a field holds; anything not as expected left as it is."""
    assert spec.model is not None
    if spec.many == "list" and isinstance(value, list):
        return [form(item, spec.model) if isinstance(item, dict) else item for item in value]
    if spec.many == "dict" and isinstance(value, dict):
        return {key: form(item, spec.model) if isinstance(item, dict) else item for key, item in value.items()}
    if not spec.many and isinstance(value, dict):
        return form(value, spec.model)
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: 0 is not false, 1.0 is not 1."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


@cache
def _discussion_shape() -> _Shape:
    return _shape_of(Discussion, {})


def _shape_of(model: type[BaseModel], made: dict[type[BaseModel], _Shape]) -> _Shape:
    if model in made:
        return made[model]
    shape = made[model] = _Shape()
    for name, info in model.model_fields.items():
        inner, many = _inner_model(info.annotation)
        default = _default_json(info)
        shape.fields[name] = _Field(default, default, _shape_of(inner, made) if inner is not None else None, many)
    # The stored form of each default, once every shape it may hold is known.
    for spec in shape.fields.values():
        if spec.default is not _NO_DEFAULT and spec.model is not None:
            spec.stored_default = _each(spec.default, spec, _stored)
    shape.names = frozenset(shape.fields)
    shape.nested = tuple((name, spec) for name, spec in shape.fields.items() if spec.model is not None)
    shape.defaults = tuple(
        (name, spec.default, isinstance(spec.default, (dict, list)))
        for name, spec in shape.fields.items()
        if spec.default is not _NO_DEFAULT
    )
    return shape


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The model a field holds (alone, optional, in a list, or as a dict's values), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _inner_model(args[0])
    if origin in (typing.Union, types.UnionType):
        models = [found for found in (_inner_model(arg) for arg in args) if found[0] is not None]
        return models[0] if len(models) == 1 else (None, "")
    if origin is list and args:
        found, many = _inner_model(args[0])
        return (found, "list") if found is not None and not many else (None, "")
    if origin is dict and len(args) == 2:
        found, many = _inner_model(args[1])
        return (found, "dict") if found is not None and not many else (None, "")
    return None, ""


def _default_json(info: Any) -> Any:
    if info.default_factory is not None:
        first, second = info.default_factory(), info.default_factory()
        if to_jsonable_python(first) != to_jsonable_python(second):
            return _NO_DEFAULT  # a new id each time: never a default to leave out
        return to_jsonable_python(first)
    if info.default is PydanticUndefined:
        return _NO_DEFAULT
    return to_jsonable_python(info.default)
