"""Web chat channel over HTTP: post, long-poll replies, buttons, bad input."""

from __future__ import annotations

from tests.fakes.harness import Gateway
from tests.fakes.rasa import FakeRasa

SESSION = "sess-0123456789"


async def _poll(gw: Gateway, after: str | None, wait: float = 2.0) -> dict:
    params = {"session": SESSION, "wait": str(wait)}
    if after is not None:
        params["after"] = after
    async with gw.http.get(gw.url + "/api/web/replies", params=params) as resp:
        assert resp.status == 200
        return await resp.json()


async def _replies(gw: Gateway, cursor: str, n: int) -> tuple[list[dict], str]:
    got: list[dict] = []
    for _ in range(20):
        data = await _poll(gw, cursor)
        got += data["replies"]
        cursor = data["cursor"]
        if len(got) >= n:
            break
    return got, cursor


async def test_page_and_assets_are_served(gateway_only: Gateway) -> None:
    async with gateway_only.http.get(gateway_only.url + "/", allow_redirects=False) as resp:
        assert resp.status == 302 and resp.headers["Location"] == "/chat"
    async with gateway_only.http.get(gateway_only.url + "/chat") as resp:
        html = await resp.text()
        assert resp.status == 200 and "Trợ lý công dân" in html
        assert "/static/chat.js" in html and "http" not in html.split("<body>")[1]
    for asset in ("chat.js", "chat.css"):
        async with gateway_only.http.get(f"{gateway_only.url}/static/{asset}") as resp:
            assert resp.status == 200


async def test_message_reply_and_buttons(gateway: Gateway, fake_rasa: FakeRasa) -> None:
    cursor = (await _poll(gateway, None))["cursor"]
    assert cursor == "0"
    status, data = await gateway.web(SESSION, "xin chào", mid="m-00000001")
    assert (status, data) == (202, {"status": "enqueued"})
    replies, cursor = await _replies(gateway, cursor, 1)
    assert [r["text"] for r in replies] == ["Bạn nói: xin chào"]
    await gateway.web(SESSION, "/menu", mid="m-00000002")
    replies, cursor = await _replies(gateway, cursor, 1)
    assert [b["title"] for b in replies[0]["buttons"]] == [
        "Lệ phí",
        "Thời gian",
        "Cổng dịch vụ công",
    ]
    status, _ = await gateway.web(
        SESSION, "Lệ phí", mid="m-00000003", payload=replies[0]["buttons"][0]["payload"]
    )
    assert status == 202
    replies, cursor = await _replies(gateway, cursor, 1)
    assert replies[0]["text"] == 'Bạn nói: /ask_fee{"procedure":"khai_sinh"}'
    # nothing more, and a fresh page starts after the last reply
    assert (await _poll(gateway, cursor, wait=0))["replies"] == []
    assert (await _poll(gateway, None))["cursor"] == cursor


async def test_same_client_id_is_enqueued_once(gateway_only: Gateway) -> None:
    assert (await gateway_only.web(SESSION, "a", mid="dup-00001"))[0] == 202
    assert await gateway_only.web(SESSION, "a", mid="dup-00001") == (200, {"status": "duplicate"})


async def test_bad_input(gateway_only: Gateway) -> None:
    cases = [
        {"session": "x", "id": "m-00000001", "text": "hi"},
        {"session": SESSION, "id": "no", "text": "hi"},
        {"session": SESSION, "id": "m-00000001", "text": "   "},
        {"session": SESSION, "id": "m-00000001", "text": "a" * 1001},
        {"session": SESSION, "id": "m-00000001", "text": 5},
        {"session": SESSION, "id": "m-00000001", "payload": ""},
    ]
    import json

    for body in cases:
        status, _ = await gateway_only.post(
            "/api/web/messages", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        assert status == 400, body
    for params in (
        {"session": "bad"},
        {"session": SESSION, "after": "abc"},
        {"session": SESSION, "after": "0", "wait": "x"},
    ):
        async with gateway_only.http.get(gateway_only.url + "/api/web/replies", params=params) as r:
            assert r.status == 400, params


async def test_flood_gets_429_and_one_polite_notice(gateway: Gateway, fake_rasa: FakeRasa) -> None:
    limit = gateway.settings.gateway.sender_rate_limit
    cursor = (await _poll(gateway, None))["cursor"]
    statuses = [
        (await gateway.web(SESSION, f"tin {i}", mid=f"flood-{i:05d}"))[0] for i in range(limit + 5)
    ]
    assert statuses.count(202) == limit and statuses.count(429) == 5
    replies, _ = await _replies(gateway, cursor, limit + 1)
    texts = [r["text"] for r in replies]
    assert sum("gửi nhanh quá" in t for t in texts) == 1
    assert sorted(t for t in texts if t.startswith("Bạn nói")) == sorted(
        f"Bạn nói: tin {i}" for i in range(limit)
    )
