"""The manifest beside each generated package: what went in, what came out.

`check` and `generate` read it first. When the spec, the job's options, the templates
and the generator's own code hash the same as last time and every output file still
hashes as recorded, the answer is known without importing black or rendering anything.
This module must stay cheap to import: hashlib, json and pathlib only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .resources import templates_dir

NAME = ".sdkgen-manifest.json"  # cli.MANIFEST repeats it to keep the CLI import light
_HERE = Path(__file__).resolve().parent


def _tree_hash(root: Path, pattern: str, skip: str = "") -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob(pattern)):
        rel = path.relative_to(root)
        if path.is_file() and "__pycache__" not in rel.parts and rel.parts[0] != skip:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def generator_fingerprint() -> str:
    """Changes whenever the generator's code or templates change, released or not."""
    return hashlib.sha256(
        # an installed wheel keeps templates inside the package: hash them once, apart
        (_tree_hash(_HERE, "*.py", skip="templates") + _tree_hash(templates_dir(), "*")).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Inputs:
    spec: str  # sha256 of the spec file's bytes
    options: str  # sha256 of the job's options that shape the output
    generator: str  # generator_fingerprint()


def inputs_for(spec_bytes: bytes, options: dict[str, Any]) -> Inputs:
    return Inputs(
        spec=hashlib.sha256(spec_bytes).hexdigest(),
        options=hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest(),
        generator=generator_fingerprint(),
    )


def render(inputs: Inputs, files: dict[str, bytes]) -> bytes:
    data = {
        "comment": "Written by sdkgen; lets `sdkgen check` answer without regenerating.",
        "inputs": asdict(inputs),
        "files": {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(files.items())},
    }
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def is_fresh(package_dir: Path, inputs: Inputs) -> bool:
    """True when the manifest's inputs match and every output file is as recorded."""
    try:
        data = json.loads((package_dir / NAME).read_bytes())
    except (OSError, ValueError):
        return False
    if data.get("inputs") != asdict(inputs):
        return False
    recorded: dict[str, str] = data.get("files", {})
    present = {
        p.relative_to(package_dir).as_posix()
        for p in package_dir.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != NAME
    }
    if present != set(recorded):
        return False
    for rel, digest in recorded.items():
        if hashlib.sha256((package_dir / rel).read_bytes()).hexdigest() != digest:
            return False
    return True
