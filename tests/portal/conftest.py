"""A private redis-server per test that stops and starts it (the outage tests and the drill),
and a cache that cannot reach any Redis."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

from portal import cache as portal_cache

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of our own on a spare port, with its snapshot in `directory`."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_connect_timeout=1, socket_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--dir", str(self.directory), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.exceptions.RedisError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self, *, save: bool = False) -> None:
        """Stop it; with save=True its keys are written first and come back at start."""
        if self.process is None:
            return
        if save:
            self.client().save()
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def needs_redis_server():
    if not shutil.which(REDIS_SERVER):
        pytest.skip("needs the redis-server binary: apt-get install redis-server")


@pytest.fixture
def redis_server(needs_redis_server, tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_cache_state():
    """Each test starts as a new process would: no outage, no generation known."""
    portal_cache._states.clear()
    yield
    portal_cache._states.clear()


def resilient(location: str, **options) -> dict:
    return {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": location, "OPTIONS": options}


@pytest.fixture
def unreachable_cache(settings):
    """The default cache points at a port nothing listens on: every call fails to connect."""
    settings.CACHES = {**settings.CACHES, "default": resilient(f"redis://127.0.0.1:{free_port()}/0")}
    from django.core.cache import caches

    return caches["default"]
