"""The one-stop client against the simulator running as a real server (a separate process)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.onestop import (
    CircuitBreaker,
    CircuitOpen,
    CursorExpired,
    DossierNotFound,
    DossierStatus,
    OneStopClient,
    OneStopUnavailable,
)
from bot.settings import Settings
from simulator.testing import SimulatorAdmin, run_simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def make_client(settings: Settings, redis, session, url: str, **onestop) -> OneStopClient:
    base = dict(
        url=url,
        timeout_s=2.0,
        retries=1,
        backoff_base_s=0.01,
        breaker_failures=3,
        breaker_reset_s=0.5,
    )
    base.update(onestop)
    s = dataclasses.replace(settings, onestop=dataclasses.replace(settings.onestop, **base))
    return OneStopClient.from_settings(session=session, redis=redis, settings=s)


async def test_lookup_returns_typed_dossier(settings, redis_client, session, admin, sim_url):
    code = (await admin.codes(status=4))[0]
    client = make_client(settings, redis_client, session, sim_url)
    d = await client.get_dossier(code)
    assert d.code == code
    assert d.status is DossierStatus.PROCESSING
    assert d.procedure_name and d.agency and d.return_place
    assert d.received_at is not None and d.due_at is not None
    assert "*" in d.applicant_masked
    assert d.history and d.history[-1].status is DossierStatus.PROCESSING


async def test_not_found_is_distinct_and_cached(settings, redis_client, session, admin, sim_url):
    client = make_client(settings, redis_client, session, sim_url)
    with pytest.raises(DossierNotFound):
        await client.get_dossier("000.00.99.H49-200101-9999")
    with pytest.raises(DossierNotFound):
        await client.get_dossier("000.00.99.H49-200101-9999")
    assert (await admin.stats())["dossier_requests"] == 1
    assert client.stats.cache_hits == 1


async def test_cache_serves_repeat_questions(settings, redis_client, session, admin, sim_url):
    code = (await admin.codes(status=2))[0]
    client = make_client(settings, redis_client, session, sim_url)
    first = await client.get_dossier(code)
    second = await client.get_dossier(code)
    assert first == second
    assert (await admin.stats())["dossier_requests"] == 1
    # Another process (another client, same Redis) hits the same cache.
    other = make_client(settings, redis_client, session, sim_url)
    assert await other.get_dossier(code) == first
    assert (await admin.stats())["dossier_requests"] == 1
    # use_cache=False (the notifier) always asks the system.
    await client.get_dossier(code, use_cache=False)
    assert (await admin.stats())["dossier_requests"] == 2


async def test_concurrent_lookups_of_one_code_share_one_request(
    settings, redis_client, session, admin, sim_url
):
    code = (await admin.codes(status=4))[1]
    await admin.faults(latency_ms=200)
    client = make_client(settings, redis_client, session, sim_url, cache_ttl_s=0)
    results = await asyncio.gather(*(client.get_dossier(code) for _ in range(10)))
    assert {r.code for r in results} == {code}
    assert (await admin.stats())["dossier_requests"] == 1


async def test_added_latency_still_answers(settings, redis_client, session, admin, sim_url):
    code = (await admin.codes(status=9))[0]
    await admin.faults(latency_ms=300, jitter_ms=50)
    client = make_client(settings, redis_client, session, sim_url)
    assert (await client.get_dossier(code)).status is DossierStatus.READY


async def test_timeout_is_retried_then_busy(settings, redis_client, session, admin, sim_url):
    code = (await admin.codes(status=4))[0]
    await admin.faults(latency_ms=1500)
    client = make_client(settings, redis_client, session, sim_url, timeout_s=0.2, retries=2)
    with pytest.raises(OneStopUnavailable):
        await client.get_dossier(code)
    assert client.stats.upstream_calls == 3


async def test_5xx_is_retried_then_busy(settings, redis_client, session, admin, sim_url):
    code = (await admin.codes(status=4))[0]
    await admin.faults(outage=True)
    client = make_client(settings, redis_client, session, sim_url, retries=2)
    with pytest.raises(OneStopUnavailable) as err:
        await client.get_dossier(code)
    assert "503" in str(err.value)
    assert (await admin.stats())["requests"] == 3


async def test_retries_ride_out_intermittent_errors(
    settings, redis_client, session, admin, sim_url
):
    codes = (await admin.codes(status=4))[:5]
    await admin.faults(error_rate=0.5)
    client = make_client(settings, redis_client, session, sim_url, retries=12, breaker_failures=100)
    for code in codes:
        assert (await client.get_dossier(code)).code == code
    assert client.stats.upstream_calls >= len(codes)


@pytest.mark.parametrize("kind", ["truncated", "html", "bad_status", "not_object"])
async def test_malformed_answers_are_busy_not_crashes(
    settings, redis_client, session, admin, sim_url, kind
):
    code = (await admin.codes(status=4))[0]
    await admin.faults(malformed_rate=1.0, malformed_kind=kind)
    client = make_client(settings, redis_client, session, sim_url, retries=1)
    with pytest.raises(OneStopUnavailable):
        await client.get_dossier(code)
    assert (await admin.stats())["malformed"] == 2
    # Nothing broken was cached.
    await admin.faults(malformed_rate=0.0)
    assert (await client.get_dossier(code)).code == code


async def test_circuit_opens_after_repeated_failures_and_closes_again(
    settings, redis_client, session, admin, sim_url
):
    code = (await admin.codes(status=4))[0]
    await admin.faults(outage=True)
    client = make_client(
        settings, redis_client, session, sim_url, retries=0, breaker_failures=3, breaker_reset_s=0.5
    )
    for _ in range(3):
        with pytest.raises(OneStopUnavailable):
            await client.get_dossier(code)
    calls = (await admin.stats())["requests"]
    with pytest.raises(CircuitOpen) as err:
        await client.get_dossier(code)
    assert err.value.retry_after_s > 0
    assert (await admin.stats())["requests"] == calls  # no call while open

    # Still down when the probe goes through: open again.
    await asyncio.sleep(0.6)
    with pytest.raises(OneStopUnavailable):
        await client.get_dossier(code)
    with pytest.raises(CircuitOpen):
        await client.get_dossier(code)

    # The system is back: the next probe closes the circuit.
    await admin.faults(outage=False)
    await asyncio.sleep(0.6)
    assert (await client.get_dossier(code)).code == code
    breaker = CircuitBreaker(
        redis=redis_client, key_prefix=settings.redis.key_prefix, failures=3, reset_s=0.5
    )
    assert (await breaker.state()).state == "closed"
    assert (await client.get_dossier(code, use_cache=False)).code == code


async def test_circuit_state_is_shared_between_processes(
    settings, redis_client, session, admin, sim_url
):
    code = (await admin.codes(status=4))[0]
    await admin.faults(outage=True)
    a = make_client(
        settings, redis_client, session, sim_url, retries=0, breaker_failures=2, breaker_reset_s=30
    )
    for _ in range(2):
        with pytest.raises(OneStopUnavailable):
            await a.get_dossier(code)
    # A second "process": its own session and client, the same Redis.
    async with aiohttp.ClientSession() as other_session:
        b = make_client(
            settings,
            redis_client,
            other_session,
            sim_url,
            retries=0,
            breaker_failures=2,
            breaker_reset_s=30,
        )
        with pytest.raises(CircuitOpen):
            await b.get_dossier(code)


async def test_not_found_does_not_count_as_failure(settings, redis_client, session, admin, sim_url):
    client = make_client(
        settings, redis_client, session, sim_url, breaker_failures=2, cache_ttl_s=0
    )
    for i in range(4):
        with pytest.raises(DossierNotFound):
            await client.get_dossier(f"000.00.99.H49-200101-{i:04d}")
    code = (await admin.codes(status=4))[0]
    assert (await client.get_dossier(code)).code == code


async def test_personal_data_is_dropped_and_masked_even_if_sent(
    settings, redis_client, session, admin, sim_url
):
    code = (await admin.codes(status=4))[0]
    await admin.faults(leak_personal_data=True)
    client = make_client(settings, redis_client, session, sim_url)
    d = await client.get_dossier(code)
    async with session.get(f"{sim_url}/api/v1/dossiers/{code}") as resp:
        raw = await resp.json()
    assert raw["SoDienThoai"] and "*" not in raw["ChuHoSo"]
    assert d.applicant_masked != raw["ChuHoSo"]
    assert d.applicant_masked.split()[0][0] == raw["ChuHoSo"][0]
    text = repr(d)
    assert raw["SoDienThoai"] not in text and raw["SoGiayTo"] not in text and "@" not in text


async def test_change_feed(settings, redis_client, session, admin, sim_url):
    client = make_client(settings, redis_client, session, sim_url)
    head = await client.changes(None)
    assert head.changes == ()
    code = (await admin.codes(status=4))[0]
    await admin.set_status(code, 9)
    page = await client.changes(head.cursor)
    assert [(c.code, c.status) for c in page.changes] == [(code, DossierStatus.READY)]
    assert (await client.changes(page.cursor)).changes == ()
    await admin.reset()  # the system forgot its log: old cursors expire
    with pytest.raises(CursorExpired):
        await client.changes(page.cursor)


async def test_api_key_and_bearer_token(settings, redis_client, session):
    with run_simulator("--api-key", "k-123", "--bearer-token", "t-456") as url:
        admin = SimulatorAdmin(session=session, base_url=url)
        code = (await admin.codes(status=4))[0]
        anonymous = make_client(
            settings, redis_client, session, url, cache_ttl_s=0, breaker_failures=100
        )
        with pytest.raises(OneStopUnavailable) as err:
            await anonymous.get_dossier(code)
        assert "401" in str(err.value)
        assert anonymous.stats.upstream_calls == 1  # 401 is not retried
        keyed = make_client(settings, redis_client, session, url, api_key="k-123", cache_ttl_s=0)
        assert (await keyed.get_dossier(code)).code == code
        bearer = make_client(
            settings, redis_client, session, url, bearer_token="t-456", cache_ttl_s=0
        )
        assert (await bearer.get_dossier(code)).code == code


async def test_unreachable_system_is_busy(settings, redis_client, session):
    from bot.launcher import free_port

    client = make_client(
        settings, redis_client, session, f"http://127.0.0.1:{free_port()}", retries=1
    )
    with pytest.raises(OneStopUnavailable):
        await client.get_dossier("000.00.12.H49-251002-0015")
