"""Seed 002's pool scenarios (ASC-001..006, STD-013, STD-017, STD-018) through the gateway."""
import concurrent.futures
import time

import pytest
import requests

from conftest import Stack


@pytest.fixture(scope="module")
def pool_stack():
    stack = Stack("--idle-timeout", "1.5", "--breaker-recovery", "2", "--max-workers", "3")
    stack.bearer = {"Authorization": "Bearer " + stack.token()}
    yield stack
    stack.stop()
    stack.cleanup()


def pool(stack, name):
    reply = requests.get(stack.gateway + "/metrics/pools", headers=stack.bearer)
    assert reply.status_code == 200
    entries = [p for p in reply.json()["pools"] if p["function_name"] == name]
    assert len(entries) == 1
    return entries[0]


def echo(stack, message):
    return requests.post(stack.gateway + "/api/echo", json={"message": message}, headers=stack.bearer)


def test_asc001_repeated_invocations_stay_within_capacity(pool_stack):
    first = echo(pool_stack, "autoscale-1")
    assert first.status_code == 200 and first.json()["message"] == "Echo: autoscale-1"
    assert pool(pool_stack, "lambda-echo")["total_workers"] >= 1
    second = echo(pool_stack, "autoscale-2")
    assert second.status_code == 200 and second.json()["message"] == "Echo: autoscale-2"
    entry = pool(pool_stack, "lambda-echo")
    assert entry["total_workers"] <= entry["max_capacity"]


@pytest.mark.parametrize("count, prefix", [(3, "concurrent-"), (10, "stress-")])
def test_asc002_asc003_concurrent_requests_all_succeed(pool_stack, count, prefix):
    with concurrent.futures.ThreadPoolExecutor(count) as executor:
        replies = list(executor.map(lambda i: echo(pool_stack, f"{prefix}{i}"), range(count)))
    assert [r.status_code for r in replies] == [200] * count
    assert all(r.json()["success"] is True and prefix in r.json()["message"] for r in replies)
    entry = pool(pool_stack, "lambda-echo")
    assert 1 <= entry["total_workers"] <= entry["max_capacity"]


def test_asc004_different_functions_do_not_block_each_other(pool_stack):
    def call(i):
        if i % 2:
            return echo(pool_stack, f"mixed-{i}")
        return requests.post(pool_stack.gateway + "/api/faulty", json={"action": "hello"}, headers=pool_stack.bearer)
    with concurrent.futures.ThreadPoolExecutor(4) as executor:
        replies = list(executor.map(call, range(4)))
    assert [r.status_code for r in replies] == [200] * 4
    assert pool(pool_stack, "lambda-echo")["total_workers"] >= 1
    assert pool(pool_stack, "lambda-faulty")["total_workers"] >= 1


def scaling(stack, message):
    return requests.post(stack.gateway + "/api/scaling", json={"message": message}, headers=stack.bearer)


def test_asc005_scale_to_zero_and_back(pool_stack):
    first = scaling(pool_stack, "scale-to-zero-test")
    assert first.status_code == 200 and first.json()["message"] == "scaling-test"
    deadline = time.time() + 10
    while time.time() < deadline and pool(pool_stack, "lambda-scaling")["total_workers"] != 0:
        time.sleep(0.2)
    assert pool(pool_stack, "lambda-scaling")["total_workers"] == 0
    again = scaling(pool_stack, "scale-to-zero-after")
    assert again.status_code == 200 and again.json()["message"] == "scaling-test"


def test_asc006_periodic_traffic_keeps_a_worker(pool_stack):
    assert scaling(pool_stack, "periodic-0").status_code == 200
    for i in range(6):  # 6 × 0.5 s spans two idle windows of 1.5 s
        time.sleep(0.5)
        reply = scaling(pool_stack, f"periodic-{i}")
        assert reply.status_code == 200 and reply.json()["message"] == "scaling-test"
        if i == 3:
            assert pool(pool_stack, "lambda-scaling")["total_workers"] >= 1


def test_std013_pool_and_container_metrics(pool_stack):
    assert echo(pool_stack, "metrics").status_code == 200
    entry = pool(pool_stack, "lambda-echo")
    for field in ["function_name", "total_workers", "idle", "busy", "provisioning", "max_capacity", "min_capacity", "acquire_timeout"]:
        assert field in entry
    reply = requests.get(pool_stack.gateway + "/metrics/containers", headers=pool_stack.bearer)
    assert reply.status_code == 200
    echo_workers = [c for c in reply.json()["containers"] if c["function_name"] == "lambda-echo"]
    assert echo_workers
    for worker in echo_workers:
        assert worker["state"] in {"RUNNING", "PAUSED"}
        assert worker["memory_max"] == 134217728
        assert worker["memory_current"] > 0
        assert worker["cpu_usage_ns"] >= 0


def test_metrics_need_a_token(pool_stack):
    assert requests.get(pool_stack.gateway + "/metrics/pools").status_code == 401


def faulty(stack, action):
    started = time.monotonic()
    reply = requests.post(stack.gateway + "/api/faulty", json={"action": action}, headers=stack.bearer)
    return reply, time.monotonic() - started


def test_std017_warm_path_serves_repeated_calls(pool_stack):
    for _ in range(3):
        assert faulty(pool_stack, "hello")[0].status_code == 200


def test_std018_circuit_breaker_opens_fails_fast_and_recovers(pool_stack):
    for _ in range(3):
        assert faulty(pool_stack, "crash")[0].status_code == 502
    reply, elapsed = faulty(pool_stack, "hello")
    assert reply.status_code == 502 and elapsed < 1.0
    assert reply.json()["errorType"] == "CircuitBreakerOpen"
    assert pool(pool_stack, "lambda-faulty")["breaker_state"] == "open"
    time.sleep(2.5)  # the recovery window is 2 s in this stack (seed: 10 s, waits 11 s)
    assert faulty(pool_stack, "hello")[0].status_code == 200
    assert pool(pool_stack, "lambda-faulty")["breaker_state"] == "closed"


def test_handled_errors_do_not_trip_the_breaker(pool_stack):
    for _ in range(4):
        assert faulty(pool_stack, "error")[0].status_code == 502
    assert faulty(pool_stack, "hello")[0].status_code == 200
