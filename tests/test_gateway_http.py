"""Gateway: health, metrics, unknown routes, Redis unavailable."""

from __future__ import annotations

import asyncio
import dataclasses

import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from bot.settings import Settings
from tests.fakes.harness import Gateway, running_gateway
from tests.fakes.rasa import FakeRasa
from tests.fakes.zalo import FakeZaloApi


async def _action_server() -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_get("/health", lambda r: web.json_response({"status": "ok"}))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/webhook"


async def test_health_reports_each_dependency(
    gw_settings: Settings, redis_client: Redis, fake_rasa: FakeRasa
) -> None:
    runner, action_url = await _action_server()
    s = dataclasses.replace(
        gw_settings, rasa=dataclasses.replace(gw_settings.rasa, action_url=action_url)
    )
    try:
        async with running_gateway(s, redis=redis_client, dispatchers=0, outbox=False) as gw:
            async with gw.http.get(gw.url + "/health") as resp:
                data = await resp.json()
                assert resp.status == 200, data
                assert data["status"] == "ok"
                assert set(data["checks"]) == {"redis", "rasa", "action_server"}
            await fake_rasa.stop()
            async with gw.http.get(gw.url + "/health") as resp:
                data = await resp.json()
                assert resp.status == 503
                assert data["checks"]["rasa"]["ok"] is False
                assert data["checks"]["redis"]["ok"] is True
    finally:
        await runner.cleanup()


async def test_metrics_count_what_happened(gateway: Gateway, fake_zalo: FakeZaloApi) -> None:
    await gateway.zalo("1", "xin chào", msg_id="a1")
    await gateway.zalo("1", "xin chào", msg_id="a1")
    await gateway.post("/webhooks/zalo", b"{}", {"Content-Type": "application/json"})
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    async with gateway.http.get(gateway.url + "/metrics") as resp:
        assert resp.status == 200
        assert resp.content_type == "text/plain"
        text = await resp.text()
    lines = set(text.splitlines())
    assert 'gateway_received_total{channel="zalo"} 2' in lines
    assert 'gateway_duplicates_total{channel="zalo"} 1' in lines
    assert 'gateway_enqueued_total{channel="zalo"} 1' in lines
    assert 'gateway_rejected_total{channel="zalo",status="401"} 1' in lines
    assert "gateway_dead_lettered_total 0" in lines
    assert "# TYPE gateway_inbound_pending gauge" in lines
    assert any(line.startswith("gateway_outbox_lag ") for line in lines)
    for _ in range(50):  # delivered is counted right after the send
        async with gateway.http.get(gateway.url + "/metrics") as resp:
            if 'gateway_delivered_total{channel="zalo"} 1' in (await resp.text()).splitlines():
                break
    else:
        raise AssertionError("delivered not counted")


async def test_unknown_route_and_method_are_json(gateway_only: Gateway) -> None:
    async with gateway_only.http.get(gateway_only.url + "/webhooks/zalo") as resp:
        assert resp.status == 405 and "error" in await resp.json()
    async with gateway_only.http.get(gateway_only.url + "/nope") as resp:
        assert resp.status == 404 and "error" in await resp.json()


async def test_redis_down_is_503_so_the_platform_resends(gw_settings: Settings) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    async with running_gateway(gw_settings, redis=dead, dispatchers=0, outbox=False) as gw:
        status, data = await gw.zalo("1", "hi")
        assert status == 503 and "retry" in data["error"]
        async with gw.http.get(gw.url + "/health") as resp:
            assert resp.status == 503
            assert (await resp.json())["checks"]["redis"]["ok"] is False
    await dead.close()


async def test_unconfigured_zalo_is_refused(settings: Settings, redis_client: Redis) -> None:
    async with running_gateway(settings, redis=redis_client, dispatchers=0, outbox=False) as gw:
        from tests.fakes.zalo import signed, text_event

        body, headers = signed(text_event("1", "hi"))
        status, data = await gw.post("/webhooks/zalo", body, headers)
        if gw.settings.zalo.oa_secret_key is None:
            assert status == 503 and "not configured" in data["error"]
        status, _ = await gw.post("/webhooks/telegram", b"{}", {"Content-Type": "application/json"})
        assert status in (404, 503)


async def test_app_owns_and_closes_its_clients() -> None:
    from channels import create_app
    from channels._gateway import HTTP

    app = create_app(settings=Settings())
    runner = web.AppRunner(app)
    await runner.setup()
    http = app[HTTP]
    assert isinstance(http, aiohttp.ClientSession) and not http.closed
    await runner.cleanup()
    assert http.closed


async def test_counters_reach_redis_without_a_metrics_request(
    gateway: Gateway, fake_zalo: FakeZaloApi, redis_client: Redis
) -> None:
    await gateway.zalo("2", "xin chào")
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    key = f"{gateway.settings.redis.key_prefix}metrics:gateway"
    for _ in range(100):  # batched in memory, flushed every half second
        counts = await redis_client.hgetall(key)
        if counts.get(b"delivered|channel=zalo") == b"1":
            break
        await asyncio.sleep(0.05)
    assert counts[b"delivered|channel=zalo"] == b"1"
    assert counts[b"dispatched|channel=zalo"] == b"1"
