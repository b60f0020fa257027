"""The AWS endpoint's JSON protocol (`X-Amz-Target` requests) at the wire level: signatures in
strict mode, oversized and misaddressed requests, and HTTP/1.1 ordering when a client pipelines
JSON requests with S3 requests on one connection. The stack runs with --strict-signatures.
"""

import json
import socket
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import boto3
import pytest
import requests
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError


def signed(aws_endpoint, target, body=b"{}", secret="test", access_key="test"):
    request = AWSRequest(method="POST", url=aws_endpoint + "/", data=body,
                         headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(Credentials(access_key, secret), "dynamodb", "us-east-1").add_auth(request)
    return request


def wire(request, extra_headers=()):
    """An HTTP/1.1 request as bytes, exactly as signed."""
    url = urlparse(request.url)
    head = [f"{request.method} {url.path or '/'}{'?' + url.query if url.query else ''} HTTP/1.1",
            f"Host: {url.netloc}"]
    body = request.body or b""
    head += [f"{name}: {value}" for name, value in request.headers.items()]
    head += [f"Content-Length: {len(body)}", *extra_headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def read_response(stream):
    """(status, headers, body) of one response read from a socket's file object."""
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, value = line.decode().split(":", 1)
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while (size := int(stream.readline().strip(), 16)) > 0:
            body += stream.read(size)
            stream.readline()
        stream.readline()
    else:
        body = stream.read(int(headers.get("content-length", 0)))
    return status, headers, body


def connect(aws_endpoint):
    url = urlparse(aws_endpoint)
    return socket.create_connection((url.hostname, url.port), timeout=10)


def dynamodb_with(stack, access_key, secret):
    return boto3.client("dynamodb", endpoint_url=stack.aws, region_name="us-east-1",
                        aws_access_key_id=access_key, aws_secret_access_key=secret,
                        config=Config(retries={"max_attempts": 1}))


def test_wrong_secret_is_an_invalid_signature(stack):
    with pytest.raises(ClientError) as caught:
        dynamodb_with(stack, "test", "not-the-secret").list_tables()
    assert caught.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_access_key_is_an_unrecognized_client(stack):
    with pytest.raises(ClientError) as caught:
        dynamodb_with(stack, "AKIDNOTKNOWN", "test").list_tables()
    assert caught.value.response["Error"] == {
        "Code": "UnrecognizedClientException", "Message": "The security token included in the request is invalid."}


def test_unsigned_request_is_refused_in_strict_mode(aws_endpoint):
    reply = requests.post(aws_endpoint + "/", data=b"{}", headers={
        "X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"})
    assert reply.status_code == 400
    assert reply.json()["__type"] == "MissingAuthenticationToken"


def test_signed_body_must_match_its_signature(aws_endpoint):
    request = signed(aws_endpoint, "DynamoDB_20120810.ListTables", b"{}")
    reply = requests.post(aws_endpoint + "/", data=b'{"Limit": 1}', headers=dict(request.headers))
    assert reply.status_code == 400
    assert reply.json()["__type"] == "InvalidSignatureException"


def test_oversized_body_is_refused_and_the_connection_stays_usable(aws_endpoint):
    body = b'{"TableName": "' + b"x" * (16 * 1024 * 1024) + b'"}'
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(wire(signed(aws_endpoint, "DynamoDB_20120810.DescribeTable", body)))
        status, headers, answer = read_response(stream)
        assert status == 413
        assert json.loads(answer)["__type"] == "RequestEntityTooLarge"
        sock.sendall(wire(signed(aws_endpoint, "DynamoDB_20120810.ListTables")))
        status, _, answer = read_response(stream)
        assert status == 200 and "TableNames" in json.loads(answer)


def test_unknown_json_service_is_an_unknown_operation(aws_endpoint):
    request = signed(aws_endpoint, "AmazonSQS.SendMessage")
    reply = requests.post(aws_endpoint + "/", data=b"{}", headers=dict(request.headers))
    assert reply.status_code == 400
    assert reply.json()["__type"] == "UnknownOperationException"


def test_pipelined_requests_are_answered_in_order(aws_endpoint, s3, dynamodb):
    """JSON answers never overtake an S3 answer still being written, nor the other way round,
    whichever thread the DynamoDB answer comes from (writer queue, page reader, inline read)."""
    bucket, table = "pipelined-order", "pipelined-order"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="big", Body=b"b" * (4 * 1024 * 1024))
    dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    get = AWSRequest(method="GET", url=f"{aws_endpoint}/{bucket}/big", headers={})
    S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(get)
    put = json.dumps({"TableName": table, "Item": {"pk": {"S": "one"}}}).encode()
    query = json.dumps({"TableName": table, "KeyConditionExpression": "pk = :pk",
                        "ExpressionAttributeValues": {":pk": {"S": "one"}}}).encode()
    missing = json.dumps({"TableName": "no-such-pipelined-table"}).encode()
    batch = (wire(signed(aws_endpoint, "DynamoDB_20120810.PutItem", put)) + wire(get)
             + wire(signed(aws_endpoint, "DynamoDB_20120810.Query", query)) + wire(get)
             + wire(signed(aws_endpoint, "DynamoDB_20120810.DescribeTable", missing)))
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(batch)
        answers = [read_response(stream) for _ in range(5)]
    assert [status for status, _, _ in answers] == [200, 200, 200, 200, 400]
    assert json.loads(answers[0][2]) == {}
    assert answers[1][2] == b"b" * (4 * 1024 * 1024)
    assert json.loads(answers[2][2])["Items"] == [{"pk": {"S": "one"}}]
    assert answers[3][2] == b"b" * (4 * 1024 * 1024)
    assert json.loads(answers[4][2])["__type"].endswith("#ResourceNotFoundException")


def test_connection_close_is_honoured(aws_endpoint):
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(wire(signed(aws_endpoint, "DynamoDB_20120810.ListTables"), ["Connection: close"]))
        status, headers, _ = read_response(stream)
        assert status == 200 and headers["connection"] == "close"
        assert stream.read() == b""  # the server closed its end


def test_http_1_0_request_is_answered_then_closed(aws_endpoint):
    """HTTP/1.0 without `Connection: keep-alive` ends the connection after one answer."""
    raw = wire(signed(aws_endpoint, "DynamoDB_20120810.ListTables")).replace(b" HTTP/1.1\r\n", b" HTTP/1.0\r\n", 1)
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(raw)
        status, _, answer = read_response(stream)
        assert status == 200 and "TableNames" in json.loads(answer)
        assert stream.read() == b""  # the server closed its end


def test_expect_continue_is_answered_before_the_body(aws_endpoint):
    """A client that announces its body with `Expect: 100-continue` gets the interim response first."""
    request = signed(aws_endpoint, "DynamoDB_20120810.ListTables")
    raw = wire(request, ["Expect: 100-continue"])
    head, body = raw.split(b"\r\n\r\n", 1)
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(head + b"\r\n\r\n")
        assert stream.readline().split()[1] == b"100"
        assert stream.readline() == b"\r\n"
        sock.sendall(body)
        status, _, answer = read_response(stream)
        assert status == 200 and "TableNames" in json.loads(answer)


def s3_put(aws_endpoint, path, body):
    request = AWSRequest(method="PUT", url=aws_endpoint + path, data=body, headers={})
    S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(request)
    return request


def exchange_raw(aws_endpoint, raw):
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(raw)
        return read_response(stream)


@pytest.mark.parametrize("bad_head", [
    b"GET /bucket/\xff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\ndata",
    b"GET /bucket/key HTTP/1.1\r\nHost: x\r\nx-amz-meta-a: \x00\r\n\r\n",
])
def test_unparsable_request_gets_an_s3_error(aws_endpoint, bad_head):
    """Found by fuzzing: the HTTP parser's refusals were a bare 400 without a body."""
    status, headers, body = exchange_raw(aws_endpoint, bad_head)
    assert status == 400 and headers["connection"] == "close"
    assert ET.fromstring(body).findtext("Code") == "BadRequest"


def test_unparsable_request_is_answered_after_the_ones_before_it(aws_endpoint):
    listed = AWSRequest(method="GET", url=aws_endpoint + "/", headers={})
    S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(listed)
    with connect(aws_endpoint) as sock, sock.makefile("rb") as stream:
        sock.sendall(wire(listed) + wire(signed(aws_endpoint, "DynamoDB_20120810.ListTables"))
                     + b"GET /\xff HTTP/1.1\r\n\r\n")
        answers = [read_response(stream) for _ in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 400]
    assert "TableNames" in json.loads(answers[1][2])
    assert ET.fromstring(answers[2][2]).findtext("Code") == "BadRequest"


def test_broken_chunked_framing_gets_each_dialects_error(s3, aws_endpoint):
    """Found by fuzzing: a bad chunk size inside an S3 body was a 500 InternalError."""
    s3.create_bucket(Bucket="framing-bucket")
    put = s3_put(aws_endpoint, "/framing-bucket/key", b"data")
    status, _, body = exchange_raw(aws_endpoint, wire(put, ["Transfer-Encoding: chunked"]).replace(
        b"Content-Length: 4\r\n", b"").replace(b"\r\n\r\ndata", b"\r\n\r\nzz\r\ndata\r\n0\r\n\r\n"))
    assert status == 400 and ET.fromstring(body).findtext("Code") == "BadRequest"
    request = signed(aws_endpoint, "DynamoDB_20120810.ListTables")
    raw = wire(request, ["Transfer-Encoding: chunked"]).replace(b"Content-Length: 2\r\n", b"")
    status, _, body = exchange_raw(aws_endpoint, raw.replace(b"\r\n\r\n{}", b"\r\n\r\n2\r\n{}\r\nzz\r\n"))
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"


def test_transfer_codings_other_than_chunked_are_not_implemented(s3, aws_endpoint):
    """Found by fuzzing: `gzip, chunked` was accepted and the still-gzipped bytes stored."""
    s3.create_bucket(Bucket="transfer-coding")
    put = s3_put(aws_endpoint, "/transfer-coding/key", b"data")
    raw = wire(put, ["Transfer-Encoding: gzip, chunked"]).replace(b"Content-Length: 4\r\n", b"")
    status, _, body = exchange_raw(aws_endpoint, raw.replace(b"\r\n\r\ndata", b"\r\n\r\n4\r\ndata\r\n0\r\n\r\n"))
    assert status == 501
    error = ET.fromstring(body)
    assert error.findtext("Code") == "NotImplemented" and error.findtext("Header") == "Transfer-Encoding"
    assert "Contents" not in s3.list_objects_v2(Bucket="transfer-coding")
