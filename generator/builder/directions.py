"""A model's two shapes, `readOnly` and `writeOnly` read once, from how each model is used.

- The **request shape** has no `readOnly` field: the server sets those, and a client
  SHOULD NOT send them (OpenAPI 3, Schema Object). A `writeOnly` field keeps what the
  spec says of it: a required `password` stays required of the caller.
- The **response shape** has every field, but a `writeOnly` one is optional: a server
  SHOULD NOT send it. A required `readOnly` `id` stays required, so a caller reading it
  needs no check for a missing value.

A model only sent (reachable from request bodies alone) takes its request shape under its
own name; a model only received takes its response shape. A model used both ways whose
shapes differ keeps its name for the response shape and gets a twin, `<Name>Input`, with
the request shape; so does every model or alias sent and received that holds such a twin
(an `Order` sent with a `Customer` inside holds a `CustomerInput`). Request bodies and
parameters are retargeted to the twins, so no typed call can send a field the server sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, assert_never

from .. import naming
from ..ir import model as m
from ..ir import types as t
from .schemas import noted

SUFFIX = "Input"


@dataclass(frozen=True, slots=True)
class Shapes:
    models: dict[str, m.Model]
    aliases: dict[str, m.Alias]
    operations: list[m.Operation]


def request_roots(operations: Iterable[m.Operation]) -> list[t.Type | None]:
    """The request bodies' types (what `usage.py` marks `in_requests`)."""
    return [media.type for op in operations if op.body for media in op.body.media]


def _sent(operations: list[m.Operation]) -> list[t.Type | None]:
    """Everything a request sends: its body and its parameters (a `deepObject` filter
    typed as a model sends the model's fields too)."""
    return request_roots(operations) + [p.type for op in operations for p in op.parameters]


def response_roots(operations: Iterable[m.Operation], webhooks: Iterable[m.Webhook]) -> list[t.Type | None]:
    roots: list[t.Type | None] = [ty for op in operations for r in op.responses for ty in (r.type, *m.content_types(r))]
    return roots + [w.type for w in webhooks]


def split_directions(
    models: dict[str, m.Model],
    aliases: dict[str, m.Alias],
    operations: list[m.Operation],
    webhooks: list[m.Webhook],
    names: naming.Namespace,
) -> Shapes:
    """`names`: the schema namespace, from which each twin's name is claimed."""
    inputs = reach(_sent(operations), models, aliases, sent=True)
    outputs = reach(response_roots(operations, webhooks), models, aliases, sent=False)
    twins = _twins(inputs & outputs, models, aliases, names)
    out_models: dict[str, m.Model] = {}
    for name, model in models.items():
        if name in twins:
            out_models[name] = _response_shape(model)
            twin = _request_shape(model, twins, twins[name])
            out_models[twins[name]] = replace(twin, description=_twin_doc(model, twins[name]))
        elif name in outputs:
            out_models[name] = _response_shape(model)
        elif name in inputs:
            out_models[name] = _request_shape(model, twins, name)
        else:
            out_models[name] = model  # not used by any operation: as the spec writes it
    out_aliases: dict[str, m.Alias] = {}
    for name, alias in aliases.items():
        out_aliases[name] = alias
        if name in twins:
            text = f"`{twins[name]}` is `{name}` as requests send it: its members are request shapes."
            out_aliases[twins[name]] = replace(
                alias, name=twins[name], type=t.renamed(alias.type, twins), description=noted(alias.description, text)
            )
        elif name in inputs and name not in outputs:
            out_aliases[name] = replace(alias, type=t.renamed(alias.type, twins))
    # a request shape's left-out fields, by its name: a form's or multipart body's entries for them go too
    dropped = {
        twins.get(name, name): {f.json_name for f in model.fields if f.read_only}
        for name, model in models.items()
        if name in twins or (name in inputs and name not in outputs)
    }
    ops = [_retargeted(op, twins, dropped) for op in operations]
    return Shapes(out_models, out_aliases, ops)


def _refs(name: str, models: dict[str, m.Model], aliases: dict[str, m.Alias], *, sent: bool) -> list[str]:
    """What a model or alias mentions: through its request shape (`sent`: no `readOnly`
    field) or through every field."""
    if name in models:
        model = models[name]
        found = [n for f in model.fields if not (sent and f.read_only) for n in t.referenced(f.type)]
        return found + t.referenced(model.additional)
    if name in aliases:
        return t.referenced(aliases[name].type)
    return []


def reach(
    roots: list[t.Type | None], models: dict[str, m.Model], aliases: dict[str, m.Alias], *, sent: bool
) -> set[str]:
    """Names of the models, enums and aliases reachable from `roots`: through request shapes
    (`sent`: no `readOnly` field is followed) or through every field."""
    seen: set[str] = set()
    todo = [n for r in roots for n in t.referenced(r)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_refs(name, models, aliases, sent=sent))
    return seen


def _differs(model: m.Model) -> bool:
    """The request shape is not the response shape."""
    return any(f.read_only or (f.write_only and f.required) for f in model.fields)


def _twins(
    both: set[str], models: dict[str, m.Model], aliases: dict[str, m.Alias], names: naming.Namespace
) -> dict[str, str]:
    """Names used both ways that need a request twin: those whose shapes differ, then,
    until nothing is added, those whose request shape holds one of them. Claimed in
    the spec's order of models, then aliases: the same names on every run."""
    users: dict[str, list[str]] = {}
    for name in both:
        for ref in _refs(name, models, aliases, sent=True):
            users.setdefault(ref, []).append(name)
    todo = [n for n in both if n in models and _differs(models[n])]
    needed: set[str] = set()
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo.extend(users.get(name, ()))
    ordered = [n for n in models if n in needed] + [n for n in aliases if n in needed]
    return {n: names.claim(f"{n}{SUFFIX}") for n in ordered}


def _response_shape(model: m.Model) -> m.Model:
    fields = tuple(replace(f, required=False) if f.write_only and f.required else f for f in model.fields)
    return replace(model, fields=fields) if fields != model.fields else model


def _request_shape(model: m.Model, twins: dict[str, str], name: str) -> m.Model:
    kept = [f for f in model.fields if not f.read_only]
    fields = tuple(replace(f, type=t.renamed(f.type, twins)) for f in kept)
    additional = t.renamed(model.additional, twins) if model.additional is not None else None
    dropped = {f.json_name for f in model.fields if f.read_only}
    examples = tuple(_without(x, dropped) for x in model.examples) if dropped else model.examples
    if name == model.name and fields == model.fields and additional == model.additional:
        return model
    return replace(model, name=name, fields=fields, additional=additional, examples=examples)


def _twin_doc(model: m.Model, twin: str) -> str:
    """What the twin is, for its docstring and page: the original's text, then how it differs."""
    dropped = [f"`{f.json_name}`" for f in model.fields if f.read_only]
    required = [f"`{f.json_name}`" for f in model.fields if f.write_only and f.required]
    how = []
    if dropped:
        how.append(f"without {', '.join(dropped)} (read-only: set by the server)")
    if required:
        how.append(f"with {', '.join(required)} required (write-only: never returned)")
    if not how:
        how.append("its fields holding the request shapes of the models inside")
    return noted(model.description, f"`{twin}` is `{model.name}` as requests send it: {'; '.join(how)}.")


def _without(example: Any, keys: set[str]) -> Any:
    return {k: v for k, v in example.items() if k not in keys} if isinstance(example, dict) else example


def _retargeted(op: m.Operation, twins: dict[str, str], dropped: dict[str, set[str]]) -> m.Operation:
    """The parameters' and the body's types name the request twins; a form's or multipart
    body's entries for the fields its model's request shape leaves out go with them."""
    params = tuple(p if (ty := t.renamed(p.type, twins)) is p.type else replace(p, type=ty) for p in op.parameters)
    if params != op.parameters:
        op = replace(op, parameters=params)
    if op.body is None:
        return op
    media = []
    for item in op.body.media:
        ty = t.renamed(item.type, twins)
        encoding = item.encoding
        inner, _ = t.strip_nullable(ty)
        gone = dropped.get(inner.name, set()) if isinstance(inner, t.ModelRef) else set()
        if gone:
            match encoding:
                case m.FormBody(fields):
                    encoding = m.FormBody(tuple(x for x in fields if x.json_name not in gone))
                case m.MultipartBody(parts):
                    encoding = m.MultipartBody(tuple(x for x in parts if x.json_name not in gone))
                case m.JsonBody() | m.BinaryBody() | m.TextBody() | m.WildcardBody():
                    pass
                case _:
                    assert_never(encoding)
        same = ty is item.type and encoding == item.encoding
        media.append(item if same else replace(item, type=ty, encoding=encoding))
    if all(a is b for a, b in zip(media, op.body.media, strict=True)):
        return op
    return replace(op, body=replace(op.body, media=tuple(media)))
