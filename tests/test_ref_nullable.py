"""`{$ref: X, nullable: true}`: "X or null".

OpenAPI 3.0 says a `$ref`'s siblings are ignored, and the builder ignored this one: the
field was typed `X`. But the idiom is common and means what it says. Twilio writes its
enums this way (`state`, `type`, `notification_level`), and Airflow and Svix write their
nested objects this way. Their servers send null there, and so do Prism's mocks. Read as
written, such a response failed to decode ("None is not a valid ConversationEnumState").
That was found by decoding Prism's responses for twilio_conversations_v1. It occurs 1,034
times in 42 of APIs.guru's specs under 1 MB."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from helpers import mypy_error_lines, strict_client

from generator.builder import build_api
from generator.config import Job
from generator.ir import types as t
from generator.load import load
from generator.normalize import Spec

SPEC = {
    "openapi": "3.0.1",
    "info": {"title": "Conversations", "version": "1"},
    "paths": {
        "/conversations": {
            "get": {
                "operationId": "getConversation",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conversation"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Conversation": {
                "type": "object",
                "required": ["sid", "state", "owner"],
                "properties": {
                    "sid": {"type": "string"},
                    # Twilio's form: a `type` beside the `$ref` too
                    "state": {"$ref": "#/components/schemas/State", "type": "string", "nullable": True},
                    "owner": {"$ref": "#/components/schemas/Owner", "nullable": True},
                    "plain": {"$ref": "#/components/schemas/State"},
                },
            },
            "State": {"type": "string", "enum": ["active", "closed"]},
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    },
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("refnull") / "conversations.json"
    path.write_text(json.dumps(SPEC), "utf-8")
    return path


def test_a_nullable_sibling_of_a_ref_admits_null(spec: Path) -> None:
    api, _ = build_api(Spec(load(spec)))
    (model,) = [m for m in api.models if m.name == "Conversation"]
    types = {f.json_name: f.type for f in model.fields}
    assert types["state"] == t.Nullable(t.EnumRef("State"))
    assert types["owner"] == t.Nullable(t.ModelRef("Owner"))
    assert types["plain"] == t.EnumRef("State")  # no sibling: as before


@pytest.fixture(scope="module")
def pkg(spec: Path) -> ModuleType:
    out = spec.parent / "out"
    return strict_client(out, "refnull_client", Job(spec, out / "refnull_client", "refnull_client"))  # type: ignore[no-any-return]


def test_a_response_with_those_nulls_decodes(pkg: ModuleType) -> None:
    from refnull_client.models import Conversation

    got = Conversation.from_dict({"sid": "CH1", "state": None, "owner": None})
    assert got.state is None and got.owner is None
    assert got.to_dict() == {"sid": "CH1", "state": None, "owner": None}
    with pytest.raises(ValueError, match="None is not a valid State"):  # a `$ref` alone: no null
        Conversation.from_dict({"sid": "CH1", "state": "active", "owner": None, "plain": None})


def test_mypy_types_the_field_as_nullable(pkg: ModuleType, tmp_path: Path) -> None:
    code = (
        "from refnull_client.models import Conversation, State\n"
        "def state(c: Conversation) -> State:\n"
        "    return c.state\n"
        "def maybe(c: Conversation) -> State | None:\n"
        "    return c.state\n"
    )
    assert mypy_error_lines(pkg, tmp_path / "user.py", code) == ["3"]
