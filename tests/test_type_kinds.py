"""One place per IR type kind: every stage that branches on the kinds of `ir.types.Type`
does it with an exhaustive `match` ending in `assert_never`, so a new kind cannot
type-check (let alone emit code) until each stage says what to do with it.

Two proofs: mypy run over a copy of the generator whose `Type` gained a made-up kind
must fail in every one of those functions; and one value of every kind goes through
every stage here, and that list of values must cover `Type` exactly.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from helpers import ROOT

from generator.builder.unions import dispatch_table
from generator.emit import describe
from generator.emit.codec import (
    Imports,
    Schemas,
    annotation,
    decode,
    encode,
    has_conditional,
    is_identity,
    table_type,
)
from generator.emit.docs import DocsBuilder
from generator.emit.samples import SampleNames, Samples
from generator.ir import model as m
from generator.ir import types as t
from generator.ir.kinds import json_kind

# Every function that branches on the type kinds: (file under generator/, qualified name).
STAGES = {
    ("ir/types.py", "strip_nullable"),
    ("ir/types.py", "children"),
    ("ir/types.py", "_collect"),  # referenced()'s walk
    ("emit/codec.py", "annotation"),
    ("emit/codec.py", "is_identity"),
    ("emit/codec.py", "has_conditional"),
    ("emit/codec.py", "decode"),
    ("emit/codec.py", "encode"),
    ("emit/codec.py", "table_type"),  # a model field's type in its field table (runtime/_codec.py)
    ("emit/describe.py", "type_constraints"),
    ("emit/describe.py", "type_name"),  # kind_name and the docs' type_md spell through it
    ("emit/samples.py", "Samples.fits"),
    ("emit/samples.py", "Samples._placeholder"),
    ("emit/samples.py", "Samples.py"),
    ("ir/kinds.py", "json_kind"),
    ("builder/unions.py", "_is_stringish"),
    ("builder/unions.py", "_string_only"),
}


def _enclosing_function(source: str, line: int) -> str | None:
    """`Class.method` or `function` whose body holds `line`."""
    found: str | None = None

    def visit(node: ast.AST, prefix: str) -> None:
        nonlocal found
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                child.lineno <= line <= (child.end_lineno or child.lineno)
            ):
                found = f"{prefix}{child.name}"

    visit(ast.parse(source), "")
    return found


def test_a_new_type_kind_fails_mypy_in_every_stage(tmp_path: Path) -> None:
    copy = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    types_py = copy / "ir" / "types.py"
    source = types_py.read_text(encoding="utf-8")
    assert "Type: TypeAlias = (\n    Primitive" in source
    types_py.write_text(
        source.replace(
            "Type: TypeAlias = (\n    Primitive",
            "@dataclass(frozen=True, slots=True)\nclass Fake:\n    pass\n\n\nType: TypeAlias = (\n    Fake | Primitive",
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            "generator",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    failing = set()
    for file, line in re.findall(r"^generator/(\S+\.py):(\d+): error: .*\"Fake\"", result.stdout, re.M):
        name = _enclosing_function((copy / file).read_text(encoding="utf-8"), int(line))
        failing.add((file, name))
    assert result.returncode == 1, result.stdout + result.stderr
    assert failing >= STAGES, f"stages that accept a new kind silently: {sorted(STAGES - failing)}\n{result.stdout}"


# -- one value of every kind through every stage ----------------------------------------

ENUM = m.Enum("Colour", "#/components/schemas/Colour", "str", (m.EnumMember("RED", "red"),))
MODEL = m.Model("Pet", "#/components/schemas/Pet", (m.Field("name", "name", t.Primitive("str"), True),))
ALIAS = m.Alias("Id", "#/components/schemas/Id", t.Union((t.Primitive("int"), t.Primitive("str"))))
SAMPLES: dict[type, t.Type] = {
    t.Primitive: t.Primitive("str", "date-time"),
    t.Const: t.Const("x"),
    t.Array: t.Array(t.Primitive("bytes")),
    t.Tuple: t.Tuple((t.Primitive("int"), t.Primitive("str", "uuid"))),
    t.Map: t.Map(t.Primitive("float")),
    t.Nullable: t.Nullable(t.ModelRef("Pet")),
    t.StringOnly: t.StringOnly(("red", "blue"), ("Colour",)),
    t.Union: t.Union((t.ModelRef("Pet"), t.Primitive("int"))),
    t.EnumRef: t.EnumRef("Colour"),
    t.ModelRef: t.ModelRef("Pet"),
    t.AliasRef: t.AliasRef("Id"),
    t.AnyType: t.AnyType(),
}


def test_the_samples_cover_every_kind() -> None:
    assert set(SAMPLES) == set(typing.get_args(t.Type)), "add a sample of the new kind to SAMPLES"


def _api() -> m.Api:
    models, enums, aliases = {"Pet": MODEL}, {"Colour": ENUM}, {"Id": ALIAS}
    roots = [*SAMPLES.values(), ALIAS.type]
    return m.Api(
        "T",
        "1",
        None,
        (),
        (),
        (),
        (MODEL,),
        (ENUM,),
        (ALIAS,),
        dispatch=dispatch_table(roots, models, enums, aliases),
    )


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda k: k.__name__)
def test_every_stage_handles_every_kind(kind: type) -> None:
    ty = SAMPLES[kind]
    api = _api()
    imp = Imports(Schemas.of(api))
    assert annotation(ty, imp)
    assert decode(ty, "src", imp)
    assert encode(ty, "src", imp)
    assert table_type(ty, imp)
    assert isinstance(is_identity(ty), bool) and isinstance(has_conditional(ty), bool)
    assert describe.kind_name(ty)
    assert isinstance(describe.type_constraints(ty), list)
    assert DocsBuilder(Samples(api, "pkg")).type_md(ty, lambda name: f"{name}.md")
    samples = Samples(api, "pkg")
    value = samples.value(ty)
    assert samples.fits(ty, value), (ty, value)
    assert samples.py(ty, value, SampleNames())
    json_kind(ty, {"Colour": ENUM}, {"Id": ALIAS})
    assert t.strip_nullable(t.Nullable(ty)) == (ty, True)
    list(t.referenced(ty))
