"""The positional `token` on an API whose schemes are all API keys (api2pdf: a key in the
`Authorization` header or in the query): nothing takes it, and passing one raises
`InvalidCredentialError`. The client's docstring says so and names the keyword arguments,
and the README's and the operation pages' samples pass a key by keyword (before: the
docstring promised `Authorization: Bearer`, the samples called `Client("<YOUR_TOKEN>")`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import httpx
import pytest

from generator.config import Job
from generator.pipeline import generate
from generator.write import write_package

SPEC = """\
openapi: 3.0.3
info: {title: Keys, version: "1"}
servers: [{url: "https://keys.example.com"}]
security: [{HeaderApiKey: []}]
paths:
  /pdf:
    post:
      operationId: makePdf
      tags: [pdf]
      requestBody:
        content: {application/json: {schema: {type: object, properties: {html: {type: string}}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {url: {type: string}}}}}}
components:
  securitySchemes:
    HeaderApiKey: {type: apiKey, in: header, name: Authorization}
    QueryApiKey: {type: apiKey, in: query, name: apikey}
"""


def test_token_is_documented_as_unused_and_samples_pass_the_key(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    write_package(
        tmp_path,
        "keys_client",
        generate(Job(tmp_path / "spec.yaml", tmp_path, "keys_client"), run_validator=False).files,
    )
    sys.path.insert(0, str(tmp_path))
    import keys_client

    for cls in (keys_client.Client, keys_client.AsyncClient):
        doc = cls.__doc__ or ""
        token_line = next(line for line in doc.splitlines() if line.strip().startswith("token:"))
        assert "Bearer" not in token_line
        assert "InvalidCredentialError" in token_line and "`header_api_key`" in token_line
    with pytest.raises(keys_client.errors.InvalidCredentialError):  # what the docstring says
        keys_client.Client("secret")

    package = tmp_path / "keys_client"
    texts = [(package / "README.md").read_text("utf-8")]
    texts += [p.read_text("utf-8") for p in sorted((package / "docs").rglob("*.md"))]
    constructions = {c for text in texts for c in re.findall(r"(?:Async)?Client\([^()]*\)", text)}
    assert 'Client("<YOUR_TOKEN>")' not in constructions
    assert 'Client(header_api_key="<YOUR_KEY>")' in constructions
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"url": "u"})

    client = keys_client.Client(
        header_api_key="<YOUR_KEY>", http_client=httpx.Client(transport=httpx.MockTransport(handle))
    )
    client.pdf.make_pdf()
    assert sent[0].headers["Authorization"] == "<YOUR_KEY>"
