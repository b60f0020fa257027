"""The official AWS runtime interface client (awslambdaric, from PyPI) as the python bootstrap:
it must run against Nimbus's Runtime API exactly as against AWS's."""
import json

import pytest
import requests

from conftest import Stack


@pytest.fixture(scope="module")
def ric_stack():
    pytest.importorskip("awslambdaric", reason="pip install awslambdaric (.ci/run installs it)")
    stack = Stack("--python-bootstrap", "awslambdaric")
    yield stack
    stack.stop()
    stack.cleanup()


def invoke(stack, name, payload):
    client = stack.client("lambda")
    reply = client.invoke(FunctionName=name, Payload=json.dumps(payload).encode())
    return reply, json.loads(reply["Payload"].read())


def test_success(ric_stack):
    reply, body = invoke(ric_stack, "lambda-echo", {"body": json.dumps({"message": "ric"})})
    assert "FunctionError" not in reply
    assert json.loads(body["body"])["message"] == "Echo: ric"


def test_handled_error(ric_stack):
    reply, body = invoke(ric_stack, "lambda-faulty", {"action": "error"})
    assert reply["FunctionError"] == "Unhandled"
    assert body["errorType"] == "ValueError"
    assert body["errorMessage"] == "requested failure"


def test_timeout(ric_stack):
    reply, body = invoke(ric_stack, "lambda-faulty", {"action": "sleep", "seconds": 30})
    assert reply["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Sandbox.Timedout"
    # The worker was replaced: the next call succeeds.
    reply, body = invoke(ric_stack, "lambda-faulty", {"action": "hello"})
    assert "FunctionError" not in reply


def test_context_from_runtime_headers(ric_stack):
    _, body = invoke(ric_stack, "lambda-faulty", {"action": "context"})
    assert body["function_name"] == "lambda-faulty"
    assert body["invoked_function_arn"].endswith(":function:lambda-faulty")
    assert 0 < body["remaining_ms"] <= 1000


def test_import_error(ric_stack):
    reply, body = invoke(ric_stack, "lambda-broken-import", {})
    assert reply["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Runtime.ImportModuleError"


def test_gateway_echo_contract(ric_stack):
    reply = requests.post(ric_stack.gateway + "/api/echo", json={"message": "smoke-ric"},
                          headers={"Authorization": "Bearer " + ric_stack.token()})
    assert reply.status_code == 200
    assert reply.json()["message"] == "Echo: smoke-ric"
