"""With RATELIMIT_STORAGE_URI=redis://… the per-account login limit is one count for the
whole deployment: failures spread over two app servers add up (the Redis on this machine,
under a key prefix of this run, removed afterwards)."""

import contextlib
import shutil
import uuid

import pytest

from bench.serving import Client, prepare_database, serve
from tests.load.workload import INNOVATORS, PASSWORD

REDIS = "redis://127.0.0.1:6379"


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"incubator-test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_failed_logins_on_two_servers_add_up(redis_prefix, sqlite_template, tmp_path):
    path = tmp_path / "shared.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    prepare_database(url, migrate=False)
    env = {"RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_KEY_PREFIX": redis_prefix}
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(serve(url, workers=1, env=env)) for _ in range(2)]

        def attempt(n, email, password):
            client = Client(servers[n % 2].url)
            client.get("/login")
            return client.post("/login", {"email": email, "password": password})

        victim, other = INNOVATORS
        codes = [attempt(n, victim, "wrong-guess").status for n in range(6)]
        assert codes == [422] * 5 + [429]  # three failures on each server: one count
        refused = attempt(0, victim, PASSWORD)
        assert refused.status == 429
        assert int(refused.headers["Retry-After"]) > 800
        assert attempt(1, other, PASSWORD).status == 302
