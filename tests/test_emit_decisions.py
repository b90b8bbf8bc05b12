"""Emit decides from the IR, never from the code it has generated so far.

Each test is a case where reading the generated string gave the wrong answer: an enum
whose name contains `UUID` is not a UUID, an alias decoder is found by the alias it
decodes, not by a `decode_` prefix.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from generator.config import Job
from generator.pipeline import generate

SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Decisions, version: "1"}
    paths:
      /keys/{version}/{key_id}:
        get:
          operationId: getKey
          tags: [keys]
          parameters:
            - {name: version, in: path, required: true, schema: {$ref: "#/components/schemas/UUIDVersion"}}
            - {name: key_id, in: path, required: true, schema: {type: string, format: uuid}}
            - {name: tag, in: query, required: false, schema: {anyOf: [{type: string, format: uuid}, {type: "null"}]}}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Key"}
    components:
      schemas:
        UUIDVersion:
          type: string
          enum: [v4, v7]
        Key:
          type: object
          required: [id]
          properties:
            id: {type: string, format: uuid}
            owner: {$ref: "#/components/schemas/Owner"}
        Owner:
          anyOf:
            - {type: integer}
            - {type: string, format: date}
    """
)


def _generated(write_spec: Callable[[str, str], Path], tmp_path: Path) -> dict[str, str]:
    job = Job(write_spec(SPEC, "spec.yaml"), tmp_path / "out", "decisions_client")
    result = generate(job, run_validator=False)
    return {path: data.decode("utf-8") for path, data in result.files.items()}


def test_an_enum_named_uuid_something_is_not_a_uuid(write_spec: Callable[[str, str], Path], tmp_path: Path) -> None:
    service = _generated(write_spec, tmp_path)["services/keys.py"]
    # the enum is an open enum: request parameters take its plain value too (forgiving
    # inputs), once; it is never read as a UUID (which would also take `UUID`)
    assert service.count("version: UUIDVersion | str,") == 2  # sync and async
    assert "version: UUIDVersion | str | str" not in service and "version: UUIDVersion | UUID" not in service
    # a real UUID path parameter also takes its text form; a nullable one in the query does not change
    assert "key_id: UUID | str," in service
    assert "tag: UUID | None = None," in service


def test_alias_decoders_are_imported_from_the_alias_module(
    write_spec: Callable[[str, str], Path], tmp_path: Path
) -> None:
    files = _generated(write_spec, tmp_path)
    key = files["models/key.py"]
    assert "from .owner import Owner, decode_Owner" in key
    assert 'opt owner "owner" alias Owner\n' in key  # the field table row: decoded by decode_Owner


BODY_SPEC = textwrap.dedent(
    """\
    openapi: 3.1.0
    info: {title: Bodies, version: "1"}
    paths:
      /notes:
        post:
          operationId: addNote
          tags: [notes]
          requestBody:
            required: false
            content:
              multipart/form-data:
                schema:
                  type: object
                  properties:
                    "x if y": {type: string}
          responses:
            "204": {description: done}
      /pets:
        put:
          operationId: putPet
          tags: [pets]
          requestBody:
            required: false
            content:
              application/json:
                schema:
                  anyOf: [{$ref: "#/components/schemas/Pet"}, {type: "null"}]
          responses:
            "204": {description: done}
    components:
      schemas:
        Pet:
          type: object
          properties:
            name: {type: string}
    """
)


def test_an_optional_bodys_shape_follows_its_type_not_its_text(
    write_spec: Callable[[str, str], Path], tmp_path: Path
) -> None:
    job = Job(write_spec(BODY_SPEC, "spec.yaml"), tmp_path / "out", "bodies_client")
    files = {path: data.decode("utf-8") for path, data in generate(job, run_validator=False).files.items()}
    notes, pets = files["services/notes.py"], files["services/pets.py"]
    # a part named `x if y` is a string literal, not a conditional: the multipart
    # expression is not parenthesised (reading the code text for " if " said it was)
    assert "else _w.multipart_body(" in notes and "else (_w.multipart_body(" not in notes
    # a nullable body type already admits None; its conditional encoding is parenthesised
    assert "body: Pet | None = None," in pets and "Pet | None | None" not in pets
    assert "else (None if body is None else body.to_dict())" in pets


ENUM_LIST = textwrap.dedent(
    """\
    openapi: 3.0.3
    info: {title: EnumList, version: "1"}
    paths:
      /types:
        get:
          operationId: getTypes
          tags: [alias]
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: {type: array, items: {type: string, enum: [mac, gtin, item]}}
    """
)


def test_a_service_reads_an_enum_table_defined_below_it(write_spec: Callable[[str, str], Path], tmp_path: Path) -> None:
    """id4i's `GET /api/v1/search/guids/aliases/types` answers a list of an inline enum: the
    operation's decoder (a lambda in a module-level constant) reads the enum's members
    table, which the module defines at its end, and mypy --strict could not infer the
    table's type there ("Cannot determine type"). The table is annotated now."""
    import httpx
    from helpers import strict_client

    job = Job(write_spec(ENUM_LIST, "enums.yaml"), tmp_path / "out" / "enum_list", "enum_list")
    pkg = strict_client(tmp_path / "out", "enum_list", job)
    answer = httpx.MockTransport(lambda request: httpx.Response(200, json=["gtin", "new"]))
    client = pkg.Client(base_url="http://api.test", http_client=httpx.Client(transport=answer))
    types = client.alias.get_types()
    assert [t.value for t in types] == ["gtin", "new"] and [t.is_known for t in types] == [True, False]
