"""Async invocations (boto3 `InvocationType="Event"`) are retried as AWS Lambda retries them: a
function error is retried `EventInvokeConfig.MaximumRetryAttempts` times, then the event is
discarded; a pending retry does not hold up shutdown. The fixture function (functions/flaky)
counts its attempts in the stack's DynamoDB table and fails the first `fail` of them."""
import json
import re
import subprocess
import time
import uuid

import pytest

from conftest import TEMPLATE, Stack, nimbus_binary

RETRY_DELAY = 1  # --async-retry-delay: seconds instead of AWS's 1 and 2 minutes


@pytest.fixture(scope="module")
def retry_stack():
    stack = Stack("--async-retry-delay", str(RETRY_DELAY))
    yield stack
    stack.stop()
    stack.cleanup()


def invoke_event(stack, function, fail):
    key = uuid.uuid4().hex
    reply = stack.client("lambda").invoke(
        FunctionName=function, InvocationType="Event", Payload=json.dumps({"key": key, "fail": fail}).encode())
    assert reply["StatusCode"] == 202
    return key, reply["ResponseMetadata"]["RequestId"]


def attempts(stack, key):
    """(attempts counted by the function, the request ids it saw)."""
    item = stack.client("dynamodb").get_item(
        TableName="e2e-test-table", Key={"id": {"S": "async-attempts/" + key}}, ConsistentRead=True).get("Item")
    return (int(item["attempts"]["N"]), set(item["request_ids"]["SS"])) if item else (0, set())


def log_line(stack, request_id, message, timeout=90):
    """The stack's log line with `message` for this invocation, waiting for it."""
    pattern = re.compile(rf"^.*invocation\.id={re.escape(request_id)}\b.*\] {re.escape(message)}$", re.MULTILINE)
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = pattern.search(stack.log_path.read_text())
        if found:
            return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no '{message}' for {request_id} in the log:\n" + stack.log_path.read_text()[-4000:])


@pytest.mark.parametrize("function, retries", [("lambda-async-retry", 2), ("lambda-async-once", 0)])
def test_a_failing_event_runs_once_plus_maximum_retry_attempts(retry_stack, function, retries):
    key, request_id = invoke_event(retry_stack, function, fail=5)
    discarded = log_line(retry_stack, request_id, "async event discarded")
    assert "discard.reason=retries exhausted" in discarded
    assert f"invocation.attempt={1 + retries}" in discarded
    assert f"function.name={function}" in discarded
    assert attempts(retry_stack, key) == (1 + retries, {request_id}), "every attempt carries the event's request id"
    retry_lines = re.findall(rf"^.*invocation\.id={re.escape(request_id)}\b.*async invocation failed; retrying$",
                             retry_stack.log_path.read_text(), re.MULTILINE)
    assert len(retry_lines) == retries
    assert all("error=function error RuntimeError" in line for line in retry_lines)


def test_an_event_that_fails_once_succeeds_on_its_retry(retry_stack):
    key, request_id = invoke_event(retry_stack, "lambda-async-retry", fail=1)
    log_line(retry_stack, request_id, "async invocation failed; retrying")
    deadline = time.time() + 60
    while time.time() < deadline and attempts(retry_stack, key)[0] < 2:
        time.sleep(0.2)
    # Long enough for a wrongful third attempt to show.
    time.sleep(RETRY_DELAY * 5)
    assert attempts(retry_stack, key) == (2, {request_id})
    assert "async event discarded" not in "\n".join(
        line for line in retry_stack.log_path.read_text().splitlines() if request_id in line)


def test_a_pending_retry_does_not_hold_up_shutdown():
    stack = Stack("--async-retry-delay", "600")
    try:
        _, request_id = invoke_event(stack, "lambda-async-retry", fail=5)
        log_line(stack, request_id, "async invocation failed; retrying")
        started = time.time()
        stack.stop(timeout=120)
        assert stack.process.returncode == 0, "SIGTERM should stop the stack well before the 600 s retry"
        assert time.time() - started < 120
        dropped = log_line(stack, request_id, "async event discarded: pending retry dropped", timeout=1)
        assert "discard.reason=shutting down" in dropped
    finally:
        stack.cleanup()


def test_a_negative_retry_delay_is_refused():
    result = subprocess.run([nimbus_binary(), "up", str(TEMPLATE), "--async-retry-delay=-1"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "--async-retry-delay must be 0 or more seconds" in result.stdout + result.stderr
