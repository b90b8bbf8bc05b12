"""Model codecs compiled at first use from each model's field table (runtime/_codec.py).

A generated package (type-checked with mypy --strict) round-trips every table shape,
hostile JSON keys and constants; the source the runtime compiles holds no spec text (no
string constant at all: keys and constants are bound values) and is in `linecache`, so
tracebacks show its lines; compiling is lazy, installs the function on the class,
serves subclasses and survives threads racing to compile.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import json
import linecache
import sys
import threading
import traceback
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import ROOT, strict_client
from hypothesis import given
from hypothesis import strategies as st

from generator.config import Job
from generator.emit.codec import table_literal, table_token

PACKAGE = "codec_tables_client"

HOSTILE = [
    'it\'s "quoted"',
    "back\\slash",
    '"""',
    "a\nb",
    "__import__('os').system('touch /tmp/pwned')",
    "é ü 中",
    'ends with quote"',
    "ends with backslash\\",
    "tab\there\r\u2028",
    "\") or __import__('os') #",
]
CONST = "x\"\"\"\\n __import__('os')\n'''"


def _spec() -> dict[str, Any]:
    hostile_props: dict[str, Any] = {key: {"type": "string"} for key in HOSTILE}
    hostile_props[""] = {"type": "integer"}
    hostile_props["kind"] = {"const": CONST}
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    schemas: dict[str, Any] = {
        "Colour": {"type": "string", "enum": ["red", "blue"]},
        "Level": {"type": "integer", "enum": [1, 2]},
        "Leaf": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
        "IdOrLeaf": {"oneOf": [{"type": "integer"}, ref("Leaf")]},
        "Hostile": {"type": "object", "required": [*HOSTILE, "", "kind"], "properties": hostile_props},
        "Shapes": {
            "type": "object",
            "required": ["when", "id", "colours", "children", "pair", "level", "kind"],
            "properties": {
                "when": {"type": "string", "format": "date-time"},
                "id": {"type": "string", "format": "uuid"},
                "colours": {"type": ["array", "null"], "items": ref("Colour")},
                "children": {"type": "object", "additionalProperties": ref("Leaf")},
                "pair": {
                    "type": "array",
                    "prefixItems": [{"type": "string", "format": "date"}, ref("Level")],
                    "minItems": 2,
                    "maxItems": 2,
                },
                "level": ref("Level"),
                "kind": {"const": "shapes"},
                "either": {"oneOf": [{"type": "string", "format": "uuid"}, ref("Leaf")]},
                "aliased": ref("IdOrLeaf"),
                "blob": {"type": "string", "format": "binary"},
                "plain": {"type": "string"},
                "maybe_day": {"type": ["string", "null"], "format": "date"},
                "palette": ref("Palette"),
                "span": ref("Span"),
            },
        },
        # named: decoded by the module's `decode_<Name>` functions, not by the field tables
        "Palette": {"type": "array", "items": ref("Colour")},
        "Span": {
            "type": "array",
            "prefixItems": [{"type": "string", "format": "date"}, ref("Level")],
            "minItems": 2,
            "maxItems": 2,
        },
        "Extras": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "additionalProperties": {"type": "string", "format": "date-time"},
        },
        "Node": {
            "type": "object",
            "required": ["children"],
            "properties": {"children": {"type": "array", "items": ref("Node")}, "other": ref("Other")},
        },
        "Other": {"type": "object", "properties": {"node": ref("Node")}},
    }
    get = {"200": {"description": "ok", "content": {"application/json": {"schema": ref("Shapes")}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Codec tables", "version": "1"},
        "paths": {"/shapes": {"get": {"operationId": "getShapes", "tags": ["shapes"], "responses": get}}},
        "components": {"schemas": schemas},
    }


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("codec_tables")
    spec = root / "spec.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    pkg = strict_client(root / "out", PACKAGE, Job(spec, root / "out" / PACKAGE, PACKAGE))
    assert isinstance(pkg, ModuleType)
    return importlib.import_module(f"{PACKAGE}.models")


def _compiled(cls: type, method: str) -> str:
    """The source the runtime compiled for `cls.method`, as linecache holds it."""
    filename = f"<sdkgen codec {cls.__module__}.{cls.__qualname__}.{method}>"
    lines = linecache.getlines(filename)
    assert lines, f"nothing registered under {filename}"
    return "".join(lines)


def _string_constants(source: str) -> list[str]:
    return [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_compiling_is_lazy_and_installs_the_function(client: ModuleType) -> None:
    leaf = client.Leaf
    # importing compiled nothing: the methods are the runtime base class's
    assert "from_dict" not in leaf.__dict__ and "to_dict" not in leaf.__dict__
    assert leaf.from_dict.__func__.__code__.co_filename.endswith("_runtime.py")
    assert leaf.from_dict({"n": 1}) == leaf(n=1)
    installed = leaf.__dict__["from_dict"].__func__
    assert installed.__code__.co_filename == f"<sdkgen codec {leaf.__module__}.Leaf.from_dict>"
    assert installed.__qualname__ == "Leaf.from_dict"
    assert leaf(n=2).to_dict() == {"n": 2}
    assert leaf.__dict__["to_dict"].__code__.co_filename.startswith("<sdkgen codec ")


def test_hostile_keys_and_constants_round_trip_and_never_reach_the_source(client: ModuleType) -> None:
    data: dict[str, Any] = {key: f"value of {key}" for key in HOSTILE}
    data[""] = 7
    data["kind"] = CONST
    obj = client.Hostile.from_dict(data)
    assert obj.to_dict() == data and list(obj.to_dict()) == list(data)  # same keys, same order
    # the constant is the default and is tolerated missing
    assert client.Hostile.from_dict({k: v for k, v in data.items() if k != "kind"}).to_dict() == data
    for method in ("from_dict", "to_dict"):
        source = _compiled(client.Hostile, method)
        assert _string_constants(source) == [], source
        for text in [*HOSTILE, CONST]:
            assert text not in source and json.dumps(text) not in source
        assert "__import__" not in source and "os" not in source.split()


def test_every_table_shape_decodes_and_encodes_as_before(client: ModuleType) -> None:
    data: dict[str, Any] = {
        "when": "2024-05-06T07:08:09Z",
        "id": "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "colours": ["red", "green"],  # open enum: an unknown value is kept
        "children": {"a": {"n": 1}, "b": {"n": 2, "extra": True}},
        "pair": ["2024-05-06", 2],
        "level": 1,
        "kind": "shapes",
        "either": {"n": 3},
        "aliased": 4,
        "blob": "aGk=",
        "plain": "p",
        "maybe_day": None,
    }
    obj = client.Shapes.from_dict(data)
    assert obj.when == dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    assert obj.id == uuid.UUID(data["id"])
    assert obj.colours[0] is client.Colour.RED and obj.colours[1].value == "green" and not obj.colours[1].is_known
    assert obj.children["b"].unknown_fields == {"extra": True}
    assert obj.pair == (dt.date(2024, 5, 6), client.Level(2)) and type(obj.pair) is tuple
    assert obj.level is client.Level(1)
    assert obj.either == client.Leaf(n=3) and obj.aliased == 4 and obj.blob == b"hi"
    assert obj.to_dict() == data and list(obj.to_dict()) == list(data)
    # optional fields missing: UNSET, left out again; a nullable list may be null
    short = {k: data[k] for k in ("when", "id", "children", "pair", "level", "kind")} | {"colours": None}
    back = client.Shapes.from_dict(short)
    assert back.plain is back.either is back.maybe_day is type(back.plain).UNSET
    assert back.to_dict() == short
    with pytest.raises(KeyError):
        client.Shapes.from_dict({k: v for k, v in data.items() if k != "when"})
    with pytest.raises(ValueError):
        client.Shapes.from_dict({**data, "when": "yesterday"})


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("colours", "red", "expected an array, got a string"),  # not ["r", "e", "d"] (an open enum)
        ("colours", {"red": 1}, "expected an array, got an object"),  # not its keys
        ("palette", "blue", "expected an array, got a string"),
        ("pair", "ab", "expected an array of 2 items, got a string"),
        ("pair", ["2024-05-06", 2, 1], "expected an array of 2 items, got 3 items"),  # not cut short
        ("pair", ["2024-05-06"], "expected an array of 2 items, got 1 item"),
        ("span", ["2024-05-06", 1, 2], "expected an array of 2 items, got 3 items"),
        ("span", {"0": "2024-05-06", "1": 1}, "expected an array of 2 items, got an object"),
    ],
)
def test_an_array_is_read_from_a_json_array_only(client: ModuleType, key: str, value: Any, why: str) -> None:
    """A decoded array's items are converted one by one: a string, an object or an array of
    the wrong length for a tuple is refused (a TypeError, which the client reports as a
    ResponseValidationError at the key), never read as its characters, its keys or its
    first items. The field tables (`colours`, `pair`) and the emitted decoders of named
    arrays (`palette`, `span`) alike."""
    data: dict[str, Any] = {
        "when": "2024-05-06T07:08:09Z",
        "id": "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "colours": ["red"],
        "children": {},
        "pair": ["2024-05-06", 2],
        "level": 1,
        "kind": "shapes",
        "palette": ["blue", "green"],
        "span": ["2024-05-07", 1],
    }
    obj = client.Shapes.from_dict(data)
    assert obj.palette == [client.Colour.BLUE, client.Colour("green")] and obj.to_dict() == data
    assert obj.span == (dt.date(2024, 5, 7), client.Level(1)) and type(obj.span) is tuple
    with pytest.raises(TypeError, match=f"^{why}$"):
        client.Shapes.from_dict({**data, key: value})


def test_undeclared_keys_are_kept_whatever_declared_keys_are_missing(client: ModuleType) -> None:
    """Undeclared keys are found by counting the declared ones present (`_codec.py`): an
    undeclared key in place of a missing optional one, or of the tolerated constant,
    keeps the count of keys the same and must still be kept."""
    data: dict[str, Any] = {
        "when": "2024-05-06T07:08:09Z",
        "id": "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "colours": None,
        "children": {},
        "pair": ["2024-05-06", 2],
        "level": 1,
        "kind": "shapes",
        "plain": "p",
    }
    assert client.Shapes.from_dict(data).unknown_fields == {}
    swapped = {k: v for k, v in data.items() if k != "plain"} | {"plane": "typo"}
    obj = client.Shapes.from_dict(swapped)
    assert obj.unknown_fields == {"plane": "typo"} and obj.to_dict() == swapped
    no_const = {k: v for k, v in data.items() if k != "kind"} | {"kinds": 1}
    assert client.Shapes.from_dict(no_const).unknown_fields == {"kinds": 1}
    assert client.Leaf.from_dict({"n": 1}).unknown_fields == {}
    assert client.Leaf.from_dict({"n": 1, "m": 2}).unknown_fields == {"m": 2}


def test_additional_properties_and_cycles(client: ModuleType) -> None:
    data = {"name": "n", "at": "2024-05-06T07:08:09Z"}
    extras = client.Extras.from_dict(data)
    assert extras.additional_properties == {"at": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)}
    assert extras.to_dict() == data
    tree = {"children": [{"children": [], "other": {"node": {"children": []}}}]}
    node = client.Node.from_dict(tree)
    assert node.children[0].other.node == client.Node(children=[])
    assert node.to_dict() == tree


def test_a_traceback_through_compiled_code_shows_its_line(client: ModuleType) -> None:
    with pytest.raises(ValueError) as info:
        client.Extras.from_dict({"at": "not a date"})
    text = "".join(traceback.format_exception(info.value))
    assert f'File "<sdkgen codec {client.Extras.__module__}.Extras.from_dict>"' in text
    assert "obj.additional_properties = {k: _parse_datetime(v) for k, v in d.items()" in text


def test_a_reference_taken_before_the_first_call_compiles_once(
    client: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a service module's `Operation` holds `Leaf.from_dict` from import time: the base's
    codec = importlib.import_module(f"{PACKAGE}._codec")
    module = importlib.reload(sys.modules[client.Leaf.__module__])  # fresh class, nothing compiled
    early_decode, leaf = module.Leaf.from_dict, module.Leaf(n=1)
    early_encode = leaf.to_dict
    built: list[str] = []
    for name in ("decoder", "encoder"):
        real = getattr(codec, name)
        monkeypatch.setattr(codec, name, lambda owner, ns, real=real, name=name: built.append(name) or real(owner, ns))
    for _ in range(3):
        assert early_decode({"n": 1}) == leaf and early_encode() == {"n": 1}
        assert module.Leaf.from_dict({"n": 1}) == leaf and leaf.to_dict() == {"n": 1}
    assert built == ["decoder", "encoder"]


def test_subclasses_get_their_own_instances(client: ModuleType) -> None:
    class Mine(client.Other):  # type: ignore[name-defined,misc]
        pass

    got = Mine.from_dict({"node": {"children": []}})
    assert type(got) is Mine and got.to_dict() == {"node": {"children": []}}
    assert "from_dict" not in Mine.__dict__  # installed on the model class, not the subclass


def test_a_subclass_called_before_its_model_uses_the_model_s_table(client: ModuleType) -> None:
    """`Model.from_dict` finds the generated ancestor's table when a subclass (defined
    elsewhere, with no table of its own) is decoded before the model itself ever was."""
    module = importlib.reload(sys.modules[client.Other.__module__])  # fresh class, nothing compiled

    class Mine(module.Other):  # type: ignore[name-defined,misc]
        pass

    data = {"node": {"children": []}}
    got = Mine.from_dict(data)
    assert type(got) is Mine and got.to_dict() == data
    assert type(module.Other.from_dict(data)) is module.Other
    assert "from_dict" in module.Other.__dict__ and "from_dict" not in Mine.__dict__


def test_a_class_without_a_field_table_is_a_clear_error(client: ModuleType) -> None:
    rt = importlib.import_module(f"{PACKAGE}._runtime")

    class Stray(rt.Model):  # type: ignore[name-defined,misc]
        __slots__ = ()

    with pytest.raises(TypeError, match="Stray is not a generated model"):
        Stray.from_dict({})
    with pytest.raises(TypeError, match="Stray is not a generated model"):
        Stray().to_dict()


def test_threads_compiling_at_once_all_get_a_correct_function(client: ModuleType) -> None:
    module = importlib.reload(sys.modules[client.Hostile.__module__])  # fresh class, nothing compiled
    cls = module.Hostile
    data: dict[str, Any] = {key: key for key in HOSTILE} | {"": 1, "kind": CONST}
    barrier = threading.Barrier(8)
    results: list[Any] = []

    def work() -> None:
        barrier.wait()
        results.append(cls.from_dict(data).to_dict())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert results == [data] * 8


def test_a_table_outside_the_grammar_is_a_clear_error(client: ModuleType) -> None:
    codec = importlib.import_module(f"{PACKAGE}._codec")
    for table, why in [
        ('req __class__ "k" -\n', "'__class__' is not a usable attribute"),
        ('req x "k" model os.system\n', "'os.system' is not a usable name"),
        ('req x "k" list\n', "a type ends early"),
        ('req x "k" - -\n', "text after the type"),
        ("req x k -\n", "a JSON token is expected"),
        ('const x "k" [1]\n', "one JSON scalar is expected"),
        ('run x "k" -\n', "unknown field kind 'run'"),
        ('req x "k" model Missing\n', "'Missing' is not defined"),
    ]:

        class Bad:
            pass

        with pytest.raises(codec.CodecTableError, match=why):
            codec.decoder(Bad, {"_FIELDS_Bad": table})


@given(st.text())
def test_table_literal_is_the_text_for_any_text(text: str) -> None:
    literal = table_literal(text)
    assert ast.literal_eval(literal) == text
    assert literal.isascii() and "\r" not in literal


@given(st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans())
def test_a_table_token_is_one_ascii_json_token_on_one_line(value: str | int | float | bool) -> None:
    token = table_token(value)
    assert token.isascii() and "\n" not in token and "\r" not in token
    decoded, end = json.JSONDecoder().raw_decode(token + " rest", 0)
    assert decoded == value and type(decoded) is type(value) and end == len(token)


def test_the_runtime_module_is_listed_everywhere_runtime_modules_are() -> None:
    from generator.emit.python import RUNTIME_FILES

    assert "_codec.py" in RUNTIME_FILES
    assert (ROOT / "templates" / "python" / "runtime" / "_codec.py").is_file()
    assert (
        Path(ROOT / "generated" / "polar_client" / "_codec.py").read_bytes()
        == (ROOT / "templates" / "python" / "runtime" / "_codec.py").read_bytes()
    )
