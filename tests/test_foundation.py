"""Model cache key, local Redis start-up and the Rasa endpoint configuration."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import yaml

from bot.launcher import child_env, free_port
from bot.redis_local import is_reachable, redis_address, start_redis
from bot.settings import PROJECT_ROOT, Settings
from bot.training import inputs_hash


def _copy_inputs(dst: Path) -> None:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, dst / name)
    (dst / "nlu_data").mkdir()
    (dst / "nlu_data" / "nlu.yml").write_text("version: '3.1'\nnlu: []\n")


def test_model_hash_changes_with_training_data(tmp_path: Path) -> None:
    _copy_inputs(tmp_path)
    before = inputs_hash(tmp_path)
    assert inputs_hash(tmp_path) == before  # stable
    (tmp_path / "nlu_data" / "nlu.yml").write_text("version: '3.1'\nnlu: [] # edited\n")
    assert inputs_hash(tmp_path) != before


def test_model_hash_ignores_bytecode(tmp_path: Path) -> None:
    _copy_inputs(tmp_path)
    (tmp_path / "bot" / "nlu" / "__pycache__").mkdir(parents=True)
    before = inputs_hash(tmp_path)
    (tmp_path / "bot" / "nlu" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert inputs_hash(tmp_path) == before


def test_redis_address_parsing() -> None:
    assert redis_address("redis://:s3cret@10.0.0.5:6380/3") == ("10.0.0.5", 6380, 3, "s3cret")
    assert redis_address("redis://localhost") == ("localhost", 6379, 0, "")


def test_local_redis_starts_with_aof(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    assert not is_reachable(url)
    proc = start_redis(url, data_dir=tmp_path)
    try:
        assert is_reachable(url)
        host, port, _, _ = redis_address(url)
        with socket.create_connection((host, port)) as sock:
            sock.sendall(b"CONFIG GET appendonly\r\n")
            assert b"yes" in sock.recv(256)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_endpoints_use_redis_stores_with_prefixes() -> None:
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    assert endpoints["tracker_store"]["type"] == "redis"
    assert endpoints["lock_store"]["type"] == "redis"
    # Rasa only accepts alphanumeric prefixes (it silently falls back otherwise).
    assert endpoints["tracker_store"]["key_prefix"].isalnum()
    assert endpoints["lock_store"]["key_prefix"].isalnum()


def test_child_env_derives_rasa_variables() -> None:
    s = Settings.from_env({"REDIS_URL": "redis://:pw@127.0.0.1:6390/4"})
    env = child_env(s)
    assert (env["REDIS_HOST"], env["REDIS_PORT"], env["REDIS_DB"], env["REDIS_PASSWORD"]) == (
        "127.0.0.1",
        "6390",
        "4",
        "pw",
    )
    assert str(PROJECT_ROOT) in env["PYTHONPATH"].split(":")
