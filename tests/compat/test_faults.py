"""Fault tests of the pools (issue 4): bursts beyond capacity, workers killed mid-invocation."""
import concurrent.futures
import os
import signal
import threading
import time

import requests


def bearer(stack):
    return {"Authorization": "Bearer " + stack.token()}


def test_burst_of_200_on_a_two_worker_function_loses_nothing(stack):
    headers = bearer(stack)

    def call(i):
        reply = requests.post(stack.gateway + "/api/scaling", json={"message": f"burst-{i}"}, headers=headers, timeout=60)
        return reply.status_code, reply.json()

    with concurrent.futures.ThreadPoolExecutor(200) as executor:
        replies = list(executor.map(call, range(200)))
    assert [status for status, _ in replies] == [200] * 200
    assert all(body["message"] == "scaling-test" for _, body in replies)
    pools = requests.get(stack.gateway + "/metrics/pools", headers=headers).json()["pools"]
    entry = next(p for p in pools if p["function_name"] == "lambda-scaling")
    assert entry["max_capacity"] == 2
    assert entry["total_workers"] <= 2
    assert entry["queue_length"] == 0


def worker_pids(stack, headers, function):
    containers = requests.get(stack.gateway + "/metrics/containers", headers=headers).json()["containers"]
    return [c["pid"] for c in containers if c["function_name"] == function and c["pid"]]


def test_worker_killed_mid_invocation_is_an_exit_error_and_is_replaced(stack):
    headers = bearer(stack)
    client = stack.client("lambda")
    assert client.invoke(FunctionName="lambda-faulty", Payload=b'{"action":"hello"}')["StatusCode"] == 200
    result = {}

    def slow_call():
        reply = client.invoke(FunctionName="lambda-faulty", Payload=b'{"action":"sleep","seconds":0.9}')
        result["reply"] = reply
        result["body"] = reply["Payload"].read()

    thread = threading.Thread(target=slow_call)
    thread.start()
    deadline = time.time() + 5
    busy = []
    while time.time() < deadline and not busy:
        containers = requests.get(stack.gateway + "/metrics/containers", headers=headers).json()["containers"]
        busy = [c["pid"] for c in containers if c["function_name"] == "lambda-faulty" and c["activity"] == "busy"]
        time.sleep(0.02)
    assert busy, "the slow invocation never became busy"
    os.killpg(busy[0], signal.SIGKILL)
    thread.join(10)
    assert result["reply"]["FunctionError"] == "Unhandled"
    assert b"Runtime.ExitError" in result["body"]
    after = client.invoke(FunctionName="lambda-faulty", Payload=b'{"action":"hello"}')
    assert "FunctionError" not in after
