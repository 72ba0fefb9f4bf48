"""The simulator's data and behaviour (in process; the real-server tests are in test_onestop_*)."""

from __future__ import annotations

from collections import Counter

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.dossier_codes import find_codes
from simulator import DossierStore, Faults, SimulatorConfig, create_app
from simulator._data import PROCEDURES
from simulator._store import CursorExpired


def test_seeded_dossiers_cover_every_status_procedure_and_overdue():
    store = DossierStore(seed=1, count=300)
    records = list(store.records.values())
    assert len(records) == 300
    assert set(Counter(r.status for r in records)) == set(range(1, 11))
    assert {r.procedure.id for r in records} == {p.id for p in PROCEDURES} and len(PROCEDURES) == 20
    assert store.query(overdue=True)
    assert any(r.documents for r in records if r.status == 5)
    assert all(r.fees for r in records if r.status == 6)


def test_every_seeded_code_is_recognised_by_the_bot():
    store = DossierStore(seed=7, count=300)
    for code in store.records:
        assert [m.code for m in find_codes(code)] == [code]
        assert [m.code for m in find_codes(code.lower().replace("-", " - "))] == [code]
    assert any(not c[0].isdigit() for c in store.records)  # new-format codes too


def test_same_seed_same_dossiers():
    a, b = DossierStore(seed=3, count=50), DossierStore(seed=3, count=50)
    assert list(a.records) == list(b.records)


def test_transitions_and_change_log():
    store = DossierStore(seed=2, count=100)
    head = store.head
    moved = store.tick(5)
    assert moved
    items, cursor, more = store.changes(head, 100)
    assert [i["MaHoSo"] for i in items] == moved and not more
    items, cursor2, _ = store.changes(cursor, 100)
    assert items == [] and cursor2 == cursor
    finished = store.query(status=10)[0]
    assert store.advance(finished.code) is None
    store.reset()
    with pytest.raises(CursorExpired):
        store.changes(cursor, 10)


def test_fault_switch_validation():
    f = Faults()
    f.update({"latency_ms": "250", "outage": "true", "malformed_kind": "html"})
    assert f.latency_ms == 250.0 and f.outage is True
    with pytest.raises(ValueError):
        f.update({"nope": 1})
    with pytest.raises(ValueError):
        f.update({"malformed_kind": "weird"})


async def test_admin_endpoints_in_process():
    app = create_app(SimulatorConfig(seed=5, dossiers=40, tick_s=0))
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/health")).status == 200
        codes = (await (await client.get("/admin/dossiers?status=4")).json())["dossiers"]
        code = codes[0]["MaHoSo"]
        resp = await client.post(f"/admin/dossiers/{code}/status", json={"status": 6})
        assert (await resp.json())["TrangThaiHoSo"] == 6
        assert (await (await client.post(f"/admin/dossiers/{code}/advance")).json())[
            "TrangThaiHoSo"
        ] in (4, 9)
        resp = await client.get(f"/api/v1/dossiers/{code.lower()}")
        assert resp.status == 200
        assert (await client.get("/api/v1/dossiers/000.00.00.H49-000000-0000")).status == 404
        await client.put("/admin/faults", json={"outage": True})
        assert (await client.get(f"/api/v1/dossiers/{code}")).status == 503
        assert (await client.get("/health")).status == 200  # admin and health never fail
        assert (await (await client.get("/admin/stats")).json())["requests"] == 3
