"""Python identifiers from spec names: readable, deterministic, collision-free.

Every identifier that reaches generated code passes through here, so a name from the
spec can never become anything but a plain identifier.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")

# Names a generated module defines or imports besides the spec's own.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "Mapping",
        "Sequence",
        "Iterator",
        "AsyncIterator",
        "UUID",
        "Literal",
        "Union",
        "Optional",
        "datetime",
        "date",
        "dataclass",
        "field",
        "Enum",
        "Client",
        "AsyncClient",
        "UNSET",
        "Unset",
        "TypeAlias",
    }
)
BUILTIN_NAMES = frozenset(dir(builtins))


def literal(value: object) -> str:
    """A Python literal for a JSON scalar; strings in double quotes, as black prints them.

    repr() always gives a valid, inert literal; only its quote style is changed, when the
    text holds no quote of either kind, so black finds nothing to rewrite.
    """
    text = repr(value)
    if isinstance(value, str) and text[0] == "'" and '"' not in value and "'" not in value:
        return '"' + text[1:-1] + '"'
    return text


def words(text: str) -> list[str]:
    """Split any spelling (camelCase, snake_case, kebab, `Etc/GMT+0`, titles) into words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("+", " plus ").replace("'", "")
    if ascii_text.startswith("-") and ascii_text[1:2].isalnum():
        ascii_text = "minus " + ascii_text[1:]  # `-created_at` (descending) != `created_at`
    return _WORD.findall(ascii_text)


@lru_cache(maxsize=1 << 14)  # pure; the IR build asks for the same names again and again
def snake(text: str) -> str:
    """`customerPortal.benefit-grants` -> `customer_portal_benefit_grants`."""
    return "_".join(w.lower() for w in words(text))


@lru_cache(maxsize=1 << 14)  # pure; the IR build asks for the same names again and again
def pascal(text: str) -> str:
    """`benefit-grant created` -> `BenefitGrantCreated`; all-caps runs keep their case."""
    return "".join(w if w.isupper() and len(w) > 1 else w[:1].upper() + w[1:] for w in words(text))


@lru_cache(maxsize=1 << 14)  # pure; the IR build asks for the same names again and again
def upper_snake(text: str) -> str:
    return "_".join(w.upper() for w in words(text))


def safe(name: str, fallback: str, *, avoid_builtins: bool = False) -> str:
    """Make `name` a valid identifier that is not a keyword (or, optionally, a builtin)."""
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback[0]}{name}" if fallback else f"_{name}"
    if keyword.iskeyword(name) or (avoid_builtins and name in BUILTIN_NAMES):
        name += "_"
    assert name.isidentifier(), name
    return name


def field_name(json_name: str) -> str:
    return safe(snake(json_name), "field")


def class_name(text: str) -> str:
    name = safe(pascal(text), "Model")
    return name + "_" if name in RESERVED_CLASS_NAMES or name in BUILTIN_NAMES else name


def enum_member(value: object) -> str:
    text = str(value)
    name = upper_snake(text) if text else "EMPTY"
    if not name:
        name = "VALUE"
    return safe(name, "V")


# Device names Windows reserves whatever the case and extension (`con.py`, `NUL.md`): a
# repository holding such a file cannot be checked out there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
MAX_STEM_BYTES = 200  # file systems stop at 255 bytes a name; room for suffixes and `.md`


def file_stem(name: str) -> str:
    """`name` as the stem of a generated file that any checkout can hold: Windows device
    names get a trailing `_`, and a name longer than MAX_STEM_BYTES is cut, with a hash
    of the whole name appended so that cut names stay distinct. An identifier stays one."""
    if name.split(".")[0].lower() in WINDOWS_RESERVED:
        name += "_"
    if len(name.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
        cut = name.encode("utf-8")[: MAX_STEM_BYTES - 13].decode("utf-8", "ignore")
        name = f"{cut}_{digest}"
    return name


def module_name(text: str) -> str:
    """A module (and file) name: an identifier, never a Windows device name or too long."""
    return file_stem(safe(snake(text), "m", avoid_builtins=False))


# Names the client and service classes use inside their own bodies (decorators, method
# annotations, close/aclose): a service group is an attribute of those classes, so a
# group by one of these names would shadow what the class needs.
RESERVED_GROUP_NAMES = frozenset(
    {
        "functools",
        "httpx",
        "close",
        "aclose",
        "builtins",
        "type",
        "date",
        "datetime",
        "str",
        "dict",
        "list",
        "tuple",
        "int",
        "float",
        "bool",
        "bytes",
    }
)


def group_name(text: str) -> str:
    """One level of a service group: a module name, and the attribute that reaches it."""
    name = module_name(text)
    return f"{name}_group" if name in RESERVED_GROUP_NAMES else name


class Namespace:
    """Hands out unique names in one scope, in the order asked: deterministic by design.

    Collisions get numeric suffixes (`Foo`, `Foo2`); callers sort their requests so
    the first claimant of a name is the same on every run.
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken = {n.lower() for n in taken}

    def claim(self, name: str) -> str:
        candidate, n = name, 1
        while candidate.lower() in self._taken:
            n += 1
            candidate = f"{name}{n}" if not name.endswith("_") else f"{name}{n}_"
        self._taken.add(candidate.lower())
        return candidate
