"""Tests of the hand-written runtime copied into every generated package."""

from __future__ import annotations

import ast
import asyncio
import copy
import dataclasses
import datetime as dt
import email.utils
import enum
import json
import pickle
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

SERVERS = {
    "production": "https://api.example.com",
    "sandbox": "https://sandbox.example.com/v1/",
}
TOKEN = "polar_oat_SECRET123"
UTC = dt.timezone.utc  # noqa: UP017 (`dt.UTC` is 3.11+; tests/test_other_pythons.py runs this file on 3.10)

Handler = Callable[[httpx.Request], httpx.Response]


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


class Recorder:
    """MockTransport handler replaying canned responses (or raising) in order
    and remembering every request it saw."""

    def __init__(self, *replies: httpx.Response | Exception) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        return reply

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def sync_core(rt: ModuleType, handler: Handler, **kwargs: Any) -> Any:
    kwargs.setdefault("servers", SERVERS)
    kwargs.setdefault("user_agent", "test-sdk/1.0")
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return rt.SyncClientCore(kwargs.pop("token", TOKEN), http_client=client, **kwargs)


def async_core(rt: ModuleType, rec: Recorder, **kwargs: Any) -> Any:
    kwargs.setdefault("servers", SERVERS)
    client = httpx.AsyncClient(transport=httpx.MockTransport(rec.async_handler))
    return rt.AsyncClientCore(kwargs.pop("token", TOKEN), http_client=client, **kwargs)


def identity(value: Any) -> Any:
    return value


# ---------------------------------------------------------------- UNSET


def test_unset_semantics(rt: ModuleType) -> None:
    assert not rt.UNSET
    assert bool(rt.UNSET) is False
    assert repr(rt.UNSET) == "UNSET" and str(rt.UNSET) == "UNSET"
    assert rt.UNSET is rt.Unset.UNSET and list(rt.Unset) == [rt.UNSET]
    assert rt.UNSET is not None and rt.UNSET != None  # noqa: E711
    assert copy.deepcopy(rt.UNSET) is rt.UNSET
    assert pickle.loads(pickle.dumps(rt.UNSET)) is rt.UNSET


# ---------------------------------------------------------------- open enums


@pytest.fixture(scope="module")
def enums(rt: ModuleType) -> tuple[Any, Any]:
    class TaxIDFormat(rt.OpenStrEnum):  # type: ignore[name-defined,misc]
        EU_VAT = "eu_vat"
        US_EIN = "us_ein"

    class Level(rt.OpenIntEnum):  # type: ignore[name-defined,misc]
        LOW = 1
        HIGH = 2

    # make them findable by pickle, as module-level classes would be
    for cls in (TaxIDFormat, Level):
        cls.__qualname__ = cls.__name__
        cls.__module__ = __name__
        globals()[cls.__name__] = cls
    return TaxIDFormat, Level


def test_open_str_enum_known_members(enums: tuple[Any, Any]) -> None:
    TaxIDFormat, _ = enums
    member = TaxIDFormat("eu_vat")
    assert member is TaxIDFormat.EU_VAT
    assert member.is_known
    assert member == "eu_vat" and isinstance(member, str)
    assert str(member) == "eu_vat" and f"{member}" == "eu_vat"
    assert f"{member:>8}" == "  eu_vat"
    assert json.dumps(member) == '"eu_vat"'
    assert list(TaxIDFormat) == [TaxIDFormat.EU_VAT, TaxIDFormat.US_EIN]


def test_open_str_enum_unknown_value(enums: tuple[Any, Any]) -> None:
    TaxIDFormat, _ = enums
    member = TaxIDFormat("not_known_yet")
    assert isinstance(member, TaxIDFormat)
    assert member.value == "not_known_yet" and type(member.value) is str
    assert member == "not_known_yet" and hash(member) == hash("not_known_yet")
    assert not member.is_known
    assert member.name == "UNKNOWN"
    assert repr(member) == "<TaxIDFormat.UNKNOWN: 'not_known_yet'>"
    assert str(member) == "not_known_yet" and f"{member}" == "not_known_yet"
    assert json.dumps({"f": member}) == '{"f": "not_known_yet"}'
    # cached: the same object every time, also through copy and pickle
    assert TaxIDFormat("not_known_yet") is member
    assert copy.deepcopy(member) is member
    assert pickle.loads(pickle.dumps(member)) is member
    # not added to the declared members
    assert list(TaxIDFormat) == [TaxIDFormat.EU_VAT, TaxIDFormat.US_EIN]
    assert "UNKNOWN" not in TaxIDFormat.__members__


def test_open_enum_wrong_type_raises(enums: tuple[Any, Any]) -> None:
    TaxIDFormat, Level = enums
    for bad in (1, None, 1.5, ["eu_vat"]):
        with pytest.raises(ValueError):
            TaxIDFormat(bad)
    for bad in ("1", None, 1.5):
        with pytest.raises(ValueError):
            Level(bad)


def test_open_int_enum(enums: tuple[Any, Any]) -> None:
    _, Level = enums
    assert Level(2) is Level.HIGH and Level.HIGH.is_known
    assert str(Level.HIGH) == "2" and f"{Level.HIGH:03d}" == "002"
    member = Level(99)
    assert isinstance(member, Level) and member == 99 and member.value == 99
    assert not member.is_known and Level(99) is member
    assert repr(member) == "<Level.UNKNOWN: 99>"
    assert json.dumps([member, Level.LOW]) == "[99, 1]"


def test_open_enum_unknown_cache_is_thread_safe_and_bounded(rt: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    class Color(rt.OpenStrEnum):  # type: ignore[name-defined,misc]
        RED = "red"

    results: list[Any] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(Color("teal"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r is results[0] for r in results)

    monkeypatch.setattr(rt, "_UNKNOWN_LIMIT", 3)
    for i in range(10):
        assert Color(f"c{i}").value == f"c{i}"
    assert len(rt._UNKNOWN_MEMBERS[Color]) <= 3
    assert Color("c9") == Color("c9")  # uncached past the bound, still equal


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-07T05:31:56Z", dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07t05:31:56z", dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07 05:31:56", dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2023-11-07T05:31", dt.datetime(2023, 11, 7, 5, 31, tzinfo=UTC)),
        ("2023-11-07", dt.datetime(2023, 11, 7, tzinfo=UTC)),
        ("2023-11-07T05:31:56-00:00", dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        (
            "2023-11-07T05:31:56+05:30",
            dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=dt.timezone(dt.timedelta(hours=5.5))),
        ),
        (
            "2023-11-07T05:31:56-0800",
            dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=dt.timezone(dt.timedelta(hours=-8))),
        ),
        (
            "2023-11-07T05:31:56.5+02",
            dt.datetime(2023, 11, 7, 5, 31, 56, 500000, dt.timezone(dt.timedelta(hours=2))),
        ),
    ],
)
def test_parse_datetime(rt: ModuleType, text: str, expected: dt.datetime) -> None:
    parsed = rt.parse_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("digits", range(1, 10))
def test_parse_datetime_fraction_digits(rt: ModuleType, digits: int) -> None:
    frac = "123456789"[:digits]
    for suffix in ("Z", "+00:00", ""):
        parsed = rt.parse_datetime(f"2023-11-07T05:31:56.{frac}{suffix}")
        assert parsed.microsecond == int(frac[:6].ljust(6, "0"))
        assert parsed.tzinfo is not None and parsed.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "yesterday",
        "2023-11-07T",
        "2023-13-07T05:31:56Z",
        "2023-11-31T05:31:56Z",
        "2023-11-07T25:31:56Z",
        "2023-11-07T05:31:56.Z",
        "2023-11-07T05:31:56ZZ",
        "2023-11-07T05:31:56+25:00",
        "2023-W45-2T05:31:56Z",
        "20231107T053156Z",
        "2023-11-07T05:31:56.123456789X",
        "２０２３-11-07T05:31:56Z",
    ],
)
def test_parse_datetime_garbage(rt: ModuleType, garbage: str) -> None:
    with pytest.raises(ValueError):
        rt.parse_datetime(garbage)


def test_parse_datetime_non_string(rt: ModuleType) -> None:
    with pytest.raises(ValueError):
        rt.parse_datetime(1699335116)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC), "2023-11-07T05:31:56Z"),
        (dt.datetime(2023, 11, 7, 5, 31, 56), "2023-11-07T05:31:56Z"),
        (
            dt.datetime(2023, 11, 7, 5, 31, 56, 120000, tzinfo=UTC),
            "2023-11-07T05:31:56.120Z",
        ),
        (
            dt.datetime(2023, 11, 7, 5, 31, 56, 123456, tzinfo=UTC),
            "2023-11-07T05:31:56.123456Z",
        ),
        (
            dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=dt.timezone(-dt.timedelta(hours=8))),
            "2023-11-07T05:31:56-08:00",
        ),
    ],
)
def test_format_datetime(rt: ModuleType, value: dt.datetime, text: str) -> None:
    assert rt.format_datetime(value) == text


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-07T05:31:56Z",
        "2023-11-07T05:31:56.123Z",
        "2023-11-07T05:31:56.123456Z",
        "2023-11-07T05:31:56+05:30",
    ],
)
def test_datetime_round_trip(rt: ModuleType, text: str) -> None:
    assert rt.format_datetime(rt.parse_datetime(text)) == text


def _isoformat_reference(value: dt.datetime) -> str:
    """The documented text, spelt with isoformat(): what format_datetime's fast path
    (written from the fields) must equal."""
    us = value.microsecond
    text = value.isoformat(timespec="milliseconds") if us and not us % 1000 else value.isoformat()
    offset = value.utcoffset()
    if offset is None:
        return text + "Z"
    return text[:-6] + "Z" if not offset else text


def test_format_datetime_fast_path_matches_isoformat(rt: ModuleType) -> None:
    import random

    rng = random.Random(20261129)
    zones = [UTC, None, dt.timezone(dt.timedelta(0)), dt.timezone(dt.timedelta(hours=-3, minutes=-30))]
    for _ in range(5000):
        us = rng.choice([0, 1000, 120000, 999000, 1, 999999, rng.randrange(10**6)])
        value = dt.datetime(
            rng.choice([1, 9, 999, 1000, 1970, 2023, 9999]),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
            us,
            tzinfo=rng.choice(zones),
        )
        text = rt.format_datetime(value)
        assert text == _isoformat_reference(value), value
        if value.year >= 1000:  # fromisoformat needs four digits
            expected = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
            assert rt.parse_datetime(text) == expected


def test_parse_datetime_fast_and_general_paths_agree(rt: ModuleType) -> None:
    # the fast path takes "...T...Z" with 0, 3 or 6 fraction digits; the same instants in
    # lower case or with "+00:00" go through the general parser
    for text in ("2023-11-07T05:31:56Z", "2023-11-07T05:31:56.120Z", "2023-11-07T05:31:56.123456Z"):
        fast = rt.parse_datetime(text)
        assert fast.tzinfo is UTC
        assert fast == rt.parse_datetime(text.lower()) == rt.parse_datetime(text[:-1] + "+00:00")
        assert rt.format_datetime(fast) == text


def test_dates(rt: ModuleType) -> None:
    assert rt.parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert rt.format_date(dt.date(2024, 2, 29)) == "2024-02-29"
    assert rt.format_date(dt.datetime(2024, 2, 29, 23, 0)) == "2024-02-29"
    for garbage in ("2023-02-29", "20240229", "2024-W01", "2024-02-29T00:00", "", 5):
        with pytest.raises(ValueError):
            rt.parse_date(garbage)


# ---------------------------------------------------------------- config


def test_path_param(rt: ModuleType, enums: tuple[Any, Any]) -> None:
    TaxIDFormat, Level = enums
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert rt.path_param(u) == str(u)
    assert rt.path_param(TaxIDFormat.EU_VAT) == "eu_vat"
    assert rt.path_param(TaxIDFormat("new value")) == "new%20value"
    assert rt.path_param(Level.HIGH) == "2"
    assert rt.path_param(42) == "42"
    assert rt.path_param("a/b c?d#e%") == "a%2Fb%20c%3Fd%23e%25"
    assert rt.path_param("ünï") == "%C3%BCn%C3%AF"


def test_retry_config_validation(rt: ModuleType) -> None:
    config = rt.RetryConfig()
    assert config.max_retries == 2 and config.retry_statuses == {429, 502, 503, 504}
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.max_retries = 5  # frozen
    for bad in ({"max_retries": -1}, {"jitter": 1.5}, {"initial_delay": -1}):
        with pytest.raises(ValueError):
            rt.RetryConfig(**bad)


def test_retry_delay_backoff_and_headers(rt: ModuleType) -> None:
    config = rt.RetryConfig(initial_delay=0.5, max_delay=3.0, jitter=0.25)
    for attempt, full in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 3.0), (10, 3.0)]:
        for _ in range(20):
            assert full * 0.75 <= config.delay(attempt) <= full
    assert rt.RetryConfig(jitter=0).delay(1) == 1.0
    assert config.delay(0, httpx.Headers({"Retry-After": "7"})) == 7.0
    assert config.delay(0, httpx.Headers({"Retry-After": "1.5"})) == 1.5
    assert config.delay(0, httpx.Headers({"retry-after-ms": "250"})) == 0.25
    # a hint outside (0, max_retry_after] counts as absent: the backoff is used
    for outside in ("9999", "-3", "0", "60.5"):
        assert 0.375 <= config.delay(0, httpx.Headers({"Retry-After": outside})) <= 0.5
    assert config.delay(0, httpx.Headers({"Retry-After": "60"})) == 60.0
    assert 0.375 <= config.delay(0, httpx.Headers({"retry-after-ms": "0"})) <= 0.5
    when = dt.datetime.now(UTC) + dt.timedelta(seconds=30)
    hinted = config.delay(0, httpx.Headers({"Retry-After": email.utils.format_datetime(when, True)}))
    assert 25 <= hinted <= 31
    for junk in ("soon", "nan", "inf"):
        assert config.delay(0, httpx.Headers({"Retry-After": junk})) <= 0.5


def test_config_urls_per_server(rt: ModuleType) -> None:
    rec = Recorder(json_response(200, {}))
    sync_core(rt, rec).request("GET", "/v1/things/", decode=identity)
    assert str(rec.last.url) == "https://api.example.com/v1/things/"
    sync_core(rt, rec, server="sandbox").request("GET", "/x", decode=identity)
    assert str(rec.last.url) == "https://sandbox.example.com/v1/x"
    core = sync_core(rt, rec, base_url="http://localhost:8000/")
    core.request("GET", "/x", decode=identity)
    assert str(rec.last.url) == "http://localhost:8000/x"
    core.request("GET", "/x", decode=identity, options={"server": "sandbox"})
    assert str(rec.last.url) == "https://sandbox.example.com/v1/x"
    core.request("GET", "/x", decode=identity, options={"base_url": "http://h/"})
    assert str(rec.last.url) == "http://h/x"


def test_unknown_server(rt: ModuleType) -> None:
    with pytest.raises(ValueError, match="'production', 'sandbox'"):
        sync_core(rt, Recorder(json_response(200, {})), server="staging")
    core = sync_core(rt, Recorder(json_response(200, {})))
    with pytest.raises(ValueError, match="unknown server 'nope'"):
        core.request("GET", "/", decode=identity, options={"server": "nope"})
    with pytest.raises(ValueError, match="base_url"):
        rt.ClientConfig(servers={})
    assert rt.ClientConfig(servers={}, base_url="http://h").base_url == "http://h"


def test_token_sources(rt: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(json_response(200, {}))
    monkeypatch.setenv("POLAR_TEST_TOKEN", "from_env")
    sync_core(rt, rec, token=None, token_env="POLAR_TEST_TOKEN").request("GET", "/", decode=identity)
    assert rec.last.headers["authorization"] == "Bearer from_env"
    sync_core(rt, rec, token="explicit", token_env="POLAR_TEST_TOKEN").request("GET", "/", decode=identity)
    assert rec.last.headers["authorization"] == "Bearer explicit"
    monkeypatch.delenv("POLAR_TEST_TOKEN")
    sync_core(rt, rec, token=None, token_env="POLAR_TEST_TOKEN").request("GET", "/", decode=identity)
    assert "authorization" not in rec.last.headers
    sync_core(rt, rec, token=None).request("GET", "/", decode=identity)
    assert "authorization" not in rec.last.headers


def test_headers(rt: ModuleType) -> None:
    rec = Recorder(json_response(200, {}))
    core = sync_core(rt, rec, default_headers={"X-Env": "ci", "Accept": "x/y"})
    core.request("GET", "/", decode=identity)
    h = rec.last.headers
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert h["user-agent"] == f"test-sdk/1.0 python/{python} httpx/{httpx.__version__}"
    assert h["authorization"] == f"Bearer {TOKEN}"
    assert h["x-env"] == "ci" and h["accept"] == "x/y"
    assert "content-type" not in h
    assert h.get_list("accept") == ["x/y"]
    core.request(
        "GET",
        "/",
        decode=identity,
        headers={"X-Env": "op", "X-Opt": None, "X-Unset": rt.UNSET, "X-N": 3},
        options={"headers": {"x-env": "call", "Authorization": "Bearer other"}},
    )
    h = rec.last.headers
    assert h.get_list("x-env") == ["call"] and h["x-n"] == "3"
    assert "x-opt" not in h and "x-unset" not in h
    assert h["authorization"] == "Bearer other"
    core = sync_core(rt, rec)
    core.request("GET", "/", decode=identity)
    assert rec.last.headers["accept"] == "application/json"
    core.request("GET", "/", decode=identity, response_kind="bytes")
    assert rec.last.headers["accept"] == "*/*"
    # the http client's own defaults (e.g. Accept-Encoding) still apply
    assert "gzip" in rec.last.headers["accept-encoding"]


def test_query_params(rt: ModuleType, enums: tuple[Any, Any]) -> None:
    TaxIDFormat, _ = enums
    rec = Recorder(json_response(200, {}))
    sync_core(rt, rec).request(
        "GET",
        "/items",
        decode=identity,
        params={
            "page": 2,
            "q": "a b&c",
            "none": None,
            "unset": rt.UNSET,
            "ids": ["a", "b"],
            "empty": [],
            "flag": True,
            "off": False,
            "fmt": TaxIDFormat.EU_VAT,
            "since": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            "day": dt.date(2024, 1, 2),
            "metadata": {"k": "v", "n": 1},
        },
    )
    assert parse_qsl(rec.last.url.query.decode()) == [
        ("page", "2"),
        ("q", "a b&c"),
        ("ids", "a"),
        ("ids", "b"),
        ("flag", "true"),
        ("off", "false"),
        ("fmt", "eu_vat"),
        ("since", "2024-01-02T03:04:05Z"),
        ("day", "2024-01-02"),
        ("metadata[k]", "v"),
        ("metadata[n]", "1"),
    ]


def test_json_body(rt: ModuleType, enums: tuple[Any, Any]) -> None:
    TaxIDFormat, _ = enums
    rec = Recorder(json_response(200, {}))
    core = sync_core(rt, rec)
    u = uuid.UUID(int=1)
    core.request(
        "PATCH",
        "/c",
        decode=identity,
        json={
            "name": "Zoë",
            "n": None,
            "l": [1, 2],
            "f": TaxIDFormat("new"),
            "u": u,
            "t": dt.datetime(2024, 1, 1, tzinfo=UTC),
        },
    )
    assert rec.last.method == "PATCH"
    assert rec.last.headers["content-type"] == "application/json"
    assert (
        rec.last.content
        == (f'{{"name":"Zoë","n":null,"l":[1,2],"f":"new","u":"{u}","t":"2024-01-01T00:00:00Z"}}').encode()
    )
    core.request("POST", "/c", decode=identity, json=None)
    assert rec.last.content == b"null"
    core.request("POST", "/c", decode=identity)
    assert rec.last.content == b"" and "content-type" not in rec.last.headers
    with pytest.raises(TypeError):
        core.request("POST", "/c", decode=identity, json={"x": object()})


def test_form_body(rt: ModuleType) -> None:
    rec = Recorder(json_response(200, {}))
    sync_core(rt, rec).request(
        "POST",
        "/oauth2/token",
        decode=identity,
        form={"grant_type": "x y", "scope": ["a", "b"], "skip": None, "ok": True},
    )
    assert rec.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert rec.last.content == b"grant_type=x+y&scope=a&scope=b&ok=true"


def test_timeouts(rt: ModuleType) -> None:
    rec = Recorder(json_response(200, {}))
    sync_core(rt, rec, timeout=5).request("GET", "/", decode=identity)
    assert rec.last.extensions["timeout"] == httpx.Timeout(5).as_dict()
    core = sync_core(rt, rec)  # no timeout given: the given client's own
    core.request("GET", "/", decode=identity)
    assert rec.last.extensions["timeout"] == httpx.Timeout(5.0).as_dict()
    core.request("GET", "/", decode=identity, options={"timeout": 1.5})
    assert rec.last.extensions["timeout"] == httpx.Timeout(1.5).as_dict()
    core.request("GET", "/", decode=identity, options={"timeout": None})
    assert rec.last.extensions["timeout"] == httpx.Timeout(5.0).as_dict()
    # without a given client: the default, never "no timeout"
    for timeout in (rt.UNSET, None):
        config = rt.ClientConfig(servers=SERVERS, timeout=timeout)
        default = httpx.Timeout(rt.DEFAULT_TIMEOUT, connect=rt.DEFAULT_CONNECT_TIMEOUT)
        assert default == httpx.Timeout(60.0, connect=10.0)
        assert config.timeout == default
        assert config.build_request("GET", "/").extensions["timeout"] == default.as_dict()


def test_owned_client_lifecycle(rt: ModuleType) -> None:
    with rt.SyncClientCore(servers=SERVERS, timeout=3) as core:
        owned = core.http_client
        assert owned.timeout == httpx.Timeout(3)
    assert owned.is_closed
    given = httpx.Client()
    with rt.SyncClientCore(servers=SERVERS, http_client=given) as core:
        assert core.http_client is given
    assert not given.is_closed
    given.close()

    async def run() -> tuple[bool, bool]:
        async with rt.AsyncClientCore(servers=SERVERS) as acore:
            aowned = acore.http_client
        agiven = httpx.AsyncClient()
        async with rt.AsyncClientCore(servers=SERVERS, http_client=agiven):
            pass
        still_open = not agiven.is_closed
        await agiven.aclose()
        return aowned.is_closed, still_open

    assert asyncio.run(run()) == (True, True)


def test_token_never_in_repr(rt: ModuleType, errors: ModuleType) -> None:
    rec = Recorder(json_response(404, {"detail": "Not found"}))
    core = sync_core(rt, rec)
    config = rt.ClientConfig(TOKEN, servers=SERVERS)
    acore = rt.AsyncClientCore(TOKEN, servers=SERVERS)
    with pytest.raises(errors.APIError) as info:
        core.request("GET", "/x", decode=identity)
    err = info.value
    texts = [repr(core), repr(config), repr(acore), str(err), repr(err)]
    texts += [repr(err.request), repr(err.response), repr(err.headers), repr(vars(err))]
    for text in texts:
        assert TOKEN not in text
    assert "token=<set>" in repr(core) and "token=<set>" in repr(config)
    assert "token=None" in repr(rt.ClientConfig(servers=SERVERS))
    asyncio.run(acore.aclose())


# ---------------------------------------------------------------- responses


def test_decode_kinds(rt: ModuleType) -> None:
    rec = Recorder(json_response(200, {"id": 1}))
    core = sync_core(rt, rec)
    assert core.request("GET", "/", decode=lambda d: d["id"]) == 1
    rec.replies = [httpx.Response(200, text="héllo")]
    assert core.request("GET", "/", decode=identity, response_kind="text") == "héllo"
    rec.replies = [httpx.Response(200, content=b"\x00\xff")]
    assert core.request("GET", "/", decode=identity, response_kind="bytes") == (b"\x00\xff")
    rec.replies = [httpx.Response(204)]
    assert core.request("DELETE", "/", decode=identity, response_kind="empty") is None
    rec.replies = [httpx.Response(201, json=[1, 2])]
    assert core.request("POST", "/", decode=tuple) == (1, 2)


@pytest.mark.parametrize(
    ("response", "decode"),
    [
        (httpx.Response(200, content=b"{not json"), identity),
        (json_response(200, {"a": 1}), lambda d: d["missing"]),
        (json_response(200, [1]), lambda d: d["id"]),
        (json_response(200, {"a": "x"}), lambda d: int(d["a"])),
        (json_response(200, {"a": 1}), lambda d: d.nope),
        (httpx.Response(200, content=b""), lambda d: d["id"]),
    ],
)
def test_decode_failure(rt: ModuleType, errors: ModuleType, response: httpx.Response, decode: Any) -> None:
    core = sync_core(rt, Recorder(response))
    with pytest.raises(errors.ResponseValidationError) as info:
        core.request("GET", "/thing", decode=decode)
    err = info.value
    assert isinstance(err, errors.APIError) and isinstance(err, errors.SDKError)
    assert err.status_code == 200 and err.content == response.content
    assert isinstance(err.__cause__, (ValueError, LookupError, TypeError, AttributeError))
    assert "GET https://api.example.com/thing" in str(err)
    assert err.response is response and err.request is not None


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (405, "APIError"),
        (409, "ConflictError"),
        (418, "APIError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (599, "InternalServerError"),
        (302, "APIError"),
    ],
)
def test_error_classes(rt: ModuleType, errors: ModuleType, status: int, name: str) -> None:
    assert errors.error_class_for(status) is getattr(errors, name)
    response = httpx.Response(status, json={"detail": "nope"}, headers={"X-Request-Id": "r1"})
    with pytest.raises(errors.APIError) as info:
        sync_core(rt, Recorder(response)).request("GET", "/e", decode=identity)
    err = info.value
    assert type(err) is getattr(errors, name)
    assert err.status_code == status
    assert err.headers["x-request-id"] == "r1"
    assert err.content == b'{"detail":"nope"}'
    assert err.body == {"detail": "nope"}
    assert str(status) in str(err) and "GET https://api.example.com/e" in str(err)
    assert "nope" in str(err)


class NotFound:
    def __init__(self, detail: str) -> None:
        self.detail = detail

    @classmethod
    def from_dict(cls, data: Any) -> NotFound:
        return cls(data["detail"])


class Validation:
    def __init__(self, errors: list[Any]) -> None:
        self.errors = errors

    @classmethod
    def from_dict(cls, data: Any) -> Validation:
        return cls(data["detail"])


def test_documented_error_models(rt: ModuleType, errors: ModuleType) -> None:
    decoders = {
        404: NotFound.from_dict,
        "4XX": Validation.from_dict,
        "default": lambda d: ("default", d),
    }

    def fail(response: httpx.Response) -> Any:
        with pytest.raises(errors.APIError) as info:
            sync_core(rt, Recorder(response)).request("GET", "/", decode=identity, errors=decoders)
        return info.value

    err = fail(json_response(404, {"detail": "Not found"}))
    assert isinstance(err, errors.NotFoundError)
    assert isinstance(err.body, NotFound) and err.body.detail == "Not found"
    err = fail(json_response(422, {"detail": [{"loc": ["x"]}]}))
    assert isinstance(err.body, Validation) and err.body.errors == [{"loc": ["x"]}]
    err = fail(json_response(500, {"x": 1}))
    assert err.body == ("default", {"x": 1})
    # documented model that does not fit: raw JSON kept
    err = fail(json_response(404, {"message": "gone"}))
    assert err.body == {"message": "gone"}
    # non-JSON body: text kept, decoders not applied
    err = fail(httpx.Response(404, text="<html>Not Found</html>"))
    assert err.body == "<html>Not Found</html>"
    err = fail(httpx.Response(502, content=b""))
    assert err.body is None and err.content == b""
    assert isinstance(err, errors.InternalServerError)


def test_undocumented_error_bodies(rt: ModuleType, errors: ModuleType) -> None:
    core = sync_core(rt, Recorder(json_response(400, ["bad", 1])))
    with pytest.raises(errors.BadRequestError) as info:
        core.request("GET", "/", decode=identity, errors={404: NotFound.from_dict})
    assert info.value.body == ["bad", 1]
    core = sync_core(rt, Recorder(httpx.Response(403, text="x" * 5000)))
    with pytest.raises(errors.PermissionDeniedError) as info2:
        core.request("GET", "/", decode=identity)
    assert info2.value.body == "x" * 5000
    assert len(str(info2.value)) < 500 and str(info2.value).endswith("...")


# ---------------------------------------------------------------- retries


def test_no_retries_by_default(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(json_response(503, {}), json_response(200, {}))
    with pytest.raises(errors.InternalServerError):
        sync_core(rt, rec).request("GET", "/", decode=identity)
    assert len(rec.requests) == 1 and sleeps == []
    rec = Recorder(httpx.ConnectError("refused"), json_response(200, {}))
    with pytest.raises(errors.APIConnectionError):
        sync_core(rt, rec).request("GET", "/", decode=identity)
    assert len(rec.requests) == 1 and sleeps == []
    assert sync_core(rt, rec, retries=0).config.retries is None


def test_retry_after_then_success(rt: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(429, {}, **{"Retry-After": "3"}),
        json_response(429, {}, **{"retry-after-ms": "1500"}),
        json_response(200, {"ok": True}),
    )
    core = sync_core(rt, rec, retries=2)
    assert core.request("GET", "/", decode=identity) == {"ok": True}
    assert sleeps == [3.0, 1.5] and len(rec.requests) == 3


def test_retries_exhausted(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(json_response(503, {"detail": "down"}))
    config = rt.RetryConfig(max_retries=3, initial_delay=1, max_delay=3, jitter=0)
    with pytest.raises(errors.InternalServerError) as info:
        sync_core(rt, rec, retries=config).request("GET", "/", decode=identity)
    assert info.value.status_code == 503 and info.value.body == {"detail": "down"}
    assert sleeps == [1, 2, 3] and len(rec.requests) == 4


def test_non_retryable_status_not_retried(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(json_response(500, {}), json_response(200, {}))
    with pytest.raises(errors.InternalServerError):
        sync_core(rt, rec, retries=3).request("POST", "/", decode=identity, json={})
    assert len(rec.requests) == 1 and sleeps == []


def test_connection_errors_retried(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("eof"),
        json_response(200, [1]),
    )
    core = sync_core(rt, rec, retries=2)
    assert core.request("PUT", "/", decode=identity, json={"a": 1}) == [1]
    assert len(sleeps) == 2 and all(r.content == b'{"a":1}' for r in rec.requests)

    rec = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError) as info:
        sync_core(rt, rec, retries=2).request("GET", "/c", decode=identity)
    err = info.value
    assert type(err) is errors.APIConnectionError
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert err.request is not None and err.request.url.path == "/c"
    assert len(rec.requests) == 3

    no_conn = rt.RetryConfig(retry_connection_errors=False)
    rec = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError):
        sync_core(rt, rec, retries=no_conn).request("GET", "/", decode=identity)
    assert len(rec.requests) == 1

    rec = Recorder(httpx.UnsupportedProtocol("ftp"))
    with pytest.raises(errors.APIConnectionError):
        sync_core(rt, rec, retries=5).request("GET", "/", decode=identity)
    assert len(rec.requests) == 1


def test_timeout_error(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(errors.APITimeoutError) as info:
        sync_core(rt, rec, retries=1).request("GET", "/", decode=identity)
    assert isinstance(info.value, errors.APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert len(rec.requests) == 2 and len(sleeps) == 1


def test_per_call_retries_override(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    rec = Recorder(json_response(502, {}), json_response(200, "ok"))
    core = sync_core(rt, rec)  # client: no retries
    assert core.request("GET", "/", decode=identity, options={"retries": 1}) == "ok"
    rec = Recorder(json_response(502, {}), json_response(200, "ok"))
    core = sync_core(rt, rec, retries=5)
    for off in (None, 0):
        with pytest.raises(errors.InternalServerError):
            core.request("GET", "/", decode=identity, options={"retries": off})
        rec.replies = [json_response(502, {}), json_response(200, "ok")]
    assert core.request("GET", "/", decode=identity) == "ok"
    with pytest.raises(TypeError):
        core.request("GET", "/", decode=identity, options={"retries": True})


# ---------------------------------------------------------------- async


def test_async_request_paths(rt: ModuleType, errors: ModuleType, sleeps: list[float]) -> None:
    async def run() -> None:
        rec = Recorder(json_response(429, {}), json_response(200, {"id": "c1"}))
        core = async_core(rt, rec, retries=1)
        assert await core.request("PATCH", "/v1/c/x", decode=lambda d: d["id"], json={"name": "n"}) == ("c1")
        assert rec.last.content == b'{"name":"n"}'
        assert rec.last.headers["authorization"] == f"Bearer {TOKEN}"
        assert len(sleeps) == 1

        rec.replies = [json_response(404, {"detail": "Not found"})]
        with pytest.raises(errors.NotFoundError) as info:
            await core.request("GET", "/", decode=identity, errors={404: NotFound.from_dict})
        assert isinstance(info.value.body, NotFound)

        rec.replies = [json_response(200, {})]
        with pytest.raises(errors.ResponseValidationError):
            await core.request("GET", "/", decode=lambda d: d["id"])

        rec.replies = [httpx.ConnectError("refused")]
        with pytest.raises(errors.APIConnectionError):
            await core.request("GET", "/", decode=identity)

        rec.replies = [httpx.ConnectTimeout("slow")]
        with pytest.raises(errors.APITimeoutError):
            await core.request("GET", "/", decode=identity, options={"retries": 0})

        rec.replies = [httpx.Response(200, text="csv,data")]
        text = await core.request("GET", "/", decode=identity, response_kind="text")
        assert text == "csv,data"
        await core.aclose()

    asyncio.run(run())


# ---------------------------------------------------------------- pagination


def make_pages(pages: list[list[int]], max_page: int) -> tuple[Any, list[int]]:
    calls: list[int] = []

    def fetch(page: int) -> dict[str, Any]:
        calls.append(page)
        items = pages[page - 1] if page <= len(pages) else []
        return {"items": items, "pagination": {"max_page": max_page}}

    return fetch, calls


def items_of(result: dict[str, Any]) -> list[int]:
    return list(result["items"])


def max_page_of(result: dict[str, Any]) -> int:
    return int(result["pagination"]["max_page"])


def test_iterate_pages(rt: ModuleType) -> None:
    fetch, calls = make_pages([[1, 2], [3, 4], [5]], max_page=3)
    assert list(rt.iterate_pages(fetch, items_of, max_page_of)) == [1, 2, 3, 4, 5]
    assert calls == [1, 2, 3]
    # stops at max_page even if more pages would answer
    fetch, calls = make_pages([[1], [2], [3]], max_page=2)
    assert list(rt.iterate_pages(fetch, items_of, max_page_of)) == [1, 2]
    assert calls == [1, 2]
    # stops on an empty page
    fetch, calls = make_pages([[1], []], max_page=9)
    assert list(rt.iterate_pages(fetch, items_of, max_page_of)) == [1]
    assert calls == [1, 2]
    fetch, calls = make_pages([], max_page=0)
    assert list(rt.iterate_pages(fetch, items_of, max_page_of)) == []
    # start page honoured; lazy
    fetch, calls = make_pages([[1], [2], [3]], max_page=3)
    it = rt.iterate_pages(fetch, items_of, max_page_of, start=2)
    assert calls == [] and next(it) == 2 and calls == [2]


def test_aiterate_pages(rt: ModuleType) -> None:
    fetch, calls = make_pages([[1, 2], [3], [4]], max_page=3)

    async def afetch(page: int) -> dict[str, Any]:
        return fetch(page)

    async def collect(start: int) -> list[int]:
        return [x async for x in rt.aiterate_pages(afetch, items_of, max_page_of, start)]

    assert asyncio.run(collect(1)) == [1, 2, 3, 4]
    assert calls == [1, 2, 3]
    calls.clear()
    assert asyncio.run(collect(3)) == [4]
    assert calls == [3]


def test_iterate_pages_with_core(rt: ModuleType) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        items = {1: ["a", "b"], 2: ["c"]}.get(page, [])
        return json_response(200, {"items": items, "pagination": {"max_page": 2}})

    core = sync_core(rt, handler)

    def fetch(page: int) -> Any:
        return core.request("GET", "/items", decode=identity, params={"page": page, "limit": 2})

    assert list(rt.iterate_pages(fetch, items_of, max_page_of)) == ["a", "b", "c"]


# ---------------------------------------------------------------- typing

MYPY_SAMPLE = """
from __future__ import annotations

from typing import Any

import httpx

from rtpkg import _runtime as _rt
from rtpkg.errors import APIError, NotFoundError


class TaxIDFormat(_rt.OpenStrEnum):
    EU_VAT = "eu_vat"


class Customer:
    def __init__(self, name: str | None | _rt.Unset = _rt.UNSET) -> None:
        self.name = name

    @classmethod
    def from_dict(cls, data: Any) -> Customer:
        return cls(name=data.get("name", _rt.UNSET))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.name is not _rt.UNSET:
            name: str | None = self.name  # narrowed: UNSET excluded
            out["name"] = name
        return out


def upper_name(c: Customer) -> str:
    if c.name is _rt.UNSET or c.name is None:
        return ""
    return c.name.upper()


def fmt(value: TaxIDFormat) -> tuple[str, bool]:
    return value.value, TaxIDFormat("x").is_known


def get(core: _rt.SyncClientCore, cid: str) -> Customer:
    return core.request(
        "GET",
        f"/v1/customers/{_rt.path_param(cid)}",
        decode=Customer.from_dict,
        errors={404: Customer.from_dict, "4XX": Customer.from_dict},
        options={"timeout": 5.0, "retries": _rt.RetryConfig(max_retries=1)},
    )


async def aget(core: _rt.AsyncClientCore) -> bytes:
    await core.request("DELETE", "/x", decode=lambda _: None, response_kind="empty")
    return await core.request("GET", "/f", decode=bytes, response_kind="bytes")


def build() -> _rt.SyncClientCore:
    return _rt.SyncClientCore(
        None,
        token_env="TOKEN",
        servers={"production": "https://api.example.com"},
        server="production",
        timeout=httpx.Timeout(10.0),
        retries=2,
        user_agent="x/1",
        http_client=httpx.Client(),
    )


def pages(core: _rt.SyncClientCore) -> list[int]:
    def fetch(page: int) -> dict[str, Any]:
        return core.request("GET", "/p", decode=dict, params={"page": page})

    return list(
        _rt.iterate_pages(fetch, lambda r: list(r["items"]), lambda r: r["max"])
    )


def err_body(e: APIError) -> object:
    if isinstance(e, NotFoundError):
        return e.body
    return e.status_code
"""


@pytest.mark.parametrize("python_version", ["3.10", None])
def test_mypy_strict(tmp_path: Path, make_rtpkg: Callable[[Path], Path], python_version: str | None) -> None:
    pytest.importorskip("mypy")
    make_rtpkg(tmp_path)
    (tmp_path / "sample.py").write_text(textwrap.dedent(MYPY_SAMPLE))
    (tmp_path / "mypy.ini").write_text("[mypy]\n")  # isolate from project config
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    if python_version:
        args += ["--python-version", python_version]
    proc = subprocess.run(
        [*args, "rtpkg", "sample.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_catches_unnarrowed_unset(tmp_path: Path, make_rtpkg: Callable[[Path], Path]) -> None:
    """Guards the narrowing test above: without the check mypy must object."""
    pytest.importorskip("mypy")
    make_rtpkg(tmp_path)
    (tmp_path / "bad.py").write_text(
        "from rtpkg import _runtime as _rt\ndef f(x: str | None | _rt.Unset) -> str | None:\n    return x\n"
    )
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "bad.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1 and "Unset" in proc.stdout, proc.stdout


def test_runtime_uses_only_stdlib_and_httpx(rtpkg_root: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"httpx"}
    for path in (rtpkg_root / "rtpkg").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, (path.name, roots)


def test_enum_subclass_check(rt: ModuleType) -> None:
    assert issubclass(rt.OpenStrEnum, enum.Enum) and issubclass(rt.OpenStrEnum, str)
    assert issubclass(rt.OpenIntEnum, int)


def test_deep_object_list_values_repeat_the_key(rt: ModuleType) -> None:
    pairs = rt._flatten({"metadata": {"tier": ["a", "b"], "n": 3, "gone": None}})
    assert pairs == [("metadata[tier]", "a"), ("metadata[tier]", "b"), ("metadata[n]", "3")]


@pytest.mark.parametrize(
    "text",
    [
        "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "992FAE2A-2A17-4B7A-8D9E-E287CF90131B",
        "00000000-0000-0000-0000-000000000000",
        "{992fae2a-2a17-4b7a-8d9e-e287cf90131b}",
        "urn:uuid:992fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "992fae2a2a174b7a8d9ee287cf90131b",
    ],
)
def test_parse_uuid_matches_uuid_module(rt: ModuleType, text: str) -> None:
    import uuid

    parsed = rt.parse_uuid(text)
    assert parsed == uuid.UUID(text) and str(parsed) == str(uuid.UUID(text))
    assert parsed.version == uuid.UUID(text).version and hash(parsed) == hash(uuid.UUID(text))


@pytest.mark.parametrize(
    "text",
    [
        "992fae2a-2a17-4b7a-8d9e-e287cf90131",
        "992fae2a-2a17-4b7a-8d9e-e287cf90131g",
        "x" * 36,
        "+92fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "992fae2a-2a17-4b7a-8d9e-e287cf9013 b",
        "992fae2a-2a17-4b7a-8d9e-e287cf9013_b",
        "992fae2a-2a17-4b7a-8d9e-e287cf90131\u0663",
        "992fae2a2-a17-4b7a-8d9e-e287cf90131b",  # hyphens elsewhere: uuid.UUID ignores them
        "0x2fae2a-2a17-4b7a-8d9e-e287cf90131b",
        "992fae2a-2a17-4b7a-8d9e-e287cf90131-",
        "{992fae2a-2a17-4b7a-8d9e-e287cf9013}",
    ],
)
def test_parse_uuid_reads_like_uuid_module(rt: ModuleType, text: str) -> None:
    """Odd input and the fast path's edge cases: the same UUID (text, safety) or the same error."""
    try:
        expected: object = uuid.UUID(text)
    except ValueError:
        with pytest.raises(ValueError):
            rt.parse_uuid(text)
    else:
        parsed = rt.parse_uuid(text)
        assert parsed == expected and str(parsed) == str(expected) and parsed.is_safe == uuid.SafeUUID.unknown


def test_format_uuid_is_str(rt: ModuleType) -> None:
    import random

    rng = random.Random(7)
    for bits in (0, 8, 64, 127, 128):
        for _ in range(200):
            value = uuid.UUID(int=rng.getrandbits(bits) if bits else 0)
            assert rt.format_uuid(value) == str(value)
            assert rt.format_uuid(rt.parse_uuid(str(value))) == str(value)
    # a caller's plain string (not a UUID) is sent as it is, as str() would
    assert rt.format_uuid("not-a-uuid") == "not-a-uuid"


def test_enum_members_and_the_decoders_lookup(rt: ModuleType) -> None:
    class Color(rt.OpenStrEnum):  # type: ignore[name-defined,misc]
        RED = "red"
        CRIMSON = "red"  # an alias: the same member
        BLUE = "blue"

    class Size(rt.OpenIntEnum):  # type: ignore[name-defined,misc]
        ZERO = 0
        ONE = 1

    colors, sizes = rt.enum_members(Color), rt.enum_members(Size)
    assert colors == {"red": Color.RED, "blue": Color.BLUE} and sizes == {0: Size.ZERO, 1: Size.ONE}

    # what generated decoders write: the table, then the class (open values, wrong types)
    def decode(table: dict[Any, Any], cls: Any, value: object) -> Any:
        return table.get(value) or cls(value)

    for table, cls, value in [
        (colors, Color, "red"),
        (colors, Color, "green"),
        (sizes, Size, 0),  # a falsy member: found again by the class
        (sizes, Size, True),
        (sizes, Size, 7),
    ]:
        got = decode(table, cls, value)
        assert got is cls(value) and got.is_known == cls(value).is_known
    for table, cls, value in [(colors, Color, 5), (sizes, Size, "1"), (colors, Color, None)]:
        with pytest.raises(ValueError):
            decode(table, cls, value)
    with pytest.raises(TypeError):  # unhashable JSON (a list): still a decode error
        decode(colors, Color, ["red"])
