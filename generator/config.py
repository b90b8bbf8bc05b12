"""`[tool.sdkgen]` in pyproject.toml: the jobs `sdkgen generate` runs with no arguments."""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import ConfigError

JOB_KEYS = {
    "spec": "path of the OpenAPI description (JSON or YAML)",
    "output": "folder that receives the package",
    "package": "Python package name of the generated client",
    "token-env": "environment variable holding the bearer token",
    "default-server": "server used when the caller names none",
    "timeout": "default request timeout in seconds",
    "line-length": "black's line length for generated code",
    "target": 'language of the generated client: "python" (default) or "go"',
    "go-module": "Go module path of a go target (e.g. github.com/polarsource/polar-go)",
    # a publishable project (pyproject.toml, README.md, the package) instead of a bare package
    "distribution": "PyPI distribution name; when set, the output folder is a project folder",
    "version": "the distribution's version (PEP 440); required with `distribution`",
    "license": "SPDX licence expression of the distribution, e.g. MIT",
    "authors": 'list of authors, each "Name" or "Name <email>"',
    "homepage": "URL of the project's home page",
    "python-requires": "Python versions the distribution supports (default >=3.10)",
    "pagination": "per-operationId pagination where the spec has no vendor extension: "
    '{type = "page"|"offset"|"cursor"|"next-url"|"link-header", param, items, max-page, next, has-more}',
    "auth": "per security scheme (keyed as in components/securitySchemes): `env` (environment variable) and `prefix` (apiKey value prefix)",
}
TARGETS = ("python", "go")
AUTH_KEYS = ("env", "prefix")
PAGINATION_KEYS = ("type", "param", "items", "max-page", "next", "has-more")

# PEP 508 names and PEP 440 public versions (the forms pip and twine accept)
_DIST_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_VERSION = re.compile(
    r"^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
    r"(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?$"
)
_AUTHOR = re.compile(r"^(?P<name>[^<>]*?)\s*(<(?P<email>[^<>\s]+@[^<>\s]+)>)?$")


@dataclass(frozen=True)
class Project:
    """What a publishable project folder says about itself (pyproject.toml's [project])."""

    distribution: str
    version: str
    license: str | None = None
    authors: tuple[tuple[str, str | None], ...] = ()  # (name, email)
    homepage: str | None = None
    python_requires: str = ">=3.10"

    def options(self) -> dict[str, object]:
        return {
            "distribution": self.distribution,
            "version": self.version,
            "license": self.license,
            "authors": [list(a) for a in self.authors],
            "homepage": self.homepage,
            "python_requires": self.python_requires,
        }


@dataclass(frozen=True)
class AuthOverride:
    """Per-job settings of one security scheme."""

    scheme: str
    env: str | None = None
    prefix: str | None = None


@dataclass(frozen=True)
class Job:
    spec: Path
    output: Path
    package: str
    token_env: str | None = None
    default_server: str | None = None
    timeout: float = 10.0
    line_length: int = 88
    target: str = "python"
    go_module: str | None = None
    auth: tuple[AuthOverride, ...] = ()
    project: Project | None = None
    # operationId -> ((key, value), ...): how to page operations the spec does not describe
    pagination: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # where the job was configured (for errors), e.g. "pyproject.toml: [[tool.sdkgen.jobs]] #2"
    where: str = field(default="", compare=False)

    def pagination_overrides(self) -> dict[str, dict[str, str]]:
        return {op: dict(items) for op, items in self.pagination}

    def check_pagination_targets(self, operation_ids: Collection[str]) -> None:
        """Every pagination override names an operationId of the spec (else a typo would
        silently leave the operation without its iterator)."""
        unknown = sorted(op for op, _ in self.pagination if op not in operation_ids)
        if unknown:
            where = self.where or f"the job generating {self.spec}"
            raise ConfigError(
                f"{where}: pagination.{unknown[0]}: {self.spec} has no operation with operationId {unknown[0]!r}"
                + (f" (nor {', '.join(repr(u) for u in unknown[1:])})" if unknown[1:] else "")
                + "."
            )

    def output_options(self) -> dict[str, object]:
        """The settings that shape the output (and so key the manifest)."""
        extra: dict[str, object] = (
            {"target": self.target, "go_module": self.go_module} if self.target != "python" or self.go_module else {}
        )
        options: dict[str, object] = {
            **extra,
            "package": self.package,
            "token_env": self.token_env,
            "default_server": self.default_server,
            "timeout": self.timeout,
            "line_length": self.line_length,
            **({"auth": [[a.scheme, a.env, a.prefix] for a in self.auth]} if self.auth else {}),
        }
        if self.project is not None:  # absent otherwise: older manifests stay fresh
            options["project"] = self.project.options()
        if self.pagination:
            options["pagination"] = self.pagination_overrides()
        return options

    @property
    def root(self) -> Path:
        """The folder sdkgen owns and replaces whole: the project folder (`output`) of a
        publishable project, else the package folder `output/package`."""
        return self.output if self.project is not None else self.output / self.package

    @property
    def package_prefix(self) -> str:
        """Where the package's files sit inside `root`."""
        return f"{self.package}/" if self.project is not None else ""

    def with_overrides(self, **changes: Any) -> Job:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def check_go_job(job: Job) -> Job:
    """A go job needs a module path; its package name is a Go identifier (lower case)."""
    module = job.go_module
    if (
        not module
        or any(c.isspace() or c in '"`\\' for c in module)
        or module.startswith("/")
        or ".." in module.split("/")
    ):
        raise ConfigError(
            f"the go target needs `go-module` (--go-module), a module path such as github.com/org/name; got {module!r}."
        )
    from .golang.naming import KEYWORDS

    name = job.package
    if not (
        name.isascii() and name.isidentifier() and name == name.lower() and name not in KEYWORDS and "_" not in name
    ):
        raise ConfigError(f"Go package name {name!r} must be lower-case letters and digits (e.g. polargo).")
    return job


def check_package_name(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
        raise ConfigError(f"package name {name!r} is not a valid Python identifier (letters, digits, underscores).")
    return name


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_jobs(pyproject: Path) -> list[Job]:
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc}") from None
    section = data.get("tool", {}).get("sdkgen")
    if section is None:
        raise ConfigError(f"{pyproject}: no [tool.sdkgen] section; pass SPEC --output DIR --package NAME instead.")
    unknown = set(section) - {"jobs"}
    if unknown:
        raise ConfigError(
            f"{pyproject}: unknown key(s) in [tool.sdkgen]: {', '.join(sorted(unknown))} (expected: jobs)."
        )
    jobs = section.get("jobs")
    if not isinstance(jobs, list) or not jobs:
        raise ConfigError(f"{pyproject}: [tool.sdkgen] needs at least one [[tool.sdkgen.jobs]] table.")
    base = pyproject.parent
    return [_job(pyproject, base, i, raw) for i, raw in enumerate(jobs)]


def _job(pyproject: Path, base: Path, index: int, raw: Any) -> Job:
    where = f"{pyproject}: [[tool.sdkgen.jobs]] #{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table.")
    unknown = set(raw) - set(JOB_KEYS)
    if unknown:
        known = ", ".join(sorted(JOB_KEYS))
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known keys: {known}.")
    target = raw.get("target", "python")
    if target not in TARGETS:
        raise ConfigError(f"{where}: `target` must be one of {', '.join(TARGETS)}; got {target!r}.")
    if target == "go" and "package" not in raw and isinstance(raw.get("go-module"), str):
        from .golang.emit import derive_package

        raw = {**raw, "package": derive_package(raw["go-module"])}
    for key in ("spec", "output", "package"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: `{key}` ({JOB_KEYS[key]}) is required and must be a string.")
    timeout = raw.get("timeout", 10.0)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError(f"{where}: `timeout` must be a positive number of seconds.")
    line_length = raw.get("line-length", 88)
    if not isinstance(line_length, int) or isinstance(line_length, bool) or line_length < 40:
        raise ConfigError(f"{where}: `line-length` must be an integer of at least 40.")
    for key in ("token-env", "default-server", "go-module"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(f"{where}: `{key}` must be a string.")
    project = _project(where, raw)
    paging = _pagination(where, raw.get("pagination", {}))
    if target == "go" and project is not None:
        raise ConfigError(f"{where}: `distribution` (and its project keys) apply to the python target only.")
    job = Job(
        auth=_auth(where, raw.get("auth", {})),
        spec=base / raw["spec"],
        output=base / raw["output"],
        package=raw["package"] if target == "go" else check_package_name(raw["package"]),
        token_env=raw.get("token-env"),
        default_server=raw.get("default-server"),
        timeout=float(timeout),
        line_length=line_length,
        target=target,
        go_module=raw.get("go-module"),
        project=project,
        pagination=paging,
        where=where,
    )
    if target == "go":
        try:
            check_go_job(job)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return job


def _auth(where: str, raw: Any) -> tuple[AuthOverride, ...]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: `auth` must be a table of security scheme names.")
    out = []
    for scheme, settings in sorted(raw.items()):
        if not isinstance(settings, dict) or set(settings) - set(AUTH_KEYS):
            raise ConfigError(f"{where}: `auth.{scheme}` must be a table with only these keys: {', '.join(AUTH_KEYS)}.")
        env, prefix = settings.get("env"), settings.get("prefix")
        if env is not None and (not isinstance(env, str) or not env.isidentifier() or not env.isascii()):
            raise ConfigError(
                f"{where}: `auth.{scheme}.env` must be an environment variable name (letters, digits, _)."
            )
        if prefix is not None and (
            not isinstance(prefix, str) or any(c in prefix for c in "\r\n") or not prefix.isascii()
        ):
            raise ConfigError(f"{where}: `auth.{scheme}.prefix` must be a single line of ASCII text.")
        out.append(AuthOverride(str(scheme), env, prefix))
    return tuple(out)


def _pagination(where: str, raw: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{where}: `pagination` must be a table of operationId = {{type = ..., param = ..., items = ...}}."
        )
    out = []
    for op_id, spec in sorted(raw.items()):
        if not isinstance(spec, dict) or not all(isinstance(v, str) for v in spec.values()):
            raise ConfigError(f"{where}: pagination.{op_id} must be a table of strings.")
        unknown = set(spec) - set(PAGINATION_KEYS)
        if unknown:
            raise ConfigError(
                f"{where}: pagination.{op_id}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(PAGINATION_KEYS)}."
            )
        kind = spec.get("type")
        if kind == "next-url":
            if "next" not in spec or "items" not in spec:
                raise ConfigError(f"{where}: pagination.{op_id}: type next-url needs next (the URL field) and items.")
        elif kind != "link-header" and (
            kind not in ("page", "offset", "cursor") or "param" not in spec or "items" not in spec
        ):
            raise ConfigError(
                f"{where}: pagination.{op_id} needs type (page, offset, cursor, next-url or link-header);"
                " page, offset and cursor need param and items."
            )
        out.append((str(op_id), tuple(sorted(spec.items()))))
    return tuple(out)


def _project(where: str, raw: dict[str, Any]) -> Project | None:
    keys = ("version", "license", "authors", "homepage", "python-requires")
    if "distribution" not in raw:
        given = [k for k in keys if k in raw]
        if given:
            raise ConfigError(f"{where}: {', '.join(f'`{k}`' for k in given)} need(s) `distribution` (the PyPI name).")
        return None
    for key in ("distribution", "version", "license", "homepage", "python-requires"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise ConfigError(f"{where}: `{key}` must be a non-empty string.")
    name, version = raw["distribution"], raw.get("version")
    if not _DIST_NAME.match(name):
        raise ConfigError(
            f"{where}: `distribution` {name!r} is not a valid distribution name (PEP 508: letters, digits, `.`, `-`, `_`)."
        )
    if version is None:
        raise ConfigError(f'{where}: `distribution` needs `version` (e.g. "1.0.0").')
    if not _VERSION.match(version):
        raise ConfigError(f"{where}: `version` {version!r} is not a PEP 440 version (e.g. 1.0.0, 2.1.0rc1).")
    authors_raw = raw.get("authors", [])
    if not isinstance(authors_raw, list) or not all(isinstance(a, str) for a in authors_raw):
        raise ConfigError(f'{where}: `authors` must be a list of strings ("Name" or "Name <email>").')
    authors = []
    for text in authors_raw:
        found = _AUTHOR.match(text.strip())
        if found is None or not (found["name"] or found["email"]):
            raise ConfigError(f'{where}: author {text!r} is not "Name" or "Name <email>".')
        authors.append((found["name"], found["email"]))
    homepage = raw.get("homepage")
    if homepage is not None and not re.match(r"^https?://[^\s]+$", homepage):
        raise ConfigError(f"{where}: `homepage` must be an http(s) URL.")
    return Project(
        distribution=name,
        version=version,
        license=raw.get("license"),
        authors=tuple(authors),
        homepage=homepage,
        python_requires=raw.get("python-requires", ">=3.10"),
    )
