"""`[tool.sdkgen]` in pyproject.toml: the jobs `sdkgen generate` runs with no arguments."""

from __future__ import annotations

import keyword
import tomllib
from dataclasses import dataclass, replace
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
}
TARGETS = ("python", "go")


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

    def output_options(self) -> dict[str, object]:
        """The settings that shape the output (and so key the manifest)."""
        extra: dict[str, object] = (
            {"target": self.target, "go_module": self.go_module} if self.target != "python" or self.go_module else {}
        )
        return {
            **extra,
            "package": self.package,
            "token_env": self.token_env,
            "default_server": self.default_server,
            "timeout": self.timeout,
            "line_length": self.line_length,
        }

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
    job = Job(
        spec=base / raw["spec"],
        output=base / raw["output"],
        package=raw["package"] if target == "go" else check_package_name(raw["package"]),
        token_env=raw.get("token-env"),
        default_server=raw.get("default-server"),
        timeout=float(timeout),
        line_length=line_length,
        target=target,
        go_module=raw.get("go-module"),
    )
    if target == "go":
        try:
            check_go_job(job)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return job
