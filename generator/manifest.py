"""The manifest beside each generated package: what went in, what came out.

`check` and `generate` read it first. When the spec, the job's options, the templates
and the generator's own code hash the same as last time and every output file still
hashes as recorded, the answer is known without importing black or rendering anything.
This module must stay cheap to import: hashlib, json, os and pathlib only.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .resources import templates_dir

NAME = ".sdkgen-manifest.json"  # cli.MANIFEST repeats it to keep the CLI import light
_HERE = Path(__file__).resolve().parent


def _tree_hash(root: Path, suffix: str = "", skip: str = "") -> str:
    """The files under `root` ending in `suffix` (caches and the top folder `skip` left out),
    paths and bytes. `os.scandir`, not `Path.rglob`: this runs in every process, the no-op
    `check` included."""
    found: list[tuple[str, str]] = []
    folders = [("", os.fspath(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__" and not (not prefix and entry.name == skip):
                        folders.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.name.endswith(suffix) and entry.is_file():
                    found.append((prefix + entry.name, entry.path))
    digest = hashlib.sha256()
    for rel, path in sorted(found):
        digest.update(rel.encode())
        digest.update(b"\0")
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


@cache
def generator_fingerprint() -> str:
    """Changes whenever the generator's code or templates change, released or not
    (computed once per process: it is read by the manifest and by each cache's key)."""
    return hashlib.sha256(
        # an installed wheel keeps templates inside the package: hash them once, apart
        (_tree_hash(_HERE, ".py", skip="templates") + _tree_hash(templates_dir())).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Inputs:
    spec: str  # sha256 of the spec file's bytes
    options: str  # sha256 of the job's options that shape the output
    generator: str  # generator_fingerprint()
    formatter: str  # resources.formatter(): black's version and mode, readable


def inputs_for(spec_bytes: bytes, options: dict[str, Any], formatter: str) -> Inputs:
    return inputs_with(hashlib.sha256(spec_bytes).hexdigest(), options, formatter)


def inputs_with(spec_sha256: str, options: dict[str, Any], formatter: str) -> Inputs:
    """`inputs_for` with the spec's digest already known (the loaded document has it)."""
    return Inputs(
        spec=spec_sha256,
        options=hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest(),
        generator=generator_fingerprint(),
        formatter=formatter,
    )


def render(inputs: Inputs, files: dict[str, bytes]) -> bytes:
    data = {
        "comment": "Written by sdkgen; lets `sdkgen check` answer without regenerating.",
        "inputs": asdict(inputs),
        "files": {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(files.items())},
    }
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def _read(package_dir: Path) -> dict[str, Any] | None:
    """The manifest as written by `render`, or None if it is missing, unreadable or not
    of that shape (a hand-edited or damaged manifest only means "not known fresh")."""
    try:
        data = json.loads((package_dir / NAME).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    inputs, files = data.get("inputs"), data.get("files")
    if not isinstance(inputs, dict) or not isinstance(files, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return data


def recorded_formatter(package_dir: Path) -> str | None:
    """The formatter (black's version and mode) the package on disk was generated with."""
    data = _read(package_dir)
    found = data["inputs"].get("formatter") if data is not None else None
    return found if isinstance(found, str) else None


def is_fresh(package_dir: Path, inputs: Inputs) -> bool:
    """True when the manifest's inputs match and every output file is as recorded.

    This trusts the manifest: someone who edits a file and re-hashes the manifest gets
    a fresh answer. `sdkgen check --full` re-renders and compares instead (for CI).
    """
    data = _read(package_dir)
    if data is None or data["inputs"] != asdict(inputs):
        return False
    from .write import read_tree  # the writer's own view of the tree (`os.scandir`: a third of `rglob`'s time)

    recorded: dict[str, str] = data["files"]
    try:
        present = read_tree(package_dir)
    except OSError:  # a file vanished or is unreadable (a concurrent swap): not known fresh
        return False
    present.pop(NAME, None)
    if present.keys() != recorded.keys():
        return False
    return all(hashlib.sha256(present[rel]).hexdigest() == digest for rel, digest in recorded.items())
