"""Shared fixtures: snapshot comparison, the repo's paths, generating into tmp folders.

Snapshots are only ever rewritten by `pytest --update-snapshots`, an explicit command;
CI never passes it, so a changed output fails until someone looks and refreshes it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import GENERATED, ROOT, SEED_SPEC, SNAPSHOTS, echo_server, shared_specs_dir  # noqa: F401


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite snapshot files from the current output instead of comparing",
    )


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(autouse=True)
def isolated_user_cache(session_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user cache (~/.cache/sdkgen): in-process runs and
    the subprocesses they start (which inherit the environment) use a folder of this
    test session (shared by its tests, so black's results stay warm between them).
    A test that needs a cold cache sets SDKGEN_CACHE_DIR itself."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(session_cache / "sdkgen"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(session_cache))
    return session_cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cold sdkgen cache of the test's own (instead of the session's warm one)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    update = request.config.getoption("--update-snapshots")

    def compare(name: str, actual: str | bytes) -> None:
        path = SNAPSHOTS / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"snapshot {name} is missing: run `pytest --update-snapshots` and review it")
        expected = path.read_bytes()
        if expected != data:
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    expected.decode("utf-8", "replace").splitlines(keepends=True),
                    data.decode("utf-8", "replace").splitlines(keepends=True),
                    fromfile=f"snapshot/{name}",
                    tofile="actual",
                    n=2,
                )
            )
            pytest.fail(f"snapshot {name} differs (refresh with --update-snapshots):\n{diff[:6000]}")

    return compare


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write an inline spec (YAML or JSON text) to a tmp file and return its path."""

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def import_package(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, str], object]:
    """Import a package generated into `folder`, isolated from earlier imports of that name."""

    def do_import(folder: Path, package: str) -> object:
        import importlib

        for mod in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            monkeypatch.delitem(sys.modules, mod)
        monkeypatch.syspath_prepend(str(folder))
        return importlib.import_module(package)

    return do_import


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of the Starlette echo server (tests/wire_echo_server.py), one per test
    module that asks for it; a module with a `server` fixture of its own uses that one."""
    with echo_server() as url:
        yield url
