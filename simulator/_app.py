"""The simulator's aiohttp application: the contract's API, admin switches, health."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from simulator._faults import MALFORMED_KINDS, Faults
from simulator._store import CursorExpired, DossierStore

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(kw_only=True)
class SimulatorConfig:
    seed: int = 42
    dossiers: int = 300
    tick_s: float = 60.0  # a background step every tick_s seconds (0: statuses move only on demand)
    tick_count: int = 3  # dossiers advanced per tick
    api_key: str | None = None
    bearer_token: str | None = None
    faults: Faults = field(default_factory=Faults)


STORE = web.AppKey("store", DossierStore)
FAULTS = web.AppKey("faults", Faults)
CONFIG = web.AppKey("config", SimulatorConfig)
STATS = web.AppKey("stats", Counter)
RNG = web.AppKey("rng", random.Random)


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False))


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Latency, errors, outage, auth and malformed bodies — for /api routes only."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    app = request.app
    faults, rng, cfg = app[FAULTS], app[RNG], app[CONFIG]
    app[STATS]["requests"] += 1
    delay = faults.latency_ms + (rng.uniform(0, faults.jitter_ms) if faults.jitter_ms else 0.0)
    if delay > 0:
        await asyncio.sleep(delay / 1000)
    if faults.outage:
        return _error(503, "unavailable", "Hệ thống đang bảo trì")
    if faults.error_rate and rng.random() < faults.error_rate:
        return _error(rng.choice((500, 502, 503)), "unavailable", "Lỗi máy chủ")
    if cfg.api_key or cfg.bearer_token:
        key_ok = cfg.api_key is not None and request.headers.get("X-API-Key") == cfg.api_key
        token_ok = (
            cfg.bearer_token is not None
            and request.headers.get("Authorization") == f"Bearer {cfg.bearer_token}"
        )
        if not (key_ok or token_ok):
            return _error(401, "unauthorized", "Thiếu hoặc sai khóa truy cập")
    response = await handler(request)
    if response.status == 200 and faults.malformed_rate and rng.random() < faults.malformed_rate:
        kind = faults.malformed_kind
        if kind == "random":
            kind = rng.choice(MALFORMED_KINDS)
        app[STATS]["malformed"] += 1
        return _malformed(kind, response)
    return response


def _malformed(kind: str, original: web.StreamResponse) -> web.Response:
    body = original.body if isinstance(original, web.Response) else b"{}"
    raw = bytes(body) if isinstance(body, bytes | bytearray) else b"{}"
    if kind == "truncated":
        return web.Response(body=raw[: max(len(raw) // 2, 1)], content_type="application/json")
    if kind == "html":
        return web.Response(text="<html><body>Bad gateway</body></html>", content_type="text/html")
    if kind == "bad_status":
        data = json.loads(raw or b"{}")
        if isinstance(data, dict):
            data["TrangThaiHoSo"] = "đang xử lý"
            data.pop("cursor", None)
        return _json(data)
    return _json(["not", "an", "object"])


# --- API ----------------------------------------------------------------------------


async def get_dossier(request: web.Request) -> web.Response:
    request.app[STATS]["dossier_requests"] += 1
    code = request.match_info["code"].strip().upper()
    store = request.app[STORE]
    rec = store.records.get(code)
    if rec is None:
        return _error(404, "not_found", "Không tìm thấy hồ sơ")
    return _json(rec.public(store_now(store), leak=request.app[FAULTS].leak_personal_data))


async def get_changes(request: web.Request) -> web.Response:
    request.app[STATS]["changes_requests"] += 1
    try:
        limit = max(1, min(int(request.query.get("limit", "200")), 1000))
    except ValueError:
        return _error(400, "bad_request", "limit phải là số")
    try:
        items, cursor, more = request.app[STORE].changes(request.query.get("cursor"), limit)
    except CursorExpired:
        return _error(410, "cursor_expired", "Con trỏ không còn hiệu lực, hãy đồng bộ lại")
    return _json({"changes": items, "cursor": cursor, "has_more": more})


def store_now(store: DossierStore) -> datetime:
    return store._clock()


# --- admin --------------------------------------------------------------------------


async def health(request: web.Request) -> web.Response:
    return _json({"status": "ok", "dossiers": len(request.app[STORE].records)})


async def admin_faults(request: web.Request) -> web.Response:
    faults = request.app[FAULTS]
    if request.method in ("PUT", "POST", "PATCH"):
        try:
            faults.update(await request.json())
        except (ValueError, TypeError, AttributeError) as exc:
            return _error(400, "bad_request", str(exc))
    return _json(faults.as_dict())


async def admin_reset(request: web.Request) -> web.Response:
    app = request.app
    app[FAULTS] = Faults()
    app[STORE].reset()
    app[STATS].clear()
    return _json({"status": "reset", "cursor": app[STORE].head})


async def admin_stats(request: web.Request) -> web.Response:
    stats = request.app[STATS]
    if request.method == "DELETE":
        stats.clear()
    return _json(dict(stats))


async def admin_list(request: web.Request) -> web.Response:
    store = request.app[STORE]
    status = request.query.get("status")
    overdue = request.query.get("overdue")
    records = store.query(
        status=int(status) if status else None,
        overdue=None if overdue is None else overdue.lower() in {"1", "true", "yes"},
    )
    now = store_now(store)
    return _json(
        {
            "dossiers": [
                {
                    "MaHoSo": r.code,
                    "TrangThaiHoSo": r.status,
                    "QuaHan": r.overdue(now),
                    "procedure": r.procedure.id,
                }
                for r in records
            ]
        }
    )


async def admin_set_status(request: web.Request) -> web.Response:
    store = request.app[STORE]
    code = request.match_info["code"].upper()
    if code not in store.records:
        return _error(404, "not_found", "Không tìm thấy hồ sơ")
    body = await request.json()
    try:
        rec = store.set_status(
            code, int(body["status"]), reason=body.get("reason"), documents=body.get("documents")
        )
        if body.get("due"):
            rec = store.set_due(code, datetime.fromisoformat(body["due"]))
    except (KeyError, ValueError) as exc:
        return _error(400, "bad_request", str(exc))
    return _json(rec.public(store_now(store)))


async def admin_advance(request: web.Request) -> web.Response:
    store = request.app[STORE]
    code = request.match_info["code"].upper()
    if code not in store.records:
        return _error(404, "not_found", "Không tìm thấy hồ sơ")
    rec = store.advance(code)
    if rec is None:
        return _error(409, "final", "Hồ sơ đã kết thúc")
    return _json(rec.public(store_now(store)))


async def admin_tick(request: web.Request) -> web.Response:
    body = await request.json() if request.can_read_body else {}
    moved = request.app[STORE].tick(int(body.get("count", 1)))
    return _json({"moved": moved})


async def _ticker(app: web.Application) -> AsyncIterator[None]:
    cfg = app[CONFIG]
    task = None
    if cfg.tick_s > 0:

        async def loop() -> None:
            while True:
                await asyncio.sleep(cfg.tick_s)
                app[STORE].tick(cfg.tick_count)

        task = asyncio.create_task(loop())
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app(config: SimulatorConfig | None = None) -> web.Application:
    cfg = config or SimulatorConfig()
    app = web.Application(middlewares=[fault_middleware])
    app[CONFIG] = cfg
    app[FAULTS] = cfg.faults
    app[STORE] = DossierStore(seed=cfg.seed, count=cfg.dossiers)
    app[STATS] = Counter()
    app[RNG] = random.Random()
    app.cleanup_ctx.append(_ticker)
    app.router.add_get("/health", health)
    app.router.add_get("/api/v1/dossiers/{code}", get_dossier)
    app.router.add_get("/api/v1/changes", get_changes)
    app.router.add_route("*", "/admin/faults", admin_faults)
    app.router.add_post("/admin/reset", admin_reset)
    app.router.add_route("*", "/admin/stats", admin_stats)
    app.router.add_get("/admin/dossiers", admin_list)
    app.router.add_post("/admin/dossiers/{code}/status", admin_set_status)
    app.router.add_post("/admin/dossiers/{code}/advance", admin_advance)
    app.router.add_post("/admin/tick", admin_tick)
    return app
