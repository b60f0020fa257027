"""boto3's Lambda client against Nimbus's Invoke API, unchanged."""
import base64
import json

import pytest
from botocore.exceptions import ClientError


def invoke(client, name, payload, **kwargs):
    reply = client.invoke(FunctionName=name, Payload=json.dumps(payload).encode(), **kwargs)
    return reply, json.loads(reply["Payload"].read() or b"null")


def test_request_response_returns_the_handler_result(lambda_client):
    reply, body = invoke(lambda_client, "lambda-echo", {"body": json.dumps({"message": "boto3"})})
    assert reply["StatusCode"] == 200
    assert "FunctionError" not in reply
    assert json.loads(body["body"])["message"] == "Echo: boto3"
    assert reply["ExecutedVersion"] == "$LATEST"


def test_function_error_is_reported_as_aws_does(lambda_client):
    reply, body = invoke(lambda_client, "lambda-faulty", {"action": "error"})
    assert reply["StatusCode"] == 200
    assert reply["FunctionError"] == "Unhandled"
    assert body["errorType"] == "ValueError"
    assert body["errorMessage"] == "requested failure"


def test_log_tail_holds_the_invocation_lines(lambda_client):
    reply, _ = invoke(lambda_client, "lambda-faulty", {"action": "print", "text": "boto3-tail-marker"}, LogType="Tail")
    log = base64.b64decode(reply["LogResult"]).decode()
    assert "boto3-tail-marker" in log
    assert "END RequestId:" in log and "REPORT RequestId:" in log


@pytest.mark.parametrize("name", [
    "lambda-faulty",
    "000000000000:function:lambda-faulty",
    "arn:aws:lambda:us-east-1:000000000000:function:lambda-faulty",
    "arn:aws:lambda:us-east-1:000000000000:function:lambda-faulty:$LATEST",
])
def test_names_partial_and_full_arns(lambda_client, name):
    reply, body = invoke(lambda_client, name, {"action": "hello"})
    assert reply["StatusCode"] == 200
    assert json.loads(body["body"])["success"] is True


def test_unknown_function_is_resource_not_found(lambda_client):
    with pytest.raises(ClientError) as error:
        lambda_client.invoke(FunctionName="does-not-exist", Payload=b"{}")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_unknown_qualifier_is_resource_not_found(lambda_client):
    with pytest.raises(ClientError) as error:
        lambda_client.invoke(FunctionName="lambda-faulty", Qualifier="no-such-alias", Payload=b"{}")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_malformed_json_payload_is_rejected(lambda_client):
    with pytest.raises(ClientError) as error:
        lambda_client.invoke(FunctionName="lambda-faulty", Payload=b"{not json")
    assert error.value.response["Error"]["Code"] == "InvalidRequestContentException"


def test_event_and_dry_run_invocation_types(lambda_client):
    assert lambda_client.invoke(FunctionName="lambda-faulty", InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
    assert lambda_client.invoke(FunctionName="lambda-faulty", InvocationType="DryRun")["StatusCode"] == 204


def test_oversized_payload_is_rejected(lambda_client):
    with pytest.raises(ClientError) as error:
        lambda_client.invoke(FunctionName="lambda-faulty", Payload=json.dumps({"x": "a" * (6 * 1024 * 1024)}).encode())
    assert error.value.response["Error"]["Code"] == "RequestTooLargeException"


def test_invoke_api_is_served_on_the_gateway_port_too(stack):
    import boto3
    client = boto3.client("lambda", endpoint_url=stack.gateway, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    reply, body = invoke(client, "lambda-faulty", {"action": "hello"})
    assert json.loads(body["body"])["message"] == "hello"
