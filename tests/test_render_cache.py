"""Finished files are cached by what they are made from (format.Rendered) and the docs'
code samples by their source (format.format_source): a repeated or one-schema-edited run
renders and formats only what changed, with the same bytes as a run without caches."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SEED_SPEC

from generator import cache_store, pipeline
from generator import format as fmt
from generator.config import Job


def _entries(cache: Path) -> int:
    """Entries in the cache store of the folder `cache` (this process's puts written)."""
    cache_store.flush()
    path = cache / cache_store.FILE_NAME
    if not path.exists():
        return 0
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])


def _counting_render(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the templates rendered from here on (Jinja really running)."""
    seen: list[str] = []
    real = pipeline.render

    def render(template: str, context: Any) -> str:
        seen.append(template)
        return real(template, context)

    monkeypatch.setattr(pipeline, "render", render)
    return seen


def _generate(spec: Path, out: Path, *, use_cache: bool = True) -> dict[str, bytes]:
    return pipeline.generate(Job(spec, out, "pc"), run_validator=False, use_cache=use_cache).files


def test_a_repeated_run_renders_nothing_and_gives_the_same_bytes(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _generate(SEED_SPEC, tmp_path / "a")
    rendered = _counting_render(monkeypatch)
    second = _generate(SEED_SPEC, tmp_path / "a")
    assert rendered == []
    assert second == first
    assert _entries(cache) > 20


def _many_schemas(path: Path, count: int) -> Path:
    """A spec of `count` schemas and one operation each: enough modules for forked
    children (`format.PARALLEL_THRESHOLD`), so a cold run caches its files while they format."""
    schemas = {
        f"Thing{i}": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "note": {"type": "string"}},
        }
        for i in range(count)
    }
    paths = {
        f"/things{i}": {
            "get": {
                "operationId": f"getThing{i}",
                "tags": [f"group{i % 3}"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i}"}}},
                    }
                },
            }
        }
        for i in range(count)
    }
    doc = {"openapi": "3.0.3", "info": {"title": "Many", "version": "1"}, "paths": paths}
    path.write_text(yaml.safe_dump({**doc, "components": {"schemas": schemas}}, sort_keys=False))
    return path


def test_a_cold_run_s_children_cache_what_they_format(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modules formatted in forked children are cached there (`format._format_keeping`,
    `Rendered.keep`), with their finished bytes: a repeated run renders nothing and gives
    the same package as a run without caches."""
    spec = _many_schemas(tmp_path / "many.yaml", fmt.PARALLEL_THRESHOLD * 2)
    kept_by_children: list[str] = []
    real_kept = fmt.Rendered.kept

    def kept(self: fmt.Rendered, path: str) -> None:
        kept_by_children.append(path)
        real_kept(self, path)

    monkeypatch.setattr(fmt.Rendered, "kept", kept)
    first = _generate(spec, tmp_path / "a")
    assert len([p for p in kept_by_children if p.startswith("models/")]) >= fmt.PARALLEL_THRESHOLD * 2
    rendered = _counting_render(monkeypatch)
    assert _generate(spec, tmp_path / "a") == first
    assert rendered == []
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert _generate(spec, tmp_path / "b", use_cache=False) == first


def test_a_one_schema_edit_renders_only_what_it_reaches(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _generate(SEED_SPEC, tmp_path / "a")
    data = yaml.safe_load(SEED_SPEC.read_text())
    data["components"]["schemas"]["Address"]["description"] = "Edited by the test."
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, sort_keys=False))
    rendered = _counting_render(monkeypatch)
    got = _generate(edited, tmp_path / "a")
    assert 0 < len(rendered) < 6, rendered  # its model module and its docs page, not the rest
    monkeypatch.undo()
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert got == _generate(edited, tmp_path / "b", use_cache=False)


def test_without_the_cache_everything_is_rendered(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _generate(SEED_SPEC, tmp_path / "a")
    rendered = _counting_render(monkeypatch)
    _generate(SEED_SPEC, tmp_path / "a", use_cache=False)
    assert len(rendered) > 20


def test_what_does_not_pickle_is_not_cached(cache: Path) -> None:
    rendered = fmt.Rendered(88)
    assert rendered.get("x.py", "t.jinja", {"lock": threading.Lock()}) is None
    assert rendered.pending == {}
    rendered.get("y.py", "t.jinja", {"a": 1})
    assert list(rendered.pending) == ["y.py"]


def test_the_key_covers_context_template_and_line_length(cache: Path) -> None:
    made = fmt.Rendered(88)
    assert made.get("a.py", "t.jinja", {"a": 1}) is None
    made.remember({"a.py": b"A\n"})
    assert fmt.Rendered(88).get("a.py", "t.jinja", {"a": 1}) == b"A\n"
    assert fmt.Rendered(88).get("a.py", "t.jinja", {"a": 2}) is None
    assert fmt.Rendered(88).get("a.py", "u.jinja", {"a": 1}) is None
    assert fmt.Rendered(100).get("a.py", "t.jinja", {"a": 1}) is None
    assert fmt.Rendered(88, enabled=False).get("a.py", "t.jinja", {"a": 1}) is None


def test_format_source_reads_back_what_black_formatted(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = "x = [1,\n 2]\n"
    assert fmt.format_source(source, path="s.py") == "x = [1, 2]\n"

    def no_black(*args: object, **kwargs: object) -> str:
        raise AssertionError("black ran again")

    monkeypatch.setattr(fmt, "_black", no_black)
    assert fmt.format_source(source, path="s.py") == "x = [1, 2]\n"
    assert _entries(cache) == 1


def test_code_black_cannot_parse_is_an_error_and_is_not_cached(cache: Path) -> None:
    with pytest.raises(fmt.FormatError, match=r"bad\.py: generated code does not parse"):
        fmt.format_source("def (:\n", path="bad.py")
    assert _entries(cache) == 0


def _memo_files(cache: Path) -> list[Path]:
    return sorted((cache / "layout").rglob("*.json"))


def _count_splits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Lines `emit/layout.py` really splits from here on (not read from the memo)."""
    from generator.emit.layout import Layout

    seen: list[str] = []
    real = Layout._split

    def split(self: Layout, text: str, indent: int, kind: Any) -> str:
        seen.append(text)
        return real(self, text, indent, kind)

    monkeypatch.setattr(Layout, "_split", split)
    return seen


def test_layout_splits_are_remembered_per_output(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    splits = _count_splits(monkeypatch)
    first = _generate(SEED_SPEC, tmp_path / "a", use_cache=False)
    assert splits  # the seed has lines too long for one line
    assert _memo_files(cache) == []  # no cache: nothing kept
    made = len(splits)
    assert _generate(SEED_SPEC, tmp_path / "a") == first
    assert len(splits) == 2 * made
    assert len(_memo_files(cache)) == 1
    rendered = _counting_render(monkeypatch)
    monkeypatch.setattr(fmt.Rendered, "get", lambda *args: None)  # emit and render everything
    monkeypatch.setattr(fmt.Rendered, "by_inputs", lambda *args: None)
    assert _generate(SEED_SPEC, tmp_path / "a") == first
    assert len(splits) == 2 * made  # every split read back
    assert len(rendered) > 20
    _generate(SEED_SPEC, tmp_path / "other")  # another output keeps its own
    assert len(splits) == 3 * made
    assert len(_memo_files(cache)) == 2


def test_a_stale_or_damaged_layout_memo_is_never_used(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from generator import manifest

    monkeypatch.setattr(fmt.Rendered, "get", lambda *args: None)
    monkeypatch.setattr(fmt.Rendered, "by_inputs", lambda *args: None)
    first = _generate(SEED_SPEC, tmp_path / "a")
    (memo,) = _memo_files(cache)
    # still valid Python (black formats it), but not what the generator would emit
    # (the seed's long lines are the models' `unknown_fields: ... = _field(...)` declarations)
    wrong = json.dumps([[*row[:4], row[4].replace("_field(", "WRONG(")] for row in json.loads(memo.read_text("utf-8"))])
    memo.write_text(wrong, "utf-8")
    planted = _generate(SEED_SPEC, tmp_path / "a")  # same generator: the memo is trusted
    assert b"WRONG(" in b"".join(planted.values())
    memo.write_text(wrong, "utf-8")
    fingerprint = manifest.generator_fingerprint()
    monkeypatch.setattr(manifest, "generator_fingerprint", lambda: "changed " + fingerprint)
    assert _generate(SEED_SPEC, tmp_path / "a") == {
        **first,
        manifest.NAME: _generate(SEED_SPEC, tmp_path / "a")[manifest.NAME],
    }
    monkeypatch.undo()
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(cache))
    monkeypatch.setattr(fmt.Rendered, "get", lambda *args: None)
    monkeypatch.setattr(fmt.Rendered, "by_inputs", lambda *args: None)
    memo.write_text('[["not", "a", "row"]]', "utf-8")
    assert _generate(SEED_SPEC, tmp_path / "a") == first


def test_indented_json_is_json_dumps_and_reads_back_only_the_same_data(cache: Path) -> None:
    import json

    data = {"b": [1, 2.5, None, {"x": "é"}], "a": {}, "c": [], "d": True}
    expected = json.dumps(data, indent=0, sort_keys=True)
    assert fmt.indented_json(data, 0) == expected
    (stored,) = (p for p in (cache / "json").rglob("*") if p.is_file())
    stored.write_text("planted", "utf-8")
    assert fmt.indented_json(data, 0) == "planted"  # read back: the encoder did not run
    assert fmt.indented_json(data, 0, use_cache=False) == expected
    assert fmt.indented_json({**data, "d": 1}, 0) == json.dumps({**data, "d": 1}, indent=0, sort_keys=True)
    assert fmt.indented_json(data, 1) == json.dumps(data, indent=1, sort_keys=True)
    assert fmt.indented_json([1.0], 0) == "[\n1.0\n]" and fmt.indented_json([1], 0) == "[\n1\n]"


def test_cache_keys_of_contexts_differ_when_a_field_does() -> None:
    from generator.emit import contexts as ctx

    def key(value: Any) -> bytes:
        return fmt.key_bytes(value)

    a = ctx.PackageInit("Title", "'1'")
    assert key(a) == key(ctx.PackageInit("Title", "'1'"))
    assert key(a) != key(ctx.PackageInit("Title", "'2'"))
    assert key(a) != key(ctx.PackageInit("Title2", "'1'"))
    assert key(("t.jinja", a)) != key(("u.jinja", a))
    assert key([a]) != key((a,))


def test_compiled_templates_are_kept_and_read_back(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    from generator import render
    from generator.emit import contexts as ctx

    page = ctx.PackageInit("Title", "'1'")
    render.environment.cache_clear()
    first = render.render("package_init.py.jinja", page)
    assert list((cache / "jinja").rglob("*"))  # compiled code kept
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    render.environment.cache_clear()
    assert render.render("package_init.py.jinja", page) == first
    assert compiled == []  # read back, not compiled
    for entry in (cache / "jinja").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"damaged")
    render.environment.cache_clear()
    assert render.render("package_init.py.jinja", page) == first
    assert len(compiled) >= 1  # a damaged entry is compiled anew
    render.environment.cache_clear()
