"""Go identifiers from spec names: exported Pascal case with Go's initialisms, lower camel
for parameters, literals that Go reads back exactly. Go-specific naming lives here only.
"""

from __future__ import annotations

import json
import re

from ..naming import file_stem, words

# The initialisms Go code writes in capitals (the list Go's own linters use).
INITIALISMS = frozenset(
    [
        "acl",
        "api",
        "ascii",
        "cpu",
        "css",
        "dns",
        "eof",
        "guid",
        "html",
        "http",
        "https",
        "id",
        "ip",
        "json",
        "lhs",
        "qps",
        "ram",
        "rhs",
        "rpc",
        "sla",
        "smtp",
        "sql",
        "ssh",
        "tcp",
        "tls",
        "ttl",
        "udp",
        "ui",
        "uid",
        "uuid",
        "uri",
        "url",
        "utf8",
        "vm",
        "xml",
        "xmpp",
        "xsrf",
        "xss",
    ]
)
KEYWORDS = frozenset(
    [
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
    ]
)
PREDECLARED = frozenset(
    [
        "any",
        "append",
        "bool",
        "byte",
        "cap",
        "close",
        "comparable",
        "complex",
        "complex64",
        "complex128",
        "copy",
        "delete",
        "error",
        "false",
        "float32",
        "float64",
        "imag",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "iota",
        "len",
        "make",
        "new",
        "nil",
        "panic",
        "print",
        "println",
        "real",
        "recover",
        "rune",
        "string",
        "true",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
    ]
)
# Build-constraint suffixes: a file named `x_linux.go` or `x_test.go` is not always compiled.
_FILE_SUFFIXES = frozenset(
    [
        "test",
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)


def _word(w: str) -> str:
    if w.lower() in INITIALISMS:
        return w.upper()
    if len(w) > 2 and w[-1] == "s" and w[:-1].lower() in INITIALISMS:
        return w[:-1].upper() + "s"  # `ids` -> `IDs`, `urls` -> `URLs`
    digits = re.fullmatch(r"([A-Za-z]+)([0-9]+)", w)
    if digits and digits[1].lower() in INITIALISMS:
        return digits[1].upper() + digits[2]  # `id2` (a de-duplicated `id`) -> `ID2`
    if w.isupper() and len(w) > 1 and not w[0].isdigit():
        return w  # an acronym the spec wrote in capitals stays so (`HTTPValidationError`)
    return w[:1].upper() + w[1:]


def pascal(text: str, fallback: str = "Value") -> str:
    """`tax_id` -> `TaxID`, `TaxIDFormat` -> `TaxIDFormat`; always a valid exported name."""
    name = "".join(_word(w) for w in words(str(text)))
    if not name:
        return fallback
    if name[0].isdigit():
        return fallback + name
    return name


def camel(text: str, fallback: str = "value") -> str:
    """Lower camel case for parameters and locals: `organization_id` -> `organizationID`;
    a Go keyword or predeclared name gets a suffix (`range` -> `rangeValue`)."""
    parts = words(str(text))
    if not parts:
        return fallback
    first = parts[0].lower()
    name = first + "".join(_word(w) for w in parts[1:])
    if name[0].isdigit():
        name = fallback + pascal(name)
    if name in KEYWORDS or name in PREDECLARED:
        name += "Value"
    return name


def file_name(name: str) -> str:
    """A Go file name for a type: snake case, never a build-constrained or ignored name,
    never longer than a file system holds (the Python target's rule: a long name is cut
    and a hash of the whole name appended, so cut names stay distinct)."""
    stem = "_".join(w.lower() for w in words(name)) or "type"
    if stem.rsplit("_", 1)[-1] in _FILE_SUFFIXES or stem.startswith(("_", ".")):
        stem += "_type"
    return file_stem(stem) + ".go"


def go_string(value: object) -> str:
    """A Go interpreted string literal for any text (JSON escapes are Go escapes too)."""
    text = str(value)
    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)  # lone surrogates
    out = json.dumps(text, ensure_ascii=False)
    # characters Go source must not hold raw
    return re.sub("[\u2028\u2029\u0085\u007f\ufeff]", lambda m: f"\\u{ord(m.group(0)):04x}", out)


_TAG_SAFE = re.compile(r"^[A-Za-z0-9!#$%&()*+\-./:;<=>?@\[\]^_{|}~ ]+$")


def tag_safe(json_name: str) -> bool:
    """Whether encoding/json accepts this key in a struct tag."""
    return bool(_TAG_SAFE.match(json_name)) and "," not in json_name


def go_comment(text: str | None, indent: str = "") -> tuple[str, ...]:
    """Spec text as `//` comment lines (control characters become spaces)."""
    if not text:
        return ()
    clean = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085]", " ", str(text).replace("\r\n", "\n"))
    lines = [line.rstrip() for line in clean.strip().split("\n")]
    return tuple(f"{indent}//" + (f" {line}" if line else "") for line in lines)


class Scope:
    """One Go namespace: every name claimed once, collisions get a numeric suffix."""

    def __init__(self, reserved: set[str] | frozenset[str] = frozenset()) -> None:
        self.taken: set[str] = set(reserved)

    def claim(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self.taken or candidate in KEYWORDS:
            candidate = f"{name}{n}"
            n += 1
        self.taken.add(candidate)
        return candidate
