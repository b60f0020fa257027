"""Process hygiene: no worker outlives Nimbus, whether it stops cleanly or is killed."""
import signal
import time

import requests

from conftest import Stack, worker_pids


def warm(stack):
    token = stack.token()
    for _ in range(2):
        assert requests.post(stack.gateway + "/api/echo", json={"message": "x"},
                             headers={"Authorization": f"Bearer {token}"}).status_code == 200


def wait_until_gone(marker, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline and worker_pids(marker):
        time.sleep(0.1)
    return worker_pids(marker)


def test_sigterm_drains_and_stops_every_worker():
    stack = Stack()
    try:
        warm(stack)
        marker = f"127.0.0.1:{stack.aws_port}"
        assert worker_pids(marker), "the echo worker should be running"
        stack.stop(signal.SIGTERM)
        assert stack.process.returncode == 0
        assert wait_until_gone(marker) == []
    finally:
        stack.cleanup()


def test_sigkill_of_nimbus_takes_its_workers_along():
    stack = Stack()
    try:
        warm(stack)
        marker = f"127.0.0.1:{stack.aws_port}"
        assert worker_pids(marker)
        stack.stop(signal.SIGKILL)
        assert wait_until_gone(marker) == []
    finally:
        stack.cleanup()
