"""Typed template contexts of the Go target: one frozen dataclass per template, its
fields the names the template reads (the nested data is what GoEmitter decided)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias


@dataclass(frozen=True, slots=True)
class GoModFile:
    module: str
    package: str


@dataclass(frozen=True, slots=True)
class ModelFile:
    module: str
    package: str
    model: dict[str, Any]


@dataclass(frozen=True, slots=True)
class EnumFile:
    module: str
    package: str
    enum: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AliasFile:
    module: str
    package: str
    alias: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UnionFile:
    module: str
    package: str
    union: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OperationFile:
    module: str
    package: str
    op: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ServiceFile:
    module: str
    package: str
    groups: list[dict[str, Any]]
    uses_http: bool
    uses_time: bool
    uses_pagination: bool


@dataclass(frozen=True, slots=True)
class SdkFile:
    module: str
    package: str
    services: list[dict[str, Any]]
    servers: list[dict[str, Any]]
    default_server: str | None
    token_env: str | None
    timeout_ms: int
    user_agent: str
    package_doc: list[str]


@dataclass(frozen=True, slots=True)
class ReadmeFile:
    module: str
    package: str
    title: str
    token_env: str | None
    sample: str | None


GoContext: TypeAlias = (
    GoModFile | ModelFile | EnumFile | AliasFile | UnionFile | OperationFile | ServiceFile | SdkFile | ReadmeFile
)
