"""A non-editable install works from any directory: templates travel inside the wheel.

pre-commit installs hooks with a plain `pip install`, so the wheel, not the checkout,
must carry everything `sdkgen generate` reads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import GENERATED, ROOT, SEED_SPEC

from generator.write import read_tree

pytestmark = pytest.mark.slow  # builds and installs wheels into fresh virtual environments


def test_wheel_carries_templates_and_generates_from_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("sdkgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/templates/python/client.py.jinja" in names
    assert "generator/templates/python/runtime/_runtime.py" in names

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site), SDKGEN_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        [sys.executable, "-c", "import generator, sys; print(generator.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip().startswith(str(site)), "the installed copy, not the checkout, must be used"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SEED_SPEC),
            "-o",
            "out",
            "-p",
            "polar_client",
            "--token-env",
            "POLAR_ACCESS_TOKEN",
            "--go-module",
            "github.com/polarsource/polar-go",
            "-q",
        ],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
    )
    assert read_tree(elsewhere / "out" / "polar_client") == read_tree(GENERATED / "polar_client")
