"""Measurements that must run inside the tools' interpreter, one fresh process each.

    python probes.py import   DIR MODULE EXPR        import MODULE from DIR and evaluate EXPR
                                                     (`m` is the module); prints seconds
    python probes.py runtime  TOOL PAYLOAD DIR MODULE MODEL
                                                     decode/encode PAYLOAD (a JSON file holding
                                                     one object or a list) with TOOL's models
    python probes.py edit-spec SRC DST SCHEMA TEXT   copy SRC to DST with one schema's
                                                     description replaced by TEXT
    python probes.py make-list SPEC SCHEMA COUNT DST DST_ONE [required|all]
                                                     COUNT varied copies of one synthesised
                                                     example of SCHEMA, as a JSON list
    python probes.py black-pass DIR LINE_LENGTH      CPU of one black pass over every Python
                                                     module under DIR, each first brought to
                                                     black's layout (untimed), on every core

Each prints one JSON object on stdout. Nothing is imported at the top beyond `sys` and
`time`, so the import probe measures the generated package and what it pulls in.
"""

from __future__ import annotations

import sys
import time


def probe_import(directory: str, module: str, expr: str) -> dict[str, object]:
    sys.path.insert(0, directory)
    import importlib  # already loaded by the interpreter's start-up; nothing is paid here

    started, cpu = time.perf_counter(), time.process_time()
    m = importlib.import_module(module)
    obj = eval(expr, {"m": m})  # noqa: S307 - a fixed expression written by run.py
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    import json

    modules = len(sys.modules)
    del obj
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "modules_loaded": modules}))
    return {}


def _first_difference(a: object, b: object, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a:
                return f"{path}/{key}: added {b[key]!r}"[:200]
            if key not in b:
                return f"{path}/{key}: dropped (was {a[key]!r})"[:200]
            diff = _first_difference(a[key], b[key], f"{path}/{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            diff = _first_difference(x, y, f"{path}/{i}")
            if diff:
                return diff
        return None
    if a != b or type(a) is not type(b):
        return f"{path or '<root>'}: {a!r} -> {b!r}"[:200]
    return None


def _codec(tool: str, directory: str, module: str, model: str, many: bool):  # type: ignore[no-untyped-def]
    """(decode, encode) callables for TOOL; decode takes parsed JSON, encode its result."""
    import importlib

    sys.path.insert(0, directory)
    if tool in ("sdkgen", "openapi-python-client"):
        cls = getattr(importlib.import_module(f"{module}.models"), model)
        if many:
            return (lambda data: [cls.from_dict(x) for x in data]), (lambda objs: [o.to_dict() for o in objs])
        return cls.from_dict, (lambda obj: obj.to_dict())
    if tool == "pydantic":
        from pydantic import TypeAdapter

        cls = getattr(importlib.import_module(module), model)
        if many:
            adapter = TypeAdapter(list[cls])  # type: ignore[valid-type]
            return adapter.validate_python, (
                lambda objs: adapter.dump_python(objs, mode="json", by_alias=True, exclude_unset=True)
            )
        return cls.model_validate, (lambda obj: obj.model_dump(mode="json", by_alias=True, exclude_unset=True))
    if tool == "polar-sdk":
        # The official Polar SDK: `polar.base.deserialize` is what its services call on a
        # response; it has no encoder for its output dataclasses, so encoding is adaptix's
        # own `Retort().dump`, the library its models are built for.
        import adaptix
        from polar.base import deserialize

        cls = getattr(importlib.import_module(module), model)
        shape = list[cls] if many else cls  # type: ignore[valid-type]
        retort = adaptix.Retort()
        dumper = retort.get_dumper(shape)
        return (lambda data: deserialize(data, shape)), dumper
    raise SystemExit(f"unknown tool {tool!r}")


def probe_runtime(tool: str, payload: str, directory: str, module: str, model: str) -> None:
    import json
    import timeit

    with open(payload, encoding="utf-8") as fh:
        text = fh.read()
    data = json.loads(text)
    many = isinstance(data, list)

    def best(fn) -> float:  # type: ignore[no-untyped-def]
        timer = timeit.Timer(fn)
        number, _ = timer.autorange()
        return min(timer.repeat(repeat=3, number=number)) / number

    result: dict[str, object] = {"tool": tool, "items": len(data) if many else 1}
    if tool == "json":
        result["decode"] = best(lambda: json.loads(text))
        result["encode"] = best(lambda: json.dumps(data))
        result["roundtrip"] = None
    else:
        decode, encode = _codec(tool, directory, module, model, many)
        obj = decode(data)
        back = json.loads(json.dumps(encode(obj)))
        result["roundtrip"] = _first_difference(data, back)
        result["decode"] = best(lambda: decode(data))
        result["encode"] = best(lambda: encode(obj))
    print(json.dumps(result))


def _load(path: str):  # type: ignore[no-untyped-def]
    import json

    with open(path, encoding="utf-8") as fh:
        if path.endswith((".yaml", ".yml")):
            import yaml

            return yaml.safe_load(fh)
        return json.load(fh)


def edit_spec(src: str, dst: str, schema: str, text: str) -> None:
    import json

    document = _load(src)
    target = document["components"]["schemas"][schema]
    target["description"] = text
    with open(dst, "w", encoding="utf-8") as fh:
        if dst.endswith((".yaml", ".yml")):
            import yaml

            yaml.safe_dump(document, fh, sort_keys=False, allow_unicode=True)
        else:
            json.dump(document, fh, indent=2, ensure_ascii=False)
    print(json.dumps({"schema": schema}))


def make_list(spec: str, schema: str, count: str, dst: str, dst_one: str, fields: str = "required") -> None:
    import json
    import os

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import synth

    document = _load(spec)
    one = synth.component_example(document, schema, all_properties=fields == "all")
    problems = synth.validate(document, schema, one)
    if problems:
        raise SystemExit(f"synthesised {schema} is not valid: {problems[:5]}")
    items = synth.varied_list(one, int(count))
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(items, fh)
    with open(dst_one, "w", encoding="utf-8") as fh:
        json.dump(one, fh, indent=2)
    print(json.dumps({"schema": schema, "items": len(items), "bytes": os.path.getsize(dst)}))


_TEXTS: list[str] = []  # black-pass: the modules, shared with the forked workers


def _two_passes(job: tuple[int, int]) -> tuple[float, bool]:
    """Module `i` brought to black's layout at line length `n` (untimed), then formatted
    once more (timed): the CPU seconds of that one pass, and whether it left the text as
    it was."""
    import black

    i, n = job
    mode = black.Mode(target_versions={black.mode.TargetVersion.PY310}, line_length=n)
    try:
        laid_out = black.format_str(_TEXTS[i], mode=mode)
    except black.parsing.InvalidInput:
        return 0.0, False
    started = time.process_time()
    again = black.format_str(laid_out, mode=mode)
    return time.process_time() - started, again == laid_out


def black_pass(directory: str, line_length: str) -> None:
    """The work black alone must do to format a given output once: the CPU of one pass
    over each module already in black's layout (`format_str` formats a text it changes
    twice, so the layout is reached first, untimed), summed over the modules, and that
    sum spread over the cores this process may use (no run formatting these modules with
    black can take less wall time than that)."""
    import json
    import multiprocessing
    import os
    from pathlib import Path

    import black

    paths = sorted(Path(directory).rglob("*.py"))
    _TEXTS.extend(path.read_text(encoding="utf-8") for path in paths)
    black.format_str("pass\n", mode=black.Mode())  # black set up before the workers are forked
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    order = sorted(range(len(_TEXTS)), key=lambda i: -len(_TEXTS[i]))  # largest first: no long tail
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        results = pool.map(_two_passes, [(i, int(line_length)) for i in order], chunksize=1)
    cpu = sum(seconds for seconds, _ in results)
    print(
        json.dumps(
            {
                "modules": len(paths),
                "lines": sum(text.count("\n") for text in _TEXTS),
                "cpu_seconds": cpu,
                "cores": cores,
                "floor_seconds": cpu / cores,
                "stable": sum(1 for _, same in results if same),
            }
        )
    )


def main(argv: list[str]) -> None:
    command, rest = argv[0], argv[1:]
    if command == "import":
        probe_import(*rest)
    elif command == "runtime":
        probe_runtime(*rest)
    elif command == "edit-spec":
        edit_spec(*rest)
    elif command == "make-list":
        make_list(*rest)
    elif command == "black-pass":
        black_pass(*rest)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
