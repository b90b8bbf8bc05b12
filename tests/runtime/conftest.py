"""Fixtures importing the runtime templates as a throwaway package, the way a
generated client package holds them (relative imports only)."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "python" / "runtime"
RUNTIME_FILES = ("_auth.py", "_codec.py", "_inputs.py", "_pages.py", "_raw.py", "_runtime.py", "_wire.py", "errors.py")
PACKAGE = "rtpkg"


def build_package(root: Path) -> Path:
    """Copy the runtime files into ``root/rtpkg`` and return that folder."""
    pkg = root / PACKAGE
    pkg.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copy(RUNTIME_DIR / name, pkg / name)
    (pkg / "__init__.py").write_text("")
    return pkg


@pytest.fixture(scope="session")
def make_rtpkg() -> Callable[[Path], Path]:
    """``build_package`` for tests that need a fresh copy (e.g. for mypy)."""
    return build_package


@pytest.fixture(scope="session")
def rtpkg_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("rtpkg_root")
    build_package(root)
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def rt(rtpkg_root: Path) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}._runtime")


@pytest.fixture(scope="session")
def errors(rtpkg_root: Path) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.errors")


@pytest.fixture
def sleeps(rt: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry sleeps instead of sleeping (sync and async)."""
    slept: list[float] = []

    async def fake_async_sleep(delay: float) -> None:
        slept.append(delay)

    monkeypatch.setattr(rt, "_sleep", slept.append)
    monkeypatch.setattr(rt, "_async_sleep", fake_async_sleep)
    return slept
