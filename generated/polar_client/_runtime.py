"""Runtime support shared by the generated client code.

Copied verbatim into every generated package; depends only on the standard
library and ``httpx``. Not part of the package's public API: import from the
package itself instead.

``httpx`` is imported on first use (building a request or an HTTP client), not
at import: it and its transport stack are most of a client's import time, which
programs that import the package without calling the API should not pay.
"""

from __future__ import annotations

import base64
import datetime as _dt
import enum
import json as _json
import math
import random
import re
import sys
import threading
import time
import uuid
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Concatenate,
    Final,
    Generic,
    Literal,
    ParamSpec,
    Protocol,
    TypeAlias,
    TypedDict,
    TypeVar,
    cast,
    overload,
)
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    import httpx

    from ._wire import RequestBody

from ._auth import Applied, Credentials, Scheme, check_header_value
from ._inputs import request_json as request_json
from ._pages import afollow as afollow
from ._pages import aiterate as aiterate
from ._pages import dig as dig
from ._pages import follow as follow
from ._pages import iterate as iterate
from ._pages import listed as listed
from ._pages import next_link as next_link
from ._pages import next_target as _next_target
from ._raw import record as _record_response
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InvalidCredentialError,
    PaginationError,
    ResponseValidationError,
    error_class_for,
    redact_url,
)

__all__ = [
    "UNSET",
    "Unset",
    "OpenStrEnum",
    "OpenIntEnum",
    "parse_datetime",
    "format_datetime",
    "parse_date",
    "format_date",
    "path_param",
    "segment",
    "RetryConfig",
    "RequestOptions",
    "Timeout",
    "DEFAULT_TIMEOUT",
    "ResponseKind",
    "ErrorDecoders",
    "Operation",
    "StreamTwin",
    "AsyncStreamTwin",
    "ClientConfig",
    "SyncClientCore",
    "AsyncClientCore",
    "iterate_pages",
    "aiterate_pages",
    "to_json",
    "cookie_header",
    "parse_uuid",
    "format_uuid",
    "enum_members",
    "identity",
    "ignore",
    "encode_bytes",
    "decode_bytes",
    "json_array",
    "FileContent",
    "encode_file",
    "decoder",
    "encoder",
]

T = TypeVar("T")
U = TypeVar("U")
P = TypeVar("P")
A = ParamSpec("A")


# --------------------------------------------------------------------------
# UNSET


class Unset(enum.Enum):
    """Marks a field or argument that was not given at all, as distinct from
    an explicit ``None`` (JSON ``null``). An enum so type checkers narrow
    ``x is not UNSET``."""

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    __str__ = __repr__


UNSET: Final = Unset.UNSET


# --------------------------------------------------------------------------
# Open enums

# Values the server sent that the spec did not declare, cached per class so
# repeated parses return the same object. Bounded so a server sending free-form
# values cannot grow memory without limit (past the bound, equal-but-distinct
# objects are returned).
_UNKNOWN_MEMBERS: dict[type, dict[object, Any]] = {}
_UNKNOWN_LIMIT = 256
_UNKNOWN_LOCK = threading.Lock()


def _unknown_member(cls: type, base: Any, value: object) -> Any:
    cache = _UNKNOWN_MEMBERS.get(cls)
    if cache is not None:
        member = cache.get(value)
        if member is not None:
            return member
    member = base.__new__(cls, value)
    member._name_ = "UNKNOWN"
    member._value_ = value
    with _UNKNOWN_LOCK:
        cache = _UNKNOWN_MEMBERS.setdefault(cls, {})
        if len(cache) < _UNKNOWN_LIMIT:
            member = cache.setdefault(value, member)
    return member


class OpenStrEnum(str, enum.Enum):
    """Base of generated string enums. *Open*: a value the spec does not
    declare yields an ``UNKNOWN`` pseudo-member (``is_known`` False) that keeps
    the raw value, so a server adding an enum value never breaks the client."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None  # wrong JSON type: Enum raises ValueError
        return _unknown_member(cls, str, str.__str__(value))

    @property
    def is_known(self) -> bool:
        """True for members declared in the spec."""
        return type(self).__members__.get(self._name_) is self

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(str.__str__(self), format_spec)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"


class OpenIntEnum(int, enum.Enum):
    """Base of generated integer enums; open like :class:`OpenStrEnum`."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        return _unknown_member(cls, int, int(value))

    @property
    def is_known(self) -> bool:
        """True for members declared in the spec."""
        return type(self).__members__.get(self._name_) is self

    def __str__(self) -> str:
        return int.__repr__(self)

    def __format__(self, format_spec: str) -> str:
        return int.__format__(int(self), format_spec)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"


# --------------------------------------------------------------------------
# Dates and times

_UTC = _dt.timezone.utc
_DATETIME_RE = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)"
    r"(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?"
    r"(?:([Zz])|([+-])(\d\d)(?::?(\d\d))?)?)?",
    re.ASCII,
)
_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
_FROM_ISO = _dt.datetime.fromisoformat
# Python 3.11's fromisoformat reads a trailing "Z" (as UTC); 3.10's does not.
_ISO_Z = sys.version_info >= (3, 11)
# "00" .. "99": formatting a UTC datetime from its fields and this table is
# about twice as fast as isoformat() (which formats the offset through tzinfo).
_TWO_DIGITS = tuple(f"{i:02d}" for i in range(100))


def parse_datetime(value: str) -> _dt.datetime:
    """Parse an RFC 3339 / ISO 8601 date-time into an aware datetime.

    Accepts ``Z``/``z``, numeric offsets, any number of fractional digits
    (truncated to microseconds) and, leniently, a bare date; input without an
    offset is taken as UTC. Behaves the same on every Python version.
    """
    # Fast path for the usual "YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z" shape (its
    # separators, every third character from the fifth, checked by one slice),
    # which every supported Python's fromisoformat parses identically; 3.11 reads
    # the "Z" itself, 3.10 is given "+00:00" instead.
    try:
        separators = value[4:20:3]
    except (TypeError, KeyError):  # a number, None, a dict: the same error as bad text
        raise ValueError(f"invalid date-time: {value!r}") from None
    n = len(value)
    if (n == 20 and separators == "--T::Z") or (
        (n == 24 or n == 27) and separators == "--T::." and value[-1] == "Z"
    ):
        try:
            return _FROM_ISO(value) if _ISO_Z else _FROM_ISO(value[:-1] + "+00:00")
        except ValueError:
            pass  # let the general parser produce the error
    if not isinstance(value, str):  # sliceable, but not text (a list)
        raise ValueError(f"invalid date-time: {value!r}")
    m = _DATETIME_RE.fullmatch(value)
    if m is None:
        raise ValueError(f"invalid date-time: {value!r}")
    year, month, day, hour, minute, second, frac, z, sign, oh, om = m.groups()
    tz = _UTC
    if sign is not None:
        offset = _dt.timedelta(hours=int(oh), minutes=int(om or 0))
        if offset:
            tz = _dt.timezone(-offset if sign == "-" else offset)
    try:
        return _dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int(frac[:6].ljust(6, "0")) if frac else 0,
            tzinfo=tz,
        )
    except ValueError as exc:
        raise ValueError(f"invalid date-time: {value!r}: {exc}") from None


def format_datetime(value: _dt.datetime) -> str:
    """ISO 8601 text for a datetime; UTC is written ``Z`` and naive values
    are taken as UTC, so ``parse_datetime`` output round-trips unchanged."""
    tz = value.tzinfo
    if (tz is _UTC or tz is None) and value.year >= 1000:
        # UTC (every datetime parse_datetime reads with "Z") or naive, written
        # from the fields: the same text as the general path below
        d2 = _TWO_DIGITS
        us = value.microsecond
        if not us:
            return (
                f"{value.year}-{d2[value.month]}-{d2[value.day]}"
                f"T{d2[value.hour]}:{d2[value.minute]}:{d2[value.second]}Z"
            )
        text = (
            f"{value.year}-{d2[value.month]}-{d2[value.day]}"
            f"T{d2[value.hour]}:{d2[value.minute]}:{d2[value.second]}"
        )
        if us % 1000:
            return f"{text}.{us:06d}Z"
        return f"{text}.{us // 1000:03d}Z"
    us = value.microsecond
    text = (
        value.isoformat(timespec="milliseconds")
        if us and not us % 1000
        else value.isoformat()
    )
    offset = value.utcoffset()
    if offset is None:  # naive: taken as UTC
        return text + "Z"
    if not offset:  # zero: isoformat wrote "+00:00"
        return text[:-6] + "Z"
    return text


def parse_date(value: str) -> _dt.date:
    """Parse an ISO 8601 ``YYYY-MM-DD`` date."""
    if not isinstance(value, str) or _DATE_RE.fullmatch(value) is None:
        raise ValueError(f"invalid date: {value!r}")
    return _dt.date.fromisoformat(value)


def format_date(value: _dt.date) -> str:
    """``YYYY-MM-DD`` text for a date (a datetime contributes its date)."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    return value.isoformat()


# --------------------------------------------------------------------------
# Parameter serialisation


def _to_text(value: object) -> str:
    """Wire text of one scalar query/header/form/path value."""
    if type(value) is str:
        return value
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, _dt.date):
        return format_date(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        # binary data in text (a `format: binary` parameter): base64, as the Go client
        # writes it; str() would send Python's repr (`b'...'`)
        return encode_bytes(value)
    return str(value)


def path_param(value: object) -> str:
    """Text for one path segment: converted like a query value, then
    percent-encoded with nothing left safe (``/`` included)."""
    return quote(_to_text(value), safe="")


def segment_param(value: object) -> str:
    """``path_param`` of a value that fills a whole path segment (see ``segment``)."""
    return segment(path_param(value))


def segment(text: str) -> str:
    """A path parameter's encoded text that fills a whole path segment.

    Empty, ``.`` and ``..`` raise ValueError before anything is sent: URL
    normalisation would turn them into another endpoint
    (``/v1/customers/..`` is ``/v1``, ``/v1/customers/`` another route)."""
    if text in ("", ".", ".."):
        raise ValueError(
            f"a path parameter cannot be {text!r}: it would address another endpoint"
        )
    return text


def _flatten(items: Mapping[str, Any]) -> list[tuple[str, str]]:
    # None/UNSET drop out; sequences repeat the key (form style, explode);
    # mappings become key[sub]=value (deepObject style).
    pairs: list[tuple[str, str]] = []
    for key, value in items.items():
        if value is None or value is UNSET:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            pairs.extend((key, _to_text(v)) for v in value if v is not None)
        elif isinstance(value, Mapping):
            pairs.extend(_flatten({f"{key}[{k}]": v for k, v in value.items()}))
        else:
            pairs.append((key, _to_text(value)))
    return pairs


def _json_default(value: object) -> object:
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, _dt.date):
        return format_date(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(value: Any) -> Any:
    """JSON data for a value whose type is only known at run time (a union member)."""
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        return encode_bytes(value)
    return _json_default(value)


_UUID = uuid.UUID
_UUID_NEW = uuid.UUID.__new__
# UUID is immutable (its __setattr__ raises): its two slots are filled through their
# descriptors, as UUID.__init__ fills them through object.__setattr__
_SET_INT = uuid.UUID.__dict__["int"].__set__
_SET_IS_SAFE = uuid.UUID.__dict__["is_safe"].__set__
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown


def parse_uuid(value: str) -> uuid.UUID:
    """`uuid.UUID(value)` for the 36-character form, about 4x faster.

    Decoding a response spends much of its time building UUIDs; the hyphenated form
    (what servers send) is read here the way `uuid.UUID` reads it (hyphens removed,
    32 digits read by `int(..., 16)`), anything else goes through `uuid.UUID`.
    """
    if len(value) == 36:
        hex_digits = value.replace("-", "")
        if len(hex_digits) == 32:
            try:
                number = int(hex_digits, 16)
            except ValueError:
                pass
            else:
                result = _UUID_NEW(_UUID)
                _SET_INT(result, number)
                _SET_IS_SAFE(result, _UNKNOWN_SAFETY)
                return result
    return _UUID(value)


def format_uuid(value: uuid.UUID) -> str:
    """`str(value)`, about a third faster (the same text: `uuid.UUID.__str__`
    is Python code around the same hex formatting): the 16 bytes written as
    4, 2-2-2 (one `hex` with a separator every 2 bytes) and 6; anything that is
    not a UUID (a caller's plain string) goes through `str`."""
    try:
        raw = value.int.to_bytes(16, "big")
    except AttributeError:
        return str(value)
    return f"{raw[:4].hex()}-{raw[4:10].hex('-', 2)}-{raw[10:].hex()}"


E = TypeVar("E", bound=enum.Enum)


def enum_members(cls: type[E]) -> dict[Any, E]:
    """An enum's members by value: generated decoders look a JSON value up here
    (a dict lookup) before calling the class (`Enum.__call__` is Python code,
    ~20x slower), which still handles values the table lacks (open enums'
    unknown values, wrong types)."""
    return {member.value: member for member in cls}


# Models' codecs compiled so far (`_codec.py`), by model class: `Model`'s `from_dict` /
# `to_dict` are replaced on the model class at the first call, but a reference taken before
# that (a service module's `Operation` holds `Order.from_dict`) keeps calling `Model`'s,
# which then finds the compiled function here (a dict lookup) instead of compiling again.
_DECODERS: dict[type, Callable[..., Any]] = {}
_ENCODERS: dict[type, Callable[..., Any]] = {}

_M = TypeVar("_M", bound="Model")


class Model:
    """The base of every generated model class (a slotted dataclass).

    `from_dict` and `to_dict` are compiled from the model's field table (`_FIELDS_<Name>`
    in its module; `_codec.py`) at the first call and installed on the model class itself,
    so later calls go straight to the compiled function. A subclass of a generated model
    uses its generated ancestor's table and gets instances of its own class.
    """

    __slots__ = ()

    @classmethod
    def from_dict(cls: type[_M], d: Mapping[str, Any]) -> _M:
        """An instance from its JSON object (`json.loads`'s dict)."""
        found = _DECODERS.get(cls)
        if found is None:
            owner = _table_owner(cls)
            found = _DECODERS[cls] = decoder(owner, vars(sys.modules[owner.__module__]))
        result: _M = found(cls, d)
        return result

    def to_dict(self) -> dict[str, Any]:
        """The JSON object (for `json.dumps`): unset fields left out, unknown keys kept."""
        cls = type(self)
        found = _ENCODERS.get(cls)
        if found is None:
            owner = _table_owner(cls)
            found = _ENCODERS[cls] = encoder(owner, vars(sys.modules[owner.__module__]))
        result: dict[str, Any] = found(self)
        return result


def _table_owner(cls: type) -> type:
    """The generated model class `cls` is or derives from: the first class of its MRO
    whose module holds its field table."""
    for klass in cls.__mro__:
        module = sys.modules.get(klass.__module__)
        if module is not None and isinstance(vars(module).get(f"_FIELDS_{klass.__name__}"), str):
            return klass
    raise TypeError(f"{cls.__qualname__} is not a generated model (no field table in its module or its bases')")


def decoder(owner: type[T], namespace: Mapping[str, Any]) -> Callable[[type[T], Mapping[str, Any]], T]:
    """A model's `from_dict`, compiled from its field table at its first call and installed
    on the class (`_codec.py`, imported then: importing the client does not load it)."""
    found = _DECODERS.get(owner)
    if found is None:
        from . import _codec

        found = _DECODERS[owner] = _codec.decoder(owner, namespace)
    return found


def encoder(owner: type[T], namespace: Mapping[str, Any]) -> Callable[[T], dict[str, Any]]:
    """A model's `to_dict`, compiled from its field table at its first call (`_codec.py`)."""
    found = _ENCODERS.get(owner)
    if found is None:
        from . import _codec

        found = _ENCODERS[owner] = _codec.encoder(owner, namespace)
    return found


_SLOTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def model_slots(cls: type) -> tuple[tuple[str, Any], ...]:
    """The fields of a model class that hold models, and where (`_codec.model_slots`)."""
    found = _SLOTS.get(cls)
    if found is None:
        from . import _codec

        owner = _table_owner(cls)
        found = _SLOTS[cls] = _codec.model_slots(owner, vars(sys.modules[owner.__module__]))
    return found


def cookie_header(values: Mapping[str, Any]) -> str | None:
    """A `Cookie` header for cookie parameters (None when every value is unset)."""
    pairs = [
        f"{quote(name, safe='')}={quote(_to_text(v), safe='')}"
        for name, v in values.items()
        if v is not None and v is not UNSET
    ]
    return "; ".join(pairs) or None


def identity(value: Any) -> Any:
    """Decoder for responses whose JSON is already the Python value."""
    return value


def ignore(value: object) -> None:
    """Decoder for responses that carry no body worth reading."""
    return None


def encode_bytes(value: bytes | bytearray | memoryview) -> str:
    """`format: byte` / binary data inside JSON travels as base64 text."""
    return base64.b64encode(value).decode("ascii")


def decode_bytes(value: str) -> bytes:
    return base64.b64decode(value)


def json_array(value: Any, size: int = -1) -> Any:
    """`value` when it is a JSON array (of `size` items, when given), for a decoder that
    converts its items: a string or an object read as an array would give its characters or
    its keys, a longer array read as a tuple would lose its last items, without a word."""
    if isinstance(value, list) and (size < 0 or len(value) == size):  # a subclass too: `_TracedList`
        return value  # typed Any, as the JSON it came in: a tuple's decoder reads it item by item
    what = "an array" if size < 0 else f"an array of {size} items"
    got = f"{len(value)} item{'' if len(value) == 1 else 's'}" if isinstance(value, list) else _json_kind(value)
    raise TypeError(f"expected {what}, got {got}")


def _json_kind(value: object) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "null" if value is None else type(value).__name__


FileContent: TypeAlias = (
    "bytes | IO[bytes] | tuple[str | None, bytes | IO[bytes], str | None]"
)
"""A `format: binary` value: bytes, a binary file object, or a
`(filename, content, content_type)` tuple (None: the property name / declared type)."""


def encode_file(value: FileContent) -> str:
    """A binary value inside JSON (where it has no better form): base64 text."""
    if isinstance(value, tuple):
        value = value[1]
    if not isinstance(value, bytes):
        value = value.read()
    return encode_bytes(value)


# --------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True, slots=True)
class RetryConfig:
    """When and how long to retry. Delay before retry ``n`` (0-based) is
    ``initial_delay * 2**n`` capped at ``max_delay``, reduced by up to
    ``jitter`` (a fraction) at random, unless the server sent
    ``retry-after-ms``/``Retry-After`` with a delay in (0, ``max_retry_after``]
    seconds, which wins; a hint outside that range (0, negative, too long,
    unparsable) is ignored and the backoff is used.

    Idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, QUERY) are retried on
    ``retry_statuses`` and on connection errors and timeouts. Other methods
    (POST, PATCH) are only resent when the server cannot have acted on the
    request, exactly: the connection was never made (connect error, connect
    or pool timeout), the server answered 429, or it answered 503 with a
    valid ``Retry-After``/``retry-after-ms`` (it is not handling requests). A
    502 or 504 never resends them, hint or not: the upstream may have acted.
    ``retry_non_idempotent=True`` retries them like idempotent ones (for APIs
    that deduplicate, e.g. with idempotency keys)."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    retry_statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    retry_connection_errors: bool = True
    max_retry_after: float = 60.0
    retry_non_idempotent: bool = False

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if min(self.initial_delay, self.max_delay, self.max_retry_after) < 0:
            raise ValueError("delays must be >= 0")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")

    def delay(self, attempt: int, headers: httpx.Headers | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        if headers is not None:
            hinted = _retry_after(headers, self.max_retry_after)
            if hinted is not None:
                return hinted
        base = min(self.initial_delay * 2.0 ** min(attempt, 62), self.max_delay)
        return base * (1.0 - self.jitter * random.random())


def _retry_after(headers: httpx.Headers, limit: float = 60.0) -> float | None:
    """Server-requested delay in seconds, if a header states one in
    (0, ``limit``]; a value outside that range counts as absent."""
    seconds = _retry_after_raw(headers)
    if seconds is None or not 0.0 < seconds <= limit:
        return None
    return seconds


def _retry_after_raw(headers: httpx.Headers) -> float | None:
    raw = headers.get("retry-after-ms")
    if raw:
        try:
            ms = float(raw)
        except ValueError:
            pass
        else:
            if math.isfinite(ms):
                return ms / 1000.0
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        import email.utils  # an HTTP date here is rare: not imported with the client (~4-10 ms)

        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=_UTC)
        seconds = (when - _dt.datetime.now(_UTC)).total_seconds()
    return seconds if math.isfinite(seconds) else None


def _check_deadline(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError("deadline must be a positive number of seconds or None")
    return float(value)


def _credentials(
    token: str | None,
    token_env: str | None,
    schemes: Mapping[str, Scheme] | None,
    values: Mapping[str, object | None] | None,
) -> Credentials:
    """The credential store: ``token`` (and ``token_env``) fill the first
    bearer-like scheme; with no schemes at all (a spec declaring none), one
    bearer token sent with every call."""
    if not schemes:
        return Credentials({"": Scheme("bearer", arg="token", env=token_env)}, {"": token})
    found = dict(values or {})
    first = next((k for k, s in schemes.items() if s.kind in ("bearer", "oauth2")), None)
    if first is None and token:
        raise InvalidCredentialError(
            "this API has no bearer-token scheme for the positional `token`: pass the "
            "credentials by keyword (" + ", ".join(f"`{s.arg}`" for s in schemes.values()) + ")"
        )
    if first is not None:
        if found.get(first) is None and token is not None:
            found[first] = token
        if token_env is not None:
            import dataclasses

            schemes = {**schemes, first: dataclasses.replace(schemes[first], env=token_env)}
    return Credentials(schemes, found)


class _Deadline:
    """An overall time limit for one call (None: none)."""

    __slots__ = ("seconds", "end")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def allows(self, delay: float) -> bool:
        """Whether waiting ``delay`` seconds still leaves time for an attempt."""
        return self.end is None or time.monotonic() + delay < self.end

    def arm(self, request: httpx.Request, redact: frozenset[str]) -> None:
        """Cut the request's phase timeouts to the time left; raise
        :class:`APITimeoutError` if there is none."""
        if self.end is None:
            return
        left = self.end - time.monotonic()
        if left <= 0:
            raise APITimeoutError(
                f"Deadline of {self.seconds:g} s passed: {request.method} "
                f"{redact_url(request.url, redact)}",
                request=request,
            )
        timeouts = dict(request.extensions.get("timeout") or {})
        for phase in ("connect", "read", "write", "pool"):
            given = timeouts.get(phase)
            timeouts[phase] = left if given is None else min(given, left)
        request.extensions = {**request.extensions, "timeout": timeouts}


def _coerce_retries(value: RetryConfig | int | None) -> RetryConfig | None:
    if value is None or isinstance(value, RetryConfig):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("retries must be a RetryConfig, an int or None")
    if value < 0:
        raise ValueError("retries must be >= 0")
    return RetryConfig(max_retries=value) if value else None


Timeout: TypeAlias = "float | httpx.Timeout | None"
"""Seconds for every phase, an ``httpx.Timeout``, or None for the default."""

DEFAULT_TIMEOUT: Final = 60.0
"""Seconds for every phase but connecting when the timeout is None."""
DEFAULT_CONNECT_TIMEOUT: Final = 10.0

# "negotiated": the decoder gets the read response (it picks by Content-Type);
# "stream": the decoder gets the response before its body is read (streaming.py).
ResponseKind: TypeAlias = Literal["json", "text", "bytes", "empty", "negotiated", "stream"]


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every operation method.

    ``retries`` replaces the client's setting when present (``None``/``0``:
    no retries for this call; an int: that many with the default backoff).
    ``timeout`` None means the client's timeout; like httpx's, it bounds
    each phase separately (connecting, each read of the response, each write,
    waiting for a pooled connection), not the call: a server trickling bytes
    can keep one call going much longer. ``deadline`` (seconds) bounds the
    whole call, every retry and wait included: no attempt starts and no wait
    runs past it, each phase's timeout is cut to the time left, and
    :class:`APITimeoutError` is raised once it has passed (None: no deadline,
    overriding the client's). ``server`` picks one of the client's named
    servers; ``base_url`` overrides both (and an operation's own servers: see
    :meth:`ClientConfig.base_url_for`).
    """

    timeout: Timeout
    deadline: float | None
    headers: Mapping[str, str]
    retries: RetryConfig | int | None
    server: str
    base_url: str


def _platform_agent(httpx_version: str) -> str:
    """`python/X.Y httpx/V`: appended to the client's own User-Agent (a `User-Agent` in
    ``headers`` or per-call options replaces the whole value)."""
    return f"python/{sys.version_info[0]}.{sys.version_info[1]} httpx/{httpx_version}"


class ClientConfig:
    """Connection settings plus request building, shared by the sync and
    async cores. The token is kept private and never shown in ``repr``."""

    __slots__ = (
        "credentials",
        "deadline",
        "servers",
        "operation_servers",
        "base_url",
        "pinned",
        "_timeout_arg",
        "_timeout",
        "retries",
        "user_agent",
        "default_headers",
    )

    def __init__(
        self,
        token: str | None = None,
        *,
        token_env: str | None = None,
        servers: Mapping[str, str],
        server: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | Unset = UNSET,
        retries: RetryConfig | int | None = None,
        user_agent: str = "sdkgen-python",
        default_headers: Mapping[str, str] | None = None,
        schemes: Mapping[str, Scheme] | None = None,
        credentials: Mapping[str, object | None] | None = None,
        deadline: float | None = None,
        operation_servers: Mapping[str, str] | None = None,
    ) -> None:
        self.credentials = _credentials(token, token_env, schemes, credentials)
        self.deadline = _check_deadline(deadline)
        self.servers: dict[str, str] = dict(servers)
        # the URL templates of the operations' own servers, each with its variables filled
        self.operation_servers: dict[str, str] = dict(operation_servers or {})
        self.pinned = base_url is not None  # every call goes to `base_url`
        if server is None:
            server = next(iter(self.servers), None)
        elif server not in self.servers:
            raise ValueError(self._unknown_server(server))
        if base_url is None:
            if server is None:
                raise ValueError("no servers are defined: pass base_url")
            base_url = self.servers[server]
            if "://" not in base_url:  # `/api/v2`: relative to wherever the spec was served
                raise ValueError(
                    f"the server {server!r} is {base_url!r}, which names no host: pass base_url"
                )
        self.base_url: str = base_url.rstrip("/")
        self._timeout_arg: Timeout = None if timeout is UNSET else timeout
        self._timeout: httpx.Timeout | None = None
        self.retries: RetryConfig | None = _coerce_retries(retries)
        self.user_agent = user_agent
        self.default_headers: dict[str, str] = {
            key: check_header_value(key, value) for key, value in (default_headers or {}).items()
        }

    @property
    def timeout(self) -> httpx.Timeout:
        """The effective timeout (built on first use: that imports httpx)."""
        if self._timeout is None:
            import httpx

            arg = self._timeout_arg
            self._timeout = (
                httpx.Timeout(DEFAULT_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)
                if arg is None
                else httpx.Timeout(arg)
            )
        return self._timeout

    @property
    def has_token(self) -> bool:
        """Whether any credential is configured."""
        return any(self.credentials.configured(k) for k in self.credentials.schemes)

    def __repr__(self) -> str:
        token = "<set>" if self.has_token else None
        return f"ClientConfig(base_url={self.base_url!r}, token={token})"

    def deadline_for(self, options: RequestOptions | None) -> float | None:
        """Seconds the whole call may take: the per-call one if given, else the client's."""
        if options is not None and "deadline" in options:
            return _check_deadline(options["deadline"])
        return self.deadline

    def base_url_for(self, options: RequestOptions | None, servers: Sequence[str] = ()) -> str:
        """The base URL one call goes to. A ``base_url`` (the call's option, else the
        client's) wins: the caller named where every call goes. Else the named server
        (the call's ``server`` option, else the client's), unless the operation has
        servers of its own (``servers``: their URL templates, as the spec lists them):
        then it goes to the first of those, or to the named server when that is one of
        them. A relative server URL is on the named server's origin."""
        if options and "base_url" in options:
            return options["base_url"].rstrip("/")
        base_url = self.base_url
        if options and "server" in options:
            name = options["server"]
            if name not in self.servers:
                raise ValueError(self._unknown_server(name))
            base_url = self.servers[name].rstrip("/")
        elif self.pinned:
            return base_url
        if not servers:
            return base_url
        own = [_on_origin_of(base_url, self.operation_servers.get(url, url)) for url in servers]
        return base_url if base_url in own else own[0]

    def redirect_secrets(self, options: RequestOptions | None) -> frozenset[str]:
        """Header names (lower case) never sent to another origin: the
        Authorization family, the API-key headers of the schemes, and every
        header the caller configured (``headers=``, per-call headers)."""
        names = set(self.credentials.secret_headers)
        names.update(k.lower() for k in self.default_headers)
        if options:
            names.update(k.lower() for k in options.get("headers", {}))
        return frozenset(names)

    def _unknown_server(self, name: str) -> str:
        valid = ", ".join(repr(s) for s in self.servers) or "none"
        return f"unknown server {name!r}; valid servers: {valid}"

    def retries_for(self, options: RequestOptions | None) -> RetryConfig | None:
        """Effective retry policy: the per-call one if given, else the client's."""
        if options is not None and "retries" in options:
            return _coerce_retries(options["retries"])
        return self.retries

    def build_request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        form: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        accept: str = "application/json",
        client: httpx.Client | httpx.AsyncClient | None = None,
        query: str | None = None,
        body: RequestBody | None = None,
        auth: Applied | None = None,
        target: httpx.URL | None = None,
        base_url: str | None = None,
    ) -> httpx.Request:
        """The ``httpx.Request`` for one call; ``path`` is already formatted.
        ``target`` (the next page a paginated call follows) replaces the base URL,
        ``path`` and the query; a query API key is still set on it. ``base_url``:
        the one the call goes to, when the caller has it (else ``base_url_for``).

        Header precedence, lowest first: defaults (Accept, User-Agent,
        credentials of ``auth``, Content-Type), ``default_headers``,
        ``headers`` (the operation's header parameters; None/UNSET dropped),
        per-call options. With ``client``, its own defaults (e.g.
        Accept-Encoding, cookies) are merged in underneath, via
        ``client.build_request``. A header value that cannot be sent raises
        :class:`InvalidCredentialError` (naming the header, not the value).
        """
        import httpx

        if base_url is None:
            base_url = self.base_url_for(options)
        timeout: Timeout = self.timeout
        # Keys lower-cased so every override replaces case-insensitively.
        hdrs: dict[str, str] = {
            "accept": accept,
            "user-agent": f"{self.user_agent} {_platform_agent(httpx.__version__)}",
        }
        if auth is not None:
            hdrs.update(auth.headers)
        content: bytes | None = None
        if json is not UNSET:
            content = _json.dumps(
                json,
                separators=(",", ":"),
                ensure_ascii=False,
                allow_nan=False,
                default=_json_default,
            ).encode()
            hdrs["content-type"] = "application/json"
        elif form is not None:
            content = urlencode(_flatten(form)).encode("ascii")
            hdrs["content-type"] = "application/x-www-form-urlencoded"
        body_args: dict[str, Any] = {"content": content}
        if body is not None:  # encoded by _wire: its media type, streamed as it came
            hdrs["content-type"] = body.content_type
            if body.length is not None:
                hdrs["content-length"] = str(body.length)
            body_args = body.for_httpx(isinstance(client, httpx.AsyncClient))
        for key, text in self.default_headers.items():
            hdrs[key.lower()] = text
        if headers:
            for key, value in headers.items():
                if value is not None and value is not UNSET:
                    hdrs[key.lower()] = check_header_value(
                        key,
                        ",".join(map(_to_text, value))
                        if isinstance(value, (list, tuple))
                        else _to_text(value),
                    )
        if options:
            if options.get("timeout") is not None:
                timeout = options["timeout"]
            for key, text in options.get("headers", {}).items():
                hdrs[key.lower()] = check_header_value(key, text)
        if auth is not None and auth.cookies:
            cookie = auth.cookie_text()
            hdrs["cookie"] = f"{hdrs['cookie']}; {cookie}" if hdrs.get("cookie") else cookie
        if target is not None:  # the server's URL, its query included
            for name, value in auth.params if auth is not None else ():
                target = target.copy_set_param(name, value)
            url = str(target)
        else:
            url = base_url + path
            # the query, whole in the URL (httpx would replace a URL's query by `params=`):
            # the operation's, already percent-encoded by _wire as the parameter styles
            # say; plain `params`; a query API key
            pieces = [query] if query else []
            flat = _flatten(params) if params else []
            if auth is not None:
                flat += auth.params
            if flat:
                pieces.append(str(httpx.QueryParams(tuple(flat))))
            if pieces:
                url = f"{url}?{'&'.join(pieces)}"
        declared = None
        if (
            body is not None
            and body.parts is not None
            and hdrs.get("content-type") == body.content_type
            and not body.content_type.startswith("multipart/form-data;")
        ):
            # httpx takes the parts' boundary from a multipart/form-data Content-Type only and
            # makes up its own for any other: built as form-data, sent under the declared type
            declared = body.content_type
            hdrs["content-type"] = "multipart/form-data" + declared[declared.index(";") :]
        if client is not None:
            request = client.build_request(
                method,
                url,
                headers=hdrs,
                timeout=timeout,
                **body_args,
            )
        else:
            request = httpx.Request(
                method,
                url,
                headers=hdrs,
                extensions={"timeout": httpx.Timeout(timeout).as_dict()},
                **body_args,
            )
        if declared is not None:
            request.headers["content-type"] = declared
        return request


# --------------------------------------------------------------------------
# Response handling and retry decisions (shared by both cores)

ErrorDecoders: TypeAlias = Mapping[int | str, Callable[[Any], object]]

# A piece of an operation's path: its text (already percent-encoded where needed) or the
# encoder of the next path parameter's value (``path_param``, ``segment_param``, ``_wire.pp``...).
PathPiece: TypeAlias = "str | Callable[[Any], str]"

# A query parameter of an operation: its name (form style, exploded: the default) or
# the encoder of its value (``_wire.q``, ``_wire.qc``: another style or a content type).
QueryParam: TypeAlias = "str | Callable[[Any], str | None]"


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """The static part of an operation's request, declared once per operation in its
    service module and shared by its sync and async methods: the method, the path (its
    pieces when it has parameters), how the success response
    is read (``decode``, ``response_kind``, ``accept``), the error decoders, the security
    requirement (see ``request``), the query parameters (their names, or encoders for
    other styles) and ``params``: the method's arguments holding the values of the path
    parameters, then of the query parameters, read from the call's ``locals()``;
    ``fixed_query``: pairs the spec's path key fixes (``/rest?method=x``), sent first;
    ``servers``: the URL templates of its own servers, when the spec gives it some."""

    method: str
    path: str | tuple[PathPiece, ...]
    decode: Callable[[Any], T]
    response_kind: ResponseKind = "json"
    accept: str | None = None
    errors: ErrorDecoders | None = None
    security: Sequence[Sequence[str]] | None = None
    query: tuple[QueryParam, ...] = ()
    params: tuple[str, ...] = ()
    fixed_query: str | None = None  # pairs every call sends first, percent-encoded
    servers: tuple[str, ...] = ()  # the operation's own servers' URL templates (`base_url_for`)

    def using(self, decode: Callable[[Any], U]) -> Operation[U]:
        """The same operation read by another decoder (an async stream's)."""
        return Operation(
            self.method,
            self.path,
            decode,
            self.response_kind,
            self.accept,
            self.errors,
            self.security,
            self.query,
            self.params,
            self.fixed_query,
            self.servers,
        )

    def target(self, args: Mapping[str, Any]) -> tuple[str, str | None]:
        """The path and the query string (None without any) of one call's arguments."""
        values = [args[name] for name in self.params]
        n = len(values) - len(self.query)
        if isinstance(self.path, str):
            path = self.path
        else:
            given = iter(values[:n])
            path = "".join(p if isinstance(p, str) else p(next(given)) for p in self.path)
        if not self.query:
            return path, self.fixed_query
        from ._wire import join_query, query

        return path, join_query(
            self.fixed_query,
            *(query(p, v) if isinstance(p, str) else p(v) for p, v in zip(self.query, values[n:], strict=True)),
        )


class _Service(Protocol):
    """What a stream twin needs of the object it is read from: the client core."""

    _core: Any


S = TypeVar("S", bound=_Service)


class _Rerouted:
    """Stands in for a service object while a twin runs its plain method: the method's
    ``self._core.call(<its constant>, ...)`` reaches :class:`_RerouteCore`, which sends
    the twin's own ``Operation`` instead (the same request, its response read as a
    stream). Nothing else of ``self`` is used by an operation's method."""

    __slots__ = ("_core",)

    def __init__(self, core: Any, op: Operation[Any]) -> None:
        self._core = _RerouteCore(core, op)


class _RerouteCore:
    __slots__ = ("_target", "_op")

    def __init__(self, target: Any, op: Operation[Any]) -> None:
        self._target = target
        self._op = op

    def call(self, op: Operation[Any], args: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._target.call(self._op, args, **kwargs)


class _Twin:
    """What both kinds of twin share: the plain method, the twin's ``Operation`` and its
    attribute name; bound to a service object, the plain method run with a stand-in whose
    core sends the twin's constant."""

    def __init__(self, method: Callable[..., object], op: Operation[Any]) -> None:
        self._method = method
        self._op = op
        self._name = f"{getattr(method, '__name__', 'method')}_stream"
        self._doc = (  # the bound twin's, made once here rather than at each attribute access
            f"``{getattr(method, '__name__', 'the method')}`` with the same arguments, its success "
            "response returned as a stream (use it in a ``with`` block)."
        )

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def _bind(self, obj: _Service, *, awaited: bool = False) -> Callable[..., object]:
        method, stand_in = self._method, _Rerouted(obj._core, self._op)

        def call(*args: Any, **kwargs: Any) -> object:
            return method(stand_in, *args, **kwargs)

        bound: Callable[..., object] = call
        if awaited:  # a coroutine function, as the `async def` it stands beside

            async def acall(*args: Any, **kwargs: Any) -> object:
                return await cast("Awaitable[object]", call(*args, **kwargs))

            bound = acall
        bound.__name__ = bound.__qualname__ = self._name
        bound.__doc__ = self._doc
        return bound


class StreamTwin(_Twin, Generic[S, A, T]):
    """``<name>_stream``, declared in a service class as
    ``<name>_stream = _rt.StreamTwin(<name>, _opN)``: the method ``<name>`` with the
    same arguments (type checkers see its parameters through ``A``), whose request is
    sent with the twin's ``Operation`` ``_opN``: the same method, path, query and
    security, the success response read as a stream. Its body, headers and arguments
    are built by ``<name>`` itself, so the two cannot drift apart."""

    def __init__(self, method: Callable[Concatenate[S, A], object], op: Operation[T]) -> None:
        super().__init__(method, op)

    @overload
    def __get__(self, obj: None, owner: type[Any] | None = None) -> StreamTwin[S, A, T]: ...

    @overload
    def __get__(self, obj: S, owner: type[Any] | None = None) -> Callable[A, T]: ...

    def __get__(self, obj: S | None, owner: type[Any] | None = None) -> StreamTwin[S, A, T] | Callable[A, T]:
        return self if obj is None else cast("Callable[A, T]", self._bind(obj))


class AsyncStreamTwin(_Twin, Generic[S, A, T]):
    """Async counterpart of :class:`StreamTwin`: the twin of an ``async def`` method,
    awaited like it."""

    def __init__(self, method: Callable[Concatenate[S, A], Coroutine[Any, Any, object]], op: Operation[T]) -> None:
        super().__init__(method, op)

    @overload
    def __get__(self, obj: None, owner: type[Any] | None = None) -> AsyncStreamTwin[S, A, T]: ...

    @overload
    def __get__(self, obj: S, owner: type[Any] | None = None) -> Callable[A, Coroutine[Any, Any, T]]: ...

    def __get__(
        self, obj: S | None, owner: type[Any] | None = None
    ) -> AsyncStreamTwin[S, A, T] | Callable[A, Coroutine[Any, Any, T]]:
        return self if obj is None else cast("Callable[A, Coroutine[Any, Any, T]]", self._bind(obj, awaited=True))


# What a decoder (or json.loads) may raise on data that does not fit the
# documented type; RecursionError: nesting deeper than Python's stack.
_DECODE_ERRORS = (
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)

# RFC 9110 section 9.2.2: sending these twice has the effect of sending them once.
# QUERY (OpenAPI 3.2's `query`) is safe and idempotent, as GET
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "QUERY"})

_ACCEPT: dict[str, str] = {
    "json": "application/json",
    "empty": "application/json",
    "text": "*/*",
    "bytes": "*/*",
    "negotiated": "*/*",
    "stream": "*/*",
}


def _response_retry_delay(
    response: httpx.Response, retry: RetryConfig | None, attempt: int, method: str
) -> float | None:
    """Seconds to wait before retrying after this response, or None.

    A non-idempotent request is resent only on 429, or on 503 with a valid
    ``Retry-After`` (the server is not handling requests), unless
    ``retry_non_idempotent`` is set: a 502/504 may come after the upstream
    acted.
    """
    if (
        retry is None
        or attempt >= retry.max_retries
        or response.status_code not in retry.retry_statuses
    ):
        return None
    if (
        method not in _IDEMPOTENT_METHODS
        and not retry.retry_non_idempotent
        and response.status_code != 429
        and not (
            response.status_code == 503
            and _retry_after(response.headers, retry.max_retry_after) is not None
        )
    ):
        return None
    return retry.delay(attempt, response.headers)


def _exception_retry_delay(
    exc: httpx.RequestError, retry: RetryConfig | None, attempt: int, method: str
) -> float | None:
    """Seconds to wait before retrying after a transport failure, or None.

    A non-idempotent request is resent only when it never left (the
    connection could not be made), unless ``retry_non_idempotent`` is set.
    """
    import httpx

    retryable = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
    if (
        retry is None
        or not retry.retry_connection_errors
        or attempt >= retry.max_retries
        or not isinstance(exc, retryable)
    ):
        return None
    # Failures that prove the request never reached the server (safe to resend).
    not_sent = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
    if (
        method not in _IDEMPOTENT_METHODS
        and not retry.retry_non_idempotent
        and not isinstance(exc, not_sent)
    ):
        return None
    return retry.delay(attempt)


def _transport_error(
    exc: httpx.RequestError, request: httpx.Request, redact: frozenset[str] = frozenset()
) -> APIConnectionError:
    """The package's error for an httpx failure that left no usable response.
    The message names the request (query secrets masked) and the failure."""
    import httpx

    where = f"{request.method} {redact_url(request.url, redact)}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {where}", request=request)
    if isinstance(exc, httpx.DecodingError):
        what = "Could not decode the response content (Content-Encoding)"
    elif isinstance(exc, httpx.TooManyRedirects):
        what = "Too many redirects"
    else:
        what = "Connection error"
    detail = str(exc)
    if redact or "\n" in detail or "header" in detail.lower():
        detail = type(exc).__name__  # httpx may quote the URL or a header value
    return APIConnectionError(f"{what}: {where}: {detail}", request=request)


def _parse_body(response: httpx.Response) -> tuple[object, bool]:
    """(parsed JSON, True), or (text or None, False) if not JSON."""
    content = response.content
    if not content:
        return None, False
    try:
        return _json.loads(content), True
    except (ValueError, RecursionError):
        return response.text, False


def _error_decoder(
    errors: ErrorDecoders | None, status: int
) -> Callable[[Any], object] | None:
    if not errors:
        return None
    for key in (status, str(status), f"{status // 100}XX", f"{status // 100}xx"):
        decoder = errors.get(key)
        if decoder is not None:
            return decoder
    return errors.get("default")


def _api_error(
    response: httpx.Response, errors: ErrorDecoders | None, redact: frozenset[str] = frozenset()
) -> APIError:
    body, is_json = _parse_body(response)
    decoder = _error_decoder(errors, response.status_code)
    if decoder is not None and is_json:
        try:
            body = decoder(body)
        except _DECODE_ERRORS:
            pass  # keep the raw JSON: the server's error shape changed
    return error_class_for(response.status_code).from_response(
        response, body, secret_params=redact
    )


def _finish(
    response: httpx.Response,
    decode: Callable[[Any], T],
    kind: ResponseKind,
    errors: ErrorDecoders | None,
    redact: frozenset[str] = frozenset(),
) -> T:
    """Decode a final 2xx response or raise the error for its status.

    Decoders run unguarded (no per-field checks); whatever they raise on data
    that does not fit becomes one ResponseValidationError here, located by
    :func:`_locate` on this slow path only.
    """
    if not response.is_success:
        raise _api_error(response, errors, redact)
    _record_response(response)  # for `with_raw_response` calls
    if kind == "negotiated" or kind == "stream":
        return decode(response)
    if kind != "json":
        try:
            if kind == "text":
                return decode(response.text)
            if kind == "bytes":
                return decode(response.content)
            return decode(None)
        except _DECODE_ERRORS as exc:
            raise _invalid(response, response.text, _describe(exc), None, redact) from exc
    content = response.content
    try:
        data = _json.loads(content) if content else None
    except _DECODE_ERRORS as exc:
        problem = f"the body is not valid JSON ({_describe(exc)})"
        raise _invalid(response, response.text, problem, None, redact) from exc
    try:
        return decode(data)
    except _DECODE_ERRORS as exc:
        pointer, missing = _locate(decode, data)
        if not content:
            problem = "the body is empty"
        elif pointer is None:
            problem = _describe(exc)
        else:
            where = f"at {pointer}" if pointer else "at the root"
            problem = (
                f"missing required value {where}"
                if missing
                else f"unexpected value {where} ({_describe(exc)})"
            )
        raise _invalid(response, data, problem, pointer, redact) from exc


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _invalid(
    response: httpx.Response,
    body: object,
    problem: str,
    pointer: str | None,
    redact: frozenset[str] = frozenset(),
) -> ResponseValidationError:
    """The error for a 2xx body that does not decode into the documented type."""
    error = ResponseValidationError.from_response(
        response,
        body,
        detail=f"response does not match the documented type: {problem}",
        secret_params=redact,
    )
    error.pointer = pointer
    return error


# --------------------------------------------------------------------------
# Locating a decoding failure (slow path: runs only after a decoder raised)


class _Trail:
    """The JSON pointer of the last value a decoder read."""

    __slots__ = ("pointer", "missing")

    def __init__(self) -> None:
        self.pointer = ""
        self.missing = False

    def mark(self, pointer: str, missing: bool = False) -> None:
        self.pointer = pointer
        self.missing = missing


def _token(key: object) -> str:
    """One RFC 6901 reference token."""
    return str(key).replace("~", "~0").replace("/", "~1")


class _TracedDict(dict[str, Any]):
    """A JSON object that marks every member a decoder reads in its trail.

    A ``dict`` subclass, so decoders (``isinstance(v, dict)``) treat it as the
    object it copies."""

    __slots__ = ("_at", "_trail")

    def __init__(self, at: str, trail: _Trail) -> None:
        super().__init__()
        self._at = at
        self._trail = trail

    def __getitem__(self, key: str) -> Any:
        at = f"{self._at}/{_token(key)}"
        try:
            value = dict.__getitem__(self, key)
        except KeyError:
            self._trail.mark(at, missing=True)
            raise
        self._trail.mark(at)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return self[key]
        return default

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        for key, value in dict.items(self):
            self._trail.mark(f"{self._at}/{_token(key)}")
            yield key, value

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        for _key, value in self.items():
            yield value


class _TracedList(list[Any]):
    """A JSON array that marks every item a decoder reads in its trail."""

    __slots__ = ("_at", "_trail")

    def __init__(self, at: str, trail: _Trail) -> None:
        super().__init__()
        self._at = at
        self._trail = trail

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int):
            return list.__getitem__(self, index)
        at = f"{self._at}/{index % len(self) if self and index < 0 else index}"
        try:
            value = list.__getitem__(self, index)
        except IndexError:
            self._trail.mark(at, missing=True)
            raise
        self._trail.mark(at)
        return value

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self)):
            self._trail.mark(f"{self._at}/{index}")
            yield list.__getitem__(self, index)


def _traced(value: Any, at: str, trail: _Trail) -> Any:
    """A copy of parsed JSON whose objects and arrays record what is read."""
    if isinstance(value, dict):
        obj = _TracedDict(at, trail)
        for key, item in value.items():
            dict.__setitem__(obj, key, _traced(item, f"{at}/{_token(key)}", trail))
        return obj
    if isinstance(value, list):
        arr = _TracedList(at, trail)
        for index, item in enumerate(value):
            list.append(arr, _traced(item, f"{at}/{index}", trail))
        return arr
    return value


def _locate(decode: Callable[[Any], object], data: object) -> tuple[str | None, bool]:
    """Where ``decode`` fails on ``data``: (JSON pointer of the last value it
    read, whether that member was missing). The pointer is "" for the body as
    a whole, None when the failure cannot be located (it does not recur on
    the traced copy, or the data is too deep to copy)."""
    trail = _Trail()
    try:
        traced = _traced(data, "", trail)
    except RecursionError:
        return None, False
    try:
        decode(traced)
    except _DECODE_ERRORS:
        return trail.pointer, trail.missing
    except Exception:  # a diagnostic pass must never replace the real error
        return None, False
    return None, False


# --------------------------------------------------------------------------
# Client cores

# Looked up at call time so tests (and callers) can patch them.
_sleep: Callable[[float], None] = time.sleep


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # only async callers pay for importing it (~15 ms)

    await asyncio.sleep(seconds)


_async_sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep

_HC = TypeVar("_HC", "httpx.Client", "httpx.AsyncClient")
_S = TypeVar("_S", bound="SyncClientCore")
_A = TypeVar("_A", bound="AsyncClientCore")


class _CoreBase(Generic[_HC]):
    __slots__ = ("config", "_client", "_owns_client")

    def __init__(
        self,
        token: str | None = None,
        *,
        token_env: str | None = None,
        servers: Mapping[str, str],
        server: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | Unset = UNSET,
        retries: RetryConfig | int | None = None,
        user_agent: str = "sdkgen-python",
        default_headers: Mapping[str, str] | None = None,
        http_client: _HC | None = None,
        schemes: Mapping[str, Scheme] | None = None,
        credentials: Mapping[str, object | None] | None = None,
        deadline: float | None = None,
        operation_servers: Mapping[str, str] | None = None,
    ) -> None:
        if timeout is UNSET and http_client is not None:
            timeout = http_client.timeout  # respect the caller's client
        self.config = ClientConfig(
            token,
            token_env=token_env,
            servers=servers,
            server=server,
            base_url=base_url,
            timeout=timeout,
            retries=retries,
            user_agent=user_agent,
            default_headers=default_headers,
            schemes=schemes,
            credentials=credentials,
            deadline=deadline,
            operation_servers=operation_servers,
        )
        self._owns_client = http_client is None
        # Made on first use: building an httpx client loads the transport stack and the
        # CA bundle (tens of ms), which a client that is only constructed never needs.
        self._client: _HC | None = http_client

    def _new_client(self, timeout: httpx.Timeout) -> _HC:
        raise NotImplementedError

    @property
    def http_client(self) -> _HC:
        """The underlying httpx client (created now if this core owns it and has none yet)."""
        if self._client is None:
            self._client = self._new_client(self.config.timeout)
        return self._client

    def __repr__(self) -> str:
        token = "<set>" if self.config.has_token else None
        return (
            f"{type(self).__name__}(base_url={self.config.base_url!r}, "
            f"token={token})"
        )

    def _uses(self, security: Sequence[Sequence[str]] | None) -> list[tuple[str, tuple[str, ...]]]:
        """The schemes one call sends. ``security`` lists the operation's
        alternatives (each ``"scheme scope ..."`` strings, all at once), ``()``
        for none; None (a spec that declares no schemes): the token if set."""
        creds = self.config.credentials
        if security is None:
            first = next(iter(creds.schemes), None)
            return [(first, ())] if first is not None and creds.configured(first) else []
        return creds.select(security)

    def _retries(
        self, options: RequestOptions | None, body: RequestBody | None
    ) -> RetryConfig | None:
        if body is not None and not body.replayable:
            return None  # a streamed body is read once: it cannot be resent
        return self.config.retries_for(options)


def _on_origin_of(base_url: str, url: str) -> str:
    """A server URL as calls go to it (no trailing ``/``): a relative one (``/``,
    ``/api``, empty; or ``//host``) resolved on ``base_url``'s origin (or scheme)."""
    url = url.rstrip("/")
    if "://" in url:
        return url
    scheme, sep, rest = base_url.partition("://")
    if not sep:
        return url  # nothing to resolve it on: sent as given, as a relative base URL is
    if url.startswith("//"):
        return f"{scheme}:{url}"
    origin = f"{scheme}://{rest.split('/', 1)[0]}"
    return origin + ("/" + url.lstrip("/") if url else "")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port if url.port is not None else {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, port


def _page_target(base_url: str) -> httpx.URL | None:
    """The next page's URL when this call is one a pagination iterator makes; raises
    PaginationError, before anything is sent, when it is on another origin than the
    configured server (its credentials go nowhere else)."""
    target = _next_target()
    if target is None:
        return None
    import httpx

    server = httpx.URL(base_url)
    if _origin(target) != _origin(server):
        found = "{}://{}:{}".format(*_origin(target))
        raise PaginationError(
            f"the next page is on {found}, not on the configured server "
            + "({}://{}:{})".format(*_origin(server))
            + ": not followed (credentials are only sent to the configured server)"
        )
    return target


def _redirect_request(
    client: httpx.Client | httpx.AsyncClient,
    request: httpx.Request,
    response: httpx.Response,
    secret_headers: frozenset[str],
    secret_params: frozenset[str],
) -> tuple[httpx.Request, bool]:
    """The request that follows a redirect, and whether it stays on the same
    origin. Crossing to another scheme, host or port, or from https to http,
    drops every credential: the Authorization family, API-key headers, the
    caller's configured headers, cookies set by the call and query API keys
    (the client's own cookie jar still applies, scoped by domain). 307/308
    keep the method and body (a streamed body is sent again from its stream,
    as httpx does); 303, and 301/302 after a POST, become a GET without one."""
    import httpx

    url = request.url.join(response.headers["location"])
    method = request.method
    status = response.status_code
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method = "GET"
    keep_body = method == request.method
    same = _origin(url) == _origin(request.url) and not (
        request.url.scheme == "https" and url.scheme != "https"
    )
    dropped = {"host"} if keep_body else {"host", "content-length", "transfer-encoding", "content-type"}
    headers = [
        (k, v)
        for k, v in request.headers.multi_items()
        if k.lower() not in dropped and (same or k.lower() not in secret_headers)
    ]
    if not same:
        for name in secret_params:
            url = url.copy_remove_param(name)
    # the HTTP client's defaults and its cookie jar (scoped by domain) for the new URL
    merged = client.build_request(method, url, headers=headers).headers
    if not same:  # the HTTP client's own default headers included
        for name in secret_headers - {"cookie"}:
            merged.pop(name, None)
    follow = httpx.Request(
        method,
        url,
        headers=merged,
        stream=request.stream if keep_body else None,
        extensions=dict(request.extensions),
    )
    return follow, same


class SyncClientCore(_CoreBase["httpx.Client"]):
    """Blocking transport: owns its ``httpx.Client`` unless one was given."""

    __slots__ = ()

    def _new_client(self, timeout: httpx.Timeout) -> httpx.Client:
        import httpx

        return httpx.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        """Close the HTTP client if this core created it."""
        if self._owns_client and self._client is not None:
            self._client.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(
        self,
        request: httpx.Request,
        auth: Applied | None,
        secrets: frozenset[str],
        stream: bool = False,
    ) -> httpx.Response:
        """Send, following redirects here (when the HTTP client follows them)
        so that no credential crosses to another origin."""
        import httpx

        client = self.http_client
        hook: Any = auth.auth if auth is not None and auth.auth is not None else httpx.USE_CLIENT_DEFAULT
        hops = 0
        while True:
            response = client.send(request, auth=hook, follow_redirects=False, stream=stream)
            if not (client.follow_redirects and response.has_redirect_location):
                return response
            response.close()
            if hops >= client.max_redirects:
                raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)
            hops += 1
            request, same = _redirect_request(
                client, request, response, secrets, self.config.credentials.secret_params
            )
            if not same:
                hook = None

    def request(
        self,
        method: str,
        path: str,
        *,
        decode: Callable[[Any], T],
        response_kind: ResponseKind = "json",
        errors: ErrorDecoders | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        form: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        query: str | None = None,
        body: RequestBody | None = None,
        accept: str | None = None,
        security: Sequence[Sequence[str]] | None = None,
        servers: Sequence[str] = (),
    ) -> T:
        """Send one operation call (with retries) and decode its result.

        ``accept`` replaces the Accept header of ``response_kind``; with
        ``response_kind="stream"`` the body is left unread for ``decode``.
        Raises :class:`MissingCredentialsError` before sending when
        ``security`` needs credentials the client lacks. An OAuth2
        client-credentials token the server refuses (401) is fetched again
        once and the call resent (unless its body was a stream)."""
        import httpx

        config = self.config
        uses = self._uses(security)
        retry = self._retries(options, body)
        deadline = _Deadline(config.deadline_for(options))
        redact = config.credentials.secret_params
        secrets = config.redirect_secrets(options)
        base_url = config.base_url_for(options, servers)
        target = _page_target(base_url)
        auth = config.credentials.apply(uses, self.http_client, base_url) if uses else None
        stream = response_kind == "stream"

        def build() -> httpx.Request:
            return config.build_request(
                method, path, params=params, json=json, form=form, headers=headers,
                options=options, accept=accept or _ACCEPT[response_kind],
                client=self.http_client, query=query, body=body, auth=auth,
                target=target, base_url=base_url,
            )

        request = build()
        attempt = 0
        refreshed = body is not None and not body.replayable
        while True:
            deadline.arm(request, redact)
            try:
                response = self._send(request, auth, secrets, stream)
                if stream and not response.is_success:
                    response.read()  # the error body, for the error raised below
            except httpx.RequestError as exc:
                delay = _exception_retry_delay(exc, retry, attempt, request.method)
                if delay is None or not deadline.allows(delay):
                    raise _transport_error(exc, request, redact) from exc
            else:
                if response.status_code == 401 and auth is not None and auth.oauth and not refreshed:
                    refreshed = True
                    response.close()
                    for cache, key, token in auth.oauth:
                        cache.invalidate(key, token)
                    auth = config.credentials.apply(uses, self.http_client, base_url)
                    request = build()
                    continue
                delay = _response_retry_delay(response, retry, attempt, request.method)
                if delay is None or not deadline.allows(delay):
                    return _finish(response, decode, response_kind, errors, redact)
                response.close()
            attempt += 1
            _sleep(delay)

    def call(
        self,
        op: Operation[T],
        args: Mapping[str, Any],
        *,
        json: Any = UNSET,
        body: RequestBody | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> T:
        """One call of the operation ``op`` (see ``request``) with the arguments ``args``
        of its method (``locals()``: ``op.params`` and ``request_options``); the
        method passes the body and the header parameters, encoded."""
        path, query = op.target(args)
        return self.request(
            op.method,
            path,
            decode=op.decode,
            response_kind=op.response_kind,
            errors=op.errors,
            json=json,
            headers=headers,
            options=args.get("request_options"),
            query=query,
            body=body,
            accept=op.accept,
            security=op.security,
            servers=op.servers,
        )


class AsyncClientCore(_CoreBase["httpx.AsyncClient"]):
    """Async transport: owns its ``httpx.AsyncClient`` unless one was given."""

    __slots__ = ()

    def _new_client(self, timeout: httpx.Timeout) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    async def aclose(self) -> None:
        """Close the HTTP client if this core created it."""
        if self._owns_client and self._client is not None:
            await self._client.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _send(
        self,
        request: httpx.Request,
        auth: Applied | None,
        secrets: frozenset[str],
        stream: bool = False,
    ) -> httpx.Response:
        """Async counterpart of ``SyncClientCore._send``."""
        import httpx

        client = self.http_client
        hook: Any = auth.auth if auth is not None and auth.auth is not None else httpx.USE_CLIENT_DEFAULT
        hops = 0
        while True:
            response = await client.send(
                request, auth=hook, follow_redirects=False, stream=stream
            )
            if not (client.follow_redirects and response.has_redirect_location):
                return response
            await response.aclose()
            if hops >= client.max_redirects:
                raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)
            hops += 1
            request, same = _redirect_request(
                client, request, response, secrets, self.config.credentials.secret_params
            )
            if not same:
                hook = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        decode: Callable[[Any], T],
        response_kind: ResponseKind = "json",
        errors: ErrorDecoders | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        form: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        query: str | None = None,
        body: RequestBody | None = None,
        accept: str | None = None,
        security: Sequence[Sequence[str]] | None = None,
        servers: Sequence[str] = (),
    ) -> T:
        """Send one operation call (with retries) and decode its result.

        ``accept`` replaces the Accept header of ``response_kind``; with
        ``response_kind="stream"`` the body is left unread for ``decode``.
        Raises :class:`MissingCredentialsError` before sending when
        ``security`` needs credentials the client lacks. An OAuth2
        client-credentials token the server refuses (401) is fetched again
        once and the call resent (unless its body was a stream)."""
        import httpx

        config = self.config
        uses = self._uses(security)
        retry = self._retries(options, body)
        deadline = _Deadline(config.deadline_for(options))
        redact = config.credentials.secret_params
        secrets = config.redirect_secrets(options)
        base_url = config.base_url_for(options, servers)
        target = _page_target(base_url)
        auth = await config.credentials.aapply(uses, self.http_client, base_url) if uses else None
        stream = response_kind == "stream"

        def build() -> httpx.Request:
            return config.build_request(
                method, path, params=params, json=json, form=form, headers=headers,
                options=options, accept=accept or _ACCEPT[response_kind],
                client=self.http_client, query=query, body=body, auth=auth,
                target=target, base_url=base_url,
            )

        request = build()
        attempt = 0
        refreshed = body is not None and not body.replayable
        while True:
            deadline.arm(request, redact)
            try:
                response = await self._send(request, auth, secrets, stream)
                if stream and not response.is_success:
                    await response.aread()  # the error body, for the error raised below
            except httpx.RequestError as exc:
                delay = _exception_retry_delay(exc, retry, attempt, request.method)
                if delay is None or not deadline.allows(delay):
                    raise _transport_error(exc, request, redact) from exc
            else:
                if response.status_code == 401 and auth is not None and auth.oauth and not refreshed:
                    refreshed = True
                    await response.aclose()
                    for cache, key, token in auth.oauth:
                        cache.invalidate(key, token)
                    auth = await config.credentials.aapply(uses, self.http_client, base_url)
                    request = build()
                    continue
                delay = _response_retry_delay(response, retry, attempt, request.method)
                if delay is None or not deadline.allows(delay):
                    return _finish(response, decode, response_kind, errors, redact)
                await response.aclose()
            attempt += 1
            await _async_sleep(delay)

    async def call(
        self,
        op: Operation[T],
        args: Mapping[str, Any],
        *,
        json: Any = UNSET,
        body: RequestBody | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> T:
        """One call of the operation ``op`` (see ``request``) with the arguments ``args``
        of its method (``locals()``: ``op.params`` and ``request_options``); the
        method passes the body and the header parameters, encoded."""
        path, query = op.target(args)
        return await self.request(
            op.method,
            path,
            decode=op.decode,
            response_kind=op.response_kind,
            errors=op.errors,
            json=json,
            headers=headers,
            options=args.get("request_options"),
            query=query,
            body=body,
            accept=op.accept,
            security=op.security,
            servers=op.servers,
        )


# --------------------------------------------------------------------------
# Pagination


def iterate_pages(
    fetch: Callable[[int], P],
    items: Callable[[P], Sequence[T]],
    max_page: Callable[[P], int],
    start: int = 1,
) -> Iterator[T]:
    """Yield every item of a page/limit-paginated listing, fetching pages
    lazily until ``max_page`` is reached or a page comes back empty."""
    return iterate(fetch, items=items, advance=lambda n, r, b: n + 1 if n < max_page(r) else None, start=start)


def aiterate_pages(
    fetch: Callable[[int], Awaitable[P]],
    items: Callable[[P], Sequence[T]],
    max_page: Callable[[P], int],
    start: int = 1,
) -> AsyncIterator[T]:
    """Async counterpart of :func:`iterate_pages`."""
    return aiterate(fetch, items=items, advance=lambda n, r, b: n + 1 if n < max_page(r) else None, start=start)
