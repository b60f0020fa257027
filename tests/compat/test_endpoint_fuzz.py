"""Seeded fuzzing of the AWS endpoint's bad-input handling (S3 and DynamoDB).

Malformed requests are made from valid ones by mutation and by small grammar-aware generators,
signed like a real client's so they reach the service code, and sent one per connection. Every
reply must come (no dropped connection, no hang), must not be a 5xx, and an error must be in the
service's dialect: DynamoDB JSON with `__type` and a message, S3 XML `<Error><Code>…`. The stack
must stay healthy and the data written before the fuzzing must be intact afterwards.

The seed is NIMBUS_FUZZ_SEED (a fixed default, so CI runs are repeatable); NIMBUS_FUZZ_SCALE
multiplies the number of generated cases for a longer local run.
"""

import base64
import copy
import hashlib
import hmac
import json
import os
import random
import re
import socket
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
import requests
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SEED = int(os.environ.get("NIMBUS_FUZZ_SEED", "20250611"))
SCALE = float(os.environ.get("NIMBUS_FUZZ_SCALE", "1"))
CREDENTIALS = Credentials("test", "test")
TABLE, SENTINEL_TABLE = "fuzz-items", "fuzz-sentinel"
BUCKET, SENTINEL_BUCKET = "fuzz-target", "fuzz-sentinel"


def cases(count):
    return max(1, int(count * SCALE))


# ---------------------------------------------------------------------------------------------
# The wire: one raw HTTP/1.1 exchange per connection, so drops and hangs are seen as such.

@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes


class Dropped(Exception):
    pass


def exchange(endpoint, method, target, headers, body=b"", content_length=True, timeout=20):
    """Sends one request (`target` may be bytes that are not UTF-8) and reads the reply to EOF."""
    url = urlparse(endpoint)
    target = target if isinstance(target, bytes) else target.encode()
    lines = [method.encode() + b" " + target + b" HTTP/1.1", f"Host: {url.netloc}".encode()]
    lines += [f"{name}: {value}".encode("utf-8", "surrogateescape") for name, value in headers.items()
              if name.lower() != "host"]
    if content_length:
        lines.append(f"Content-Length: {len(body)}".encode())
    lines.append(b"Connection: close")
    raw = b"\r\n".join(lines) + b"\r\n\r\n" + body
    try:
        with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
            sock.sendall(raw)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
    except socket.timeout as error:
        raise Dropped(f"no reply within {timeout}s") from error
    except OSError as error:
        if not received:
            raise Dropped(str(error)) from error
    if not received:
        raise Dropped("connection closed without a reply")
    head, _, rest = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    reply_headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        reply_headers[name.strip().lower()] = value.strip()
    if reply_headers.get("transfer-encoding") == "chunked":
        rest = dechunk(rest)
    elif "content-length" in reply_headers and method != "HEAD":
        rest = rest[:int(reply_headers["content-length"])]  # a broken request may get a second answer
    return Reply(int(status_line.split()[1]), reply_headers, rest)


def dechunk(data):
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2:]
    return out


def dynamodb_headers(endpoint, operation, body, prefix="DynamoDB_20120810"):
    request = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
        "X-Amz-Target": f"{prefix}.{operation}", "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(CREDENTIALS, "dynamodb", "us-east-1").add_auth(request)
    return dict(request.headers.items())


def s3_headers(endpoint, method, target, headers, body):
    """SigV4 headers for an S3 request; `target` (path and query) is signed exactly as sent."""
    request = AWSRequest(method=method, url=endpoint + target, data=body, headers=headers)
    S3SigV4Auth(CREDENTIALS, "s3", "us-east-1").add_auth(request)
    return dict(request.headers.items())


# ---------------------------------------------------------------------------------------------
# The judge: what a reply to a bad request may and may not be.

def problem_with(reply, dialect, must_fail, method="POST"):
    """Why `reply` breaks the promise, or None."""
    if reply.status >= 500 and not (dialect == "s3" and reply.status == 501):
        return f"status {reply.status}: {reply.body[:300]!r}"
    if must_fail and reply.status < 400:
        return f"accepted with {reply.status}"
    if reply.status < 400 or method == "HEAD":
        return None
    if dialect == "json":
        try:
            document = json.loads(reply.body)
        except ValueError:
            return f"not JSON: {reply.body[:300]!r}"
        if not isinstance(document, dict) or "__type" not in document or not {"message", "Message"} & document.keys():
            return f"not a DynamoDB error: {reply.body[:300]!r}"
        return None
    try:
        # S3 writes control characters as character references, which XML 1.0 parsers refuse.
        root = ET.fromstring(re.sub(rb"&#x?[0-9a-fA-F]+;", b"", reply.body))
    except ET.ParseError:
        return f"status {reply.status} without an XML error: {reply.body[:300]!r}"
    if root.tag != "Error" or not root.findtext("Code") or root.find("Message") is None:
        return f"not an S3 error: {reply.body[:300]!r}"
    return None


class Fuzzer:
    """Sends cases, checks every reply, checks health every few requests and after any drop."""

    def __init__(self, stack, name):
        self.stack, self.rng, self.problems, self.sent = stack, random.Random(f"{SEED}:{name}"), [], 0
        self.statuses = {}

    def dynamodb(self, case, operation, body, must_fail=False, prefix="DynamoDB_20120810"):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        headers = dynamodb_headers(self.stack.aws, operation, body, prefix)
        self._send(case, "json", must_fail, "POST", "/", headers, body)

    def s3(self, case, method, target, headers=None, body=b"", must_fail=False, sign=True, content_length=True):
        headers = dict(headers or {})
        if sign:
            headers = s3_headers(self.stack.aws, method, target, headers, body)
        self._send(case, "s3", must_fail, method, target, headers, body, content_length)

    def _send(self, case, dialect, must_fail, method, target, headers, body, content_length=True):
        self.sent += 1
        try:
            reply = exchange(self.stack.aws, method, target, headers, body, content_length)
        except Dropped as error:
            self.problems.append(f"{case}: {error}")
            self.check_health(case)
            return
        self.statuses[reply.status] = self.statuses.get(reply.status, 0) + 1
        if problem := problem_with(reply, dialect, must_fail, method):
            self.problems.append(f"{case}: {problem}")
        if self.sent % 25 == 0:
            self.check_health(case)

    def check_health(self, case):
        try:
            healthy = requests.get(self.stack.gateway + "/health", timeout=10).status_code == 200
        except requests.RequestException:
            healthy = False
        assert healthy, f"the stack stopped answering /health after {case!r}; earlier problems: {self.problems[-5:]}"

    def finish(self):
        self.check_health("the last case")
        assert not self.problems, f"{len(self.problems)} of {self.sent} replies broke the promise:\n" + "\n".join(
            self.problems[:40])


@pytest.fixture(scope="module")
def fuzz_data(stack):
    """The fuzz targets, and the sentinel data no fuzz case addresses: it must survive unchanged."""
    dynamodb, s3 = stack.client("dynamodb"), stack.client("s3")
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                     {"AttributeName": "sk", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                {"AttributeName": "sk", "AttributeType": "N"}])
    dynamodb.create_table(TableName=SENTINEL_TABLE, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    items = [{"pk": {"S": f"sentinel-{i}"}, "n": {"N": str(i * 7)}, "doc": {"M": {"l": {"L": [{"S": "x" * i}]}}}}
             for i in range(5)]
    for item in items:
        dynamodb.put_item(TableName=SENTINEL_TABLE, Item=item)
    for i in range(5):
        dynamodb.put_item(TableName=TABLE, Item=dict(SAMPLE_ITEM, sk={"N": str(i)}))
    s3.create_bucket(Bucket=BUCKET)
    s3.create_bucket(Bucket=SENTINEL_BUCKET)
    objects = {f"sentinel/{i}": os.urandom(1000 * i + 1) for i in range(5)}
    for key, data in objects.items():
        s3.put_object(Bucket=SENTINEL_BUCKET, Key=key, Body=data)
    for key in ("obj", "dir/obj2"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"0123456789" * 100)
    return {"items": items, "objects": objects, "log_offset": stack.log_path.stat().st_size}


# ---------------------------------------------------------------------------------------------
# DynamoDB: valid requests, and ways to break them.

KEY = {"pk": {"S": "p1"}, "sk": {"N": "1"}}
SAMPLE_ITEM = {"pk": {"S": "p1"}, "sk": {"N": "1"}, "name": {"S": "n"}, "tags": {"SS": ["a", "b"]},
               "nums": {"NS": ["1", "2.5"]}, "bin": {"B": "AAEC"}, "nothing": {"NULL": True},
               "doc": {"M": {"list": {"L": [{"N": "1"}, {"BOOL": True}]}}}}
NAMES = {"#n": "name", "#d": "doc"}
VALUES = {":v": {"S": "x"}, ":one": {"N": "1"}, ":p": {"S": "p1"}, ":lo": {"N": "0"}, ":hi": {"N": "9"},
          ":tags": {"SS": ["c"]}, ":l": {"L": [{"S": "y"}]}}


def valid_requests():
    """One valid request per operation the fuzzing exercises, all against TABLE."""
    condition = {"ConditionExpression": "attribute_not_exists(#n) OR #n <> :v",
                 "ExpressionAttributeNames": {"#n": "name"}, "ExpressionAttributeValues": {":v": {"S": "x"}}}
    update = {"TableName": TABLE, "Key": KEY, "ReturnValues": "ALL_NEW",
              "UpdateExpression": "SET #n = :v, c = if_not_exists(c, :one) + :one, #d.list = list_append(#d.list, :l) "
                                  "REMOVE nothing ADD tags :tags",
              "ConditionExpression": "size(#n) < :one OR attribute_exists(pk)",
              "ExpressionAttributeNames": NAMES,
              "ExpressionAttributeValues": {k: VALUES[k] for k in (":v", ":one", ":tags", ":l")}}
    query = {"TableName": TABLE, "KeyConditionExpression": "pk = :p AND sk BETWEEN :lo AND :hi",
             "FilterExpression": "contains(tags, :v) OR begins_with(#n, :v)", "ProjectionExpression": "pk, sk, #n",
             "ExpressionAttributeNames": {"#n": "name"},
             "ExpressionAttributeValues": {k: VALUES[k] for k in (":p", ":lo", ":hi", ":v")},
             "Limit": 3, "ScanIndexForward": False, "ExclusiveStartKey": KEY, "ReturnConsumedCapacity": "TOTAL"}
    return {
        "PutItem": {"TableName": TABLE, "Item": SAMPLE_ITEM, "ReturnValues": "ALL_OLD", **condition},
        "GetItem": {"TableName": TABLE, "Key": KEY, "ProjectionExpression": "#n, #d.list[1]",
                    "ExpressionAttributeNames": NAMES, "ConsistentRead": True},
        "UpdateItem": update,
        "DeleteItem": {"TableName": TABLE, "Key": {"pk": {"S": "p2"}, "sk": {"N": "2"}}, **condition},
        "Query": query,
        "Scan": {"TableName": TABLE, "Limit": 4, "Segment": 1, "TotalSegments": 3, "Select": "ALL_ATTRIBUTES",
                 "FilterExpression": "attribute_type(#n, :v)", "ExpressionAttributeNames": {"#n": "name"},
                 "ExpressionAttributeValues": {":v": {"S": "S"}}},
        "BatchWriteItem": {"RequestItems": {TABLE: [{"PutRequest": {"Item": dict(SAMPLE_ITEM, sk={"N": "7"})}},
                                                    {"DeleteRequest": {"Key": {"pk": {"S": "p1"}, "sk": {"N": "8"}}}}]}},
        "BatchGetItem": {"RequestItems": {TABLE: {"Keys": [KEY, {"pk": {"S": "p1"}, "sk": {"N": "2"}}],
                                                  "ProjectionExpression": "pk, sk"}}},
        "TransactWriteItems": {"ClientRequestToken": "token-1", "TransactItems": [
            {"Put": {"TableName": TABLE, "Item": dict(SAMPLE_ITEM, sk={"N": "3"})}},
            {"Update": {k: v for k, v in update.items() if k != "ReturnValues"}},
            {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": {"S": "p1"}, "sk": {"N": "0"}},
                                "ConditionExpression": "attribute_exists(pk)"}},
            {"Delete": {"TableName": TABLE, "Key": {"pk": {"S": "p1"}, "sk": {"N": "4"}}}}]},
        "TransactGetItems": {"TransactItems": [{"Get": {"TableName": TABLE, "Key": KEY}}]},
        "CreateTable": {"TableName": "fuzz-created", "BillingMode": "PAY_PER_REQUEST",
                        "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
                        "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"},
                                                 {"AttributeName": "r", "AttributeType": "B"},
                                                 {"AttributeName": "g", "AttributeType": "N"}],
                        "GlobalSecondaryIndexes": [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}]},
        "UpdateTable": {"TableName": TABLE, "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
                        "GlobalSecondaryIndexUpdates": [{"Create": {
                            "IndexName": "fuzz-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": "KEYS_ONLY"}}}]},
        "DescribeTable": {"TableName": TABLE},
        "ListTables": {"Limit": 5, "ExclusiveStartTableName": "a"},
        "UpdateTimeToLive": {"TableName": TABLE, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires"}},
        "TagResource": {"ResourceArn": f"arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}",
                        "Tags": [{"Key": "k", "Value": "v"}]},
    }


def nested(depth, leaf):
    for _ in range(depth):
        leaf = {"L": [leaf]}
    return leaf


def evil_value(rng):
    """A JSON value that is wrong for most places in a request: wrong type, edge number, bad attribute value."""
    return rng.choice([
        None, True, 0, -1, 2 ** 63, 10 ** 40, 1.5e308, "", "\u0000", "\ud800", "x" * 70000, "e\u0301\U0001F600",
        [], [None], [[]], {}, {"": None}, {"S": ""}, {"S": "a", "N": "1"}, {"N": "1e999999"}, {"N": "-1e-999999"},
        {"N": "1" * 39}, {"N": "0." + "0" * 130 + "1"}, {"N": "NaN"}, {"N": "Infinity"}, {"N": " 1"}, {"N": "1_000"},
        {"N": "--1"}, {"N": "1e"}, {"N": ""}, {"SS": []}, {"SS": ["a", "a"]}, {"NS": ["1", "1.0"]}, {"NS": ["x"]},
        {"BS": ["AA==", "AA=="]}, {"B": "not base64!"}, {"B": "A"}, {"NULL": False}, {"BOOL": "true"},
        {"M": {"": {"S": "x"}}}, {"M": {"k" * 70000: {"S": "x"}}}, {"L": [None]}, {"M": None}, nested(40, {"S": "x"}),
        nested(300, {}), {"S": "x" * 500_000},
    ])


def walk(node, parent=None, key=None):
    """Every (container, key) slot of a JSON document, the root's as (None, None)."""
    yield parent, key
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for child_key, child in list(children):
        yield from walk(child, node, child_key)


def mutate_json(rng, document):
    """A copy of `document` with one slot replaced, removed, renamed or wrapped; and what was done."""
    document = copy.deepcopy(document)
    slots = [slot for slot in walk(document) if slot[0] is not None]
    parent, key = rng.choice(slots)
    action = rng.choice(["replace", "replace", "remove", "rename", "wrap"])
    if action == "replace":
        parent[key] = value = evil_value(rng)
        return document, f"{key!r} := {json.dumps(value)[:60]}"
    if action == "remove":
        del parent[key]
        return document, f"{key!r} removed"
    if action == "rename" and isinstance(parent, dict):
        name = rng.choice(["", "\u0000", "x" * 300, "S", "N", "pk", "#bad", ":bad", "\U0001F600"])
        parent[name] = parent.pop(key)
        return document, f"{key!r} renamed {name[:20]!r}"
    parent[key] = rng.choice([[parent[key]], {"M": parent[key]}, {"S": parent[key]}, {"L": parent[key]}])
    return document, f"{key!r} wrapped"


JUNK_BYTES = [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\",
              b"\\u12", b"\\ud800", b"1e999999", b"-", b"nul", b"\t", b"\x7f", b"\xf4\x90\x80\x80"]


def mutate_bytes(rng, data):
    """`data` truncated, with junk inserted, or with one byte changed."""
    position = rng.randrange(len(data) + 1)
    action = rng.choice(["truncate", "insert", "insert", "flip"])
    if action == "truncate":
        return data[:position], f"truncated at {position}"
    if action == "insert":
        junk = rng.choice(JUNK_BYTES)
        return data[:position] + junk + data[position:], f"{junk!r} inserted at {position}"
    position = min(position, len(data) - 1)
    return data[:position] + bytes([rng.randrange(256)]) + data[position + 1:], f"byte {position} changed"


# Expression grammar pieces: names, placeholders, paths, operators, keywords and functions.
PATHS = ["pk", "sk", "#n", "#d.list[0]", "a.b.c", "#undefined", "doc.list[99999999999999999999]", "doc.list[-1]",
         "tags[0]", "x" + ".y" * 40, "a" * 300, "name", "#n[1]", "doc. list", "doc..list", "doc[", "[0]", "#", ":"]
OPERANDS = [":v", ":one", ":undefined", ":l", ":tags", "size(#n)", "if_not_exists(#n, :v)", "list_append(:l, :l)"]
COMPARATORS = ["=", "<>", "<", "<=", ">", ">=", "==", "!="]
FUNCTIONS = ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size",
             "if_not_exists", "list_append", "nosuch"]
TOKENS = PATHS + OPERANDS + COMPARATORS + [f + "(" for f in FUNCTIONS] + [
    "(", ")", "[", "]", ",", ".", "+", "-", "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE",
    "0", "99999999999999999999", "é", "$", "\x00", "\"", "'"]


def random_condition(rng, depth=0):
    """A condition from the grammar, sometimes with a wrong piece in it."""
    path, operand = rng.choice(PATHS), rng.choice(OPERANDS + PATHS)
    forms = [lambda: f"{path} {rng.choice(COMPARATORS)} {operand}",
             lambda: f"{rng.choice(FUNCTIONS)}({', '.join(rng.choice(PATHS + OPERANDS) for _ in range(rng.randint(0, 3)))})",
             lambda: f"{path} BETWEEN {rng.choice(OPERANDS)} AND {rng.choice(OPERANDS)}",
             lambda: f"{path} IN ({', '.join(rng.choice(OPERANDS) for _ in range(rng.randint(0, 101)))})"]
    if depth < 4:
        forms += [lambda: f"({random_condition(rng, depth + 1)})", lambda: f"NOT {random_condition(rng, depth + 1)}",
                  lambda: f"{random_condition(rng, depth + 1)} {rng.choice(['AND', 'OR'])} {random_condition(rng, depth + 1)}"]
    return rng.choice(forms)()


def random_update(rng):
    def action(keyword):
        path = rng.choice(PATHS)
        if keyword == "SET":
            value = rng.choice(OPERANDS + PATHS)
            return f"{path} = {value}" + rng.choice(["", f" + {rng.choice(OPERANDS)}", f" - {rng.choice(OPERANDS)}"])
        return path if keyword == "REMOVE" else f"{path} {rng.choice(OPERANDS)}"
    clauses = rng.sample(["SET", "REMOVE", "ADD", "DELETE", rng.choice(["SET", "set", "UPDATE"])], rng.randint(1, 3))
    return " ".join(f"{k} " + ", ".join(action(k.upper()) for _ in range(rng.randint(1, 3))) for k in clauses)


def random_expression(rng, grammar):
    """A grammar-made expression, a token soup, or a grammar-made one with tokens dropped or added."""
    choice = rng.randrange(4)
    if choice == 0:
        return " ".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 15)))
    text = grammar(rng)
    if choice == 1:
        return text
    tokens = text.split(" ")
    position = rng.randrange(len(tokens) + 1)
    if choice == 2 and tokens:
        del tokens[min(position, len(tokens) - 1)]
    else:
        tokens.insert(position, rng.choice(TOKENS))
    return " ".join(tokens)


def expression_request(rng):
    """A request carrying a fuzzed expression in one of its expression slots."""
    values = {**VALUES, ":v": evil_value(rng) if rng.random() < 0.2 else VALUES[":v"]}
    placeholders = {"ExpressionAttributeNames": {**NAMES, "#p": "pk"}, "ExpressionAttributeValues": values}
    slot = rng.choice(["condition", "update", "key", "filter", "projection"])
    if slot == "update":
        return "UpdateItem", {"TableName": TABLE, "Key": KEY, "UpdateExpression": random_expression(rng, random_update),
                              "ConditionExpression": random_condition(rng), **placeholders}
    if slot == "key":
        return "Query", {"TableName": TABLE, "KeyConditionExpression": random_expression(rng, random_condition),
                         **placeholders}
    if slot == "filter":
        return rng.choice(["Query", "Scan"]), {
            "TableName": TABLE, "KeyConditionExpression": "pk = :p",
            "FilterExpression": random_expression(rng, random_condition), **placeholders}
    if slot == "projection":
        paths = ", ".join(rng.choice(PATHS) for _ in range(rng.randint(0, 4)))
        return "GetItem", {"TableName": TABLE, "Key": KEY, "ProjectionExpression": paths,
                           "ExpressionAttributeNames": {**NAMES, "#p": "pk"}}
    return rng.choice(["PutItem", "DeleteItem"]), {
        "TableName": TABLE, "Item": SAMPLE_ITEM, "Key": KEY, "ConditionExpression": random_expression(rng, random_condition),
        **placeholders}


def dynamodb_edge_cases():
    """Hand-picked requests that must each be refused: limits, segments, keys, schemas, batch sizes."""
    for limit in (0, -1, 2 ** 31, 2 ** 32 + 1, 10 ** 20, "5", [], {}):
        yield f"Query Limit {limit!r}", "Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                                                  "ExpressionAttributeValues": {":p": {"S": "p1"}}, "Limit": limit}
        yield f"Scan Limit {limit!r}", "Scan", {"TableName": TABLE, "Limit": limit}
        yield f"ExecuteStatement Limit {limit!r}", "ExecuteStatement", {"Statement": f'SELECT * FROM "{TABLE}"', "Limit": limit}
    for limit in (0, 101, 2 ** 31):
        yield f"ListTables Limit {limit}", "ListTables", {"Limit": limit}
    many = ", ".join(f"'p{i}'" for i in range(51))
    yield "ExecuteStatement IN on 51 partitions", "ExecuteStatement", {"Statement": f'SELECT * FROM "{TABLE}" WHERE pk IN [{many}]'}
    for segment, total in ((0, 0), (1, 1), (-1, 2), (0, 1_000_001), (5, 2), (0, -1), (None, 2), (1, None), (10 ** 20, 2)):
        yield f"Scan Segment {segment} of {total}", "Scan", {
            "TableName": TABLE, **({"Segment": segment} if segment is not None else {}),
            **({"TotalSegments": total} if total is not None else {})}
    for start in ({}, {"pk": {"S": "p1"}}, {"other": {"S": "x"}}, {"pk": {"N": "1"}, "sk": {"N": "1"}},
                  {"pk": {"S": "p1"}, "sk": {"S": "1"}}, [], "x", {**KEY, "extra": {"S": "y"}}, {"pk": {}, "sk": {}}):
        for operation in ("Query", "Scan"):
            yield f"{operation} ExclusiveStartKey {start!r}", operation, {
                "TableName": TABLE, "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": "p1"}}, "ExclusiveStartKey": start} if operation == "Query" else {
                "TableName": TABLE, "ExclusiveStartKey": start}
    for key in ({}, {"pk": {"S": "p1"}}, {"pk": {"S": ""}, "sk": {"N": "1"}}, {"pk": {"S": "x" * 2049}, "sk": {"N": "1"}},
                {"pk": {"S": "p1"}, "sk": {"N": "1e999999"}}, {"pk": {"SS": ["a"]}, "sk": {"N": "1"}}, {**KEY, "x": {"S": "y"}}):
        yield f"GetItem Key {str(key)[:60]}", "GetItem", {"TableName": TABLE, "Key": key}
    yield "PutItem over 400 KB", "PutItem", {"TableName": TABLE, "Item": {**KEY, "big": {"S": "x" * 410_000}}}
    yield from name_and_nesting_cases()
    for expression in ("SET a[99999999999999999999] = :v", "SET a[-1] = :v", "SET " + ".".join(["a"] * 2000) + " = :v",
                       "SET a = :v" + ", b = :v" * 1000, "REMOVE a[9223372036854775807]", "SET a[9223372036854775807] = :v"):
        yield f"UpdateItem {expression[:40]}", "UpdateItem", {
            "TableName": TABLE, "Key": KEY, "UpdateExpression": expression, "ExpressionAttributeValues": {":v": {"S": "x"}}}
    yield from key_schema_cases()
    yield from batch_and_transaction_cases()


def name_and_nesting_cases():
    """Attribute names out of bounds, and nesting past 32 levels in items and document paths."""
    for label, name in (("empty", ""), ("65536 bytes", "n" * 65536)):
        yield f"PutItem attribute name {label}", "PutItem", {"TableName": TABLE, "Item": {**KEY, name: {"S": "x"}}}
        yield f"PutItem map key {label}", "PutItem", {"TableName": TABLE, "Item": {**KEY, "m": {"M": {name: {"S": "x"}}}}}
        yield f"GetItem Key name {label}", "GetItem", {"TableName": TABLE, "Key": {**KEY, name: {"S": "x"}}}
        yield f"UpdateItem ExpressionAttributeNames {label}", "UpdateItem", {
            "TableName": TABLE, "Key": KEY, "UpdateExpression": "SET #n = :v", "ExpressionAttributeNames": {"#n": name},
            "ExpressionAttributeValues": {":v": {"S": "x"}}}
    yield "PutItem nesting 33", "PutItem", {"TableName": TABLE, "Item": {**KEY, "deep": nested(32, {"S": "x"})}}
    path = "doc" + ".a" * 32
    yield "GetItem ProjectionExpression 33 levels", "GetItem", {"TableName": TABLE, "Key": KEY, "ProjectionExpression": path}
    yield "UpdateItem UpdateExpression 33 levels", "UpdateItem", {
        "TableName": TABLE, "Key": KEY, "UpdateExpression": f"REMOVE {path}"}
    yield "DeleteItem ConditionExpression 33 levels", "DeleteItem", {
        "TableName": TABLE, "Key": KEY, "ConditionExpression": f"attribute_not_exists({path})"}
    yield "UpdateItem result nested 33 levels", "UpdateItem", {
        "TableName": TABLE, "Key": KEY, "UpdateExpression": "SET doc.list = :deep",
        "ExpressionAttributeValues": {":deep": nested(31, {"S": "x"})}}
    yield "CreateTable key name 256 bytes", "CreateTable", {
        "TableName": "fuzz-long-key", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "k" * 256, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "k" * 256, "AttributeType": "S"}]}


def key_schema_cases():
    hash_key, range_key = {"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}
    definitions = [{"AttributeName": "h", "AttributeType": "S"}, {"AttributeName": "r", "AttributeType": "N"}]
    schemas = {"none": [], "range only": [range_key], "range first": [range_key, hash_key], "two hash": [hash_key, hash_key],
               "three": [hash_key, range_key, range_key], "type X": [{"AttributeName": "h", "KeyType": "X"}],
               "undefined": [{"AttributeName": "u", "KeyType": "HASH"}], "empty name": [{"AttributeName": "", "KeyType": "HASH"}],
               "long name": [{"AttributeName": "n" * 256, "KeyType": "HASH"}], "not a list": {"h": "HASH"}}
    for label, schema in schemas.items():
        yield f"CreateTable key schema {label}", "CreateTable", {
            "TableName": f"fuzz-schema-{len(label)}", "BillingMode": "PAY_PER_REQUEST", "KeySchema": schema,
            "AttributeDefinitions": definitions}
    for label, attribute_type in (("type BOOL", "BOOL"), ("type empty", ""), ("type M", "M")):
        yield f"CreateTable {label}", "CreateTable", {
            "TableName": "fuzz-bad-type", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [hash_key],
            "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": attribute_type}]}
    for name in ("", "ab", "x" * 256, "bad name!", "\u00e9t\u00e9"):
        yield f"CreateTable name {name[:12]!r}", "CreateTable", {
            "TableName": name, "BillingMode": "PAY_PER_REQUEST", "KeySchema": [hash_key], "AttributeDefinitions": definitions[:1]}
    yield "CreateTable LSI without range key", "CreateTable", {
        "TableName": "fuzz-lsi", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [hash_key], "AttributeDefinitions": definitions,
        "LocalSecondaryIndexes": [{"IndexName": "l", "KeySchema": [hash_key], "Projection": {"ProjectionType": "ALL"}}]}
    yield "CreateTable GSI projection bad", "CreateTable", {
        "TableName": "fuzz-gsi", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [hash_key], "AttributeDefinitions": definitions,
        "GlobalSecondaryIndexes": [{"IndexName": "g", "KeySchema": [range_key],
                                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": [""] * 101}}]}
    yield "CreateTable provisioned without throughput", "CreateTable", {
        "TableName": "fuzz-prov", "BillingMode": "PROVISIONED", "KeySchema": [hash_key], "AttributeDefinitions": definitions[:1]}
    yield "CreateTable throughput 0", "CreateTable", {
        "TableName": "fuzz-prov", "KeySchema": [hash_key], "AttributeDefinitions": definitions[:1],
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": -1}}


def batch_and_transaction_cases():
    def key(i):
        return {"pk": {"S": "b"}, "sk": {"N": str(i)}}
    puts = lambda n: [{"PutRequest": {"Item": key(i)}} for i in range(n)]
    yield "BatchWriteItem 26 puts", "BatchWriteItem", {"RequestItems": {TABLE: puts(26)}}
    yield "BatchWriteItem duplicate keys", "BatchWriteItem", {"RequestItems": {TABLE: puts(2) + puts(1)}}
    yield "BatchWriteItem empty", "BatchWriteItem", {"RequestItems": {}}
    yield "BatchWriteItem empty list", "BatchWriteItem", {"RequestItems": {TABLE: []}}
    yield "BatchWriteItem put and delete", "BatchWriteItem", {"RequestItems": {TABLE: [{"PutRequest": {"Item": key(1)},
                                                                                        "DeleteRequest": {"Key": key(1)}}]}}
    yield "BatchWriteItem neither", "BatchWriteItem", {"RequestItems": {TABLE: [{}]}}
    yield "BatchGetItem 101 keys", "BatchGetItem", {"RequestItems": {TABLE: {"Keys": [key(i) for i in range(101)]}}}
    yield "BatchGetItem duplicate keys", "BatchGetItem", {"RequestItems": {TABLE: {"Keys": [key(1), key(1)]}}}
    yield "BatchGetItem no keys", "BatchGetItem", {"RequestItems": {TABLE: {"Keys": []}}}
    yield "BatchGetItem missing table", "BatchGetItem", {"RequestItems": {"no-such-table": {"Keys": [key(1)]}}}
    put = lambda i: {"Put": {"TableName": TABLE, "Item": key(i)}}
    yield "TransactWriteItems duplicate item", "TransactWriteItems", {"TransactItems": [put(1), {"Delete": {"TableName": TABLE, "Key": key(1)}}]}
    yield "TransactWriteItems 101 items", "TransactWriteItems", {"TransactItems": [put(i) for i in range(101)]}
    yield "TransactWriteItems empty", "TransactWriteItems", {"TransactItems": []}
    yield "TransactWriteItems two actions", "TransactWriteItems", {"TransactItems": [{**put(1), "Delete": {"TableName": TABLE, "Key": key(1)}}]}
    yield "TransactWriteItems token too long", "TransactWriteItems", {"TransactItems": [put(1)], "ClientRequestToken": "t" * 37}
    get = {"Get": {"TableName": TABLE, "Key": key(1)}}
    yield "TransactGetItems duplicate item", "TransactGetItems", {"TransactItems": [get, {"Get": {"TableName": TABLE, "Key": key(2)}}, get]}
    yield "TransactGetItems 101", "TransactGetItems", {"TransactItems": [{"Get": {"TableName": TABLE, "Key": key(i)}} for i in range(101)]}


def test_dynamodb_json_mutations(stack, fuzz_data):
    fuzz = Fuzzer(stack, "dynamodb-json")
    requests_by_operation = valid_requests()
    for _ in range(cases(500)):
        operation = fuzz.rng.choice(sorted(requests_by_operation))
        body, change = mutate_json(fuzz.rng, requests_by_operation[operation])
        fuzz.dynamodb(f"{operation}: {change}", operation, body)
    fuzz.finish()


def test_dynamodb_byte_mutations(stack, fuzz_data):
    fuzz = Fuzzer(stack, "dynamodb-bytes")
    requests_by_operation = valid_requests()
    for _ in range(cases(300)):
        operation = fuzz.rng.choice(sorted(requests_by_operation))
        body, change = mutate_bytes(fuzz.rng, json.dumps(requests_by_operation[operation]).encode())
        fuzz.dynamodb(f"{operation}: {change}", operation, body)
    for body in (b"", b"null", b"[]", b'"x"', b"1", b"{" * 100_000, b"[" * 600 + b"]" * 600, b'{"TableName": "\xff"}',
                 b'{"TableName": "a\x00b"}', b"\xef\xbb\xbf{}", b'{"TableName": 1e999999}', b'{"Limit": 1e999999}'):
        fuzz.dynamodb(f"Scan body {body[:30]!r}", "Scan", body, must_fail=True)
    for operation in ("", "NoSuchOperation", "PutItem.Extra", "putitem", "\u00e9"):
        fuzz.dynamodb(f"operation {operation!r}", operation, b"{}", must_fail=True)
    fuzz.finish()


def test_dynamodb_streams_requests(stack, fuzz_data):
    """DynamoDB Streams requests broken the same ways, on a table with a stream and records."""
    fuzz = Fuzzer(stack, "dynamodb-streams")
    dynamodb, streams = stack.client("dynamodb"), stack.client("dynamodbstreams")
    name = "fuzz-streamed"
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    valid = {
        "ListStreams": {"TableName": name, "Limit": 5, "ExclusiveStartStreamArn": arn},
        "DescribeStream": {"StreamArn": arn, "Limit": 1, "ExclusiveStartShardId": shard},
        "GetShardIterator": {"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                             "SequenceNumber": "000000000000000000001"},
        "GetRecords": {"ShardIterator": iterator, "Limit": 10},
    }
    for _ in range(cases(200)):
        operation = fuzz.rng.choice(sorted(valid))
        body, change = mutate_json(fuzz.rng, valid[operation])
        fuzz.dynamodb(f"{operation}: {change}", operation, body, prefix="DynamoDBStreams_20120810")
    for text in ("", "|||", f"{arn}|-1|0", f"{arn}|1|x", f"{arn}|99999999999999999999|0", "x" * 5000):
        fuzz.dynamodb(f"GetRecords iterator {text[:30]!r}", "GetRecords", {"ShardIterator": text}, must_fail=True,
                      prefix="DynamoDBStreams_20120810")
    fuzz.finish()


def test_dynamodb_expressions(stack, fuzz_data):
    fuzz = Fuzzer(stack, "dynamodb-expressions")
    for _ in range(cases(600)):
        operation, body = expression_request(fuzz.rng)
        expression = next((v for k, v in body.items() if k.endswith("Expression")), "")
        fuzz.dynamodb(f"{operation}: {expression[:120]!r}", operation, body)
    fuzz.finish()


def test_dynamodb_edge_cases(stack, fuzz_data):
    fuzz = Fuzzer(stack, "dynamodb-edges")
    for case, operation, body in dynamodb_edge_cases():
        fuzz.dynamodb(case, operation, body, must_fail=True)
    fuzz.finish()


PARTIQL_TOKENS = [
    "SELECT", "*", "FROM", "WHERE", "INSERT", "INTO", "VALUE", "UPDATE", "SET", "REMOVE", "DELETE", "RETURNING",
    "ALL", "NEW", "ORDER", "BY", "DESC", "AND", "OR", "NOT", "IN", "BETWEEN", "IS", "MISSING", "EXISTS(",
    f'"{TABLE}"', '"nosuch"', "pk", "sk", "name", "doc.list[0]", "doc.list[99999999999999999999]", "?", "'p1'", "1",
    "-1", "1e999999", "=", "<>", "<", ">=", "+", ",", "(", ")", "[", "]", "{", "}", ":", "<<", ">>",
    "begins_with(", "size(", "list_append(", "\x00", "\"", "'"]


def random_statement(rng):
    """A PartiQL statement from a small grammar, or tokens, or one of those nested far too deep."""
    where = f"pk = 'p1' AND sk = {rng.randint(0, 9)}"
    forms = [
        lambda: f'SELECT * FROM "{TABLE}" WHERE {random_condition(rng).replace(":", "")}',
        lambda: f'SELECT pk, doc.list[0] FROM "{TABLE}" WHERE {where} AND {rng.choice(PATHS)} IS NOT MISSING',
        lambda: f'UPDATE "{TABLE}" SET name = ? REMOVE nothing WHERE {where}',
        lambda: f'DELETE FROM "{TABLE}" WHERE {where} AND name = ?',
        lambda: f'INSERT INTO "{TABLE}" VALUE {{\'pk\': ?, \'sk\': {rng.randint(10, 99)}, \'l\': [1, <<\'a\'>>]}}',
        lambda: " ".join(rng.choice(PARTIQL_TOKENS) for _ in range(rng.randint(0, 20))),
        lambda: f'SELECT * FROM "{TABLE}" WHERE ' + "(" * 3000 + "pk = 'p1'" + ")" * 3000,
        lambda: f'SELECT * FROM "{TABLE}" WHERE ' + "NOT " * 2000 + "pk = 'p1'",
        lambda: f'INSERT INTO "{TABLE}" VALUE ' + "{'a':" * 1500 + "1" + "}" * 1500,
    ]
    statement = rng.choice(forms)()
    if rng.random() < 0.3:
        tokens = statement.split(" ")
        tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(PARTIQL_TOKENS))
        statement = " ".join(tokens)
    parameters = [rng.choice([{"S": "x"}, {"N": "1"}, evil_value(rng)]) for _ in range(rng.randint(0, 2))]
    return {"Statement": statement, **({"Parameters": parameters} if parameters else {})}


def test_dynamodb_partiql(stack, fuzz_data):
    fuzz = Fuzzer(stack, "dynamodb-partiql")
    for _ in range(cases(400)):
        statement = random_statement(fuzz.rng)
        operation = fuzz.rng.choice(["ExecuteStatement", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"])
        body = {"ExecuteStatement": statement, "BatchExecuteStatement": {"Statements": [statement]},
                "ExecuteTransaction": {"TransactStatements": [statement]}}[operation]
        fuzz.dynamodb(f"{operation}: {statement['Statement'][:120]!r}", operation, body)
    fuzz.finish()


# ---------------------------------------------------------------------------------------------
# S3: XML documents, headers, query parameters, keys and aws-chunked bodies.

XML_DOCUMENTS = {
    "DeleteObjects": ("POST", "?delete", "<Delete><Object><Key>gone</Key></Object><Object><Key>a/b</Key></Object>"
                                         "<Quiet>false</Quiet></Delete>"),
    "PutBucketLifecycle": ("PUT", "?lifecycle", "<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>logs/</Prefix></Filter>"
                                                "<Status>Enabled</Status><Expiration><Days>30</Days></Expiration>"
                                                "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>"
                                                "</AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>"),
    "PutBucketCors": ("PUT", "?cors", "<CORSConfiguration><CORSRule><AllowedOrigin>https://*.example.com</AllowedOrigin>"
                                      "<AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader>"
                                      "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>"
                                      "</CORSConfiguration>"),
    "PutBucketTagging": ("PUT", "?tagging", "<Tagging><TagSet><Tag><Key>team</Key><Value>a</Value></Tag></TagSet></Tagging>"),
    "PutObjectTagging": ("PUT", "obj?tagging", "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"),
    "PutBucketVersioning": ("PUT", "?versioning", "<VersioningConfiguration><Status>Enabled</Status>"
                                                  "<MfaDelete>Disabled</MfaDelete></VersioningConfiguration>"),
    "PutBucketEncryption": ("PUT", "?encryption", "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
                                                  "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>"
                                                  "<BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"),
    "CompleteMultipartUpload": ("POST", "mpu?uploadId={upload}", "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                                                                 "<ETag>{etag}</ETag></Part></CompleteMultipartUpload>"),
}
XML_NAMES = ["Delete", "Object", "Key", "Quiet", "Rule", "ID", "Filter", "Prefix", "And", "Tag", "Status", "Expiration",
             "Days", "Date", "CORSRule", "AllowedOrigin", "AllowedMethod", "MaxAgeSeconds", "TagSet", "Value", "SSEAlgorithm",
             "Part", "PartNumber", "ETag", "VersioningConfiguration", "MfaDelete", "x:Key", "", "1bad", "a b"]
XML_TEXTS = ["", "-1", "0", "99999999999999999999", "1e3", "abc", "x" * 5000, "&amp;&lt;", "&#0;", "&#xD800;", "&#99999999;",
             "&#x41;", "&e;", "&unknown;", "&", "<![CDATA[<x>]]>", "\u00e9", "2024-13-45T99:99:99Z", "true", "DELETE", "PUT",
             '"etag"', " 1 ", "\x00", "\x01"]
XXE = ['<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '<!DOCTYPE d [<!ENTITY e "x"><!ENTITY f "&e;&e;&e;">]>',
       '<!DOCTYPE d SYSTEM "http://127.0.0.1:1/evil.dtd">', '<?xml version="1.0" encoding="UTF-16"?>',
       '<?xml-stylesheet href="x"?>', "<!-- unterminated", "<![CDATA[", "\ufeff"]


def mutate_xml(rng, document):
    """`document` changed in its structure: a token dropped, duplicated, renamed or retexted, a DTD added…"""
    tokens = [t for t in re.split(r"(<[^>]*>)", document) if t]
    position = rng.randrange(len(tokens))
    action = rng.choice(["drop", "duplicate", "rename", "text", "dtd", "bytes", "deep", "many"])
    if action == "drop":
        del tokens[position]
    elif action == "duplicate":
        tokens.insert(position, tokens[position])
    elif action == "rename" and tokens[position].startswith("<"):
        closing = "/" if tokens[position].startswith("</") else ""
        tokens[position] = f"<{closing}{rng.choice(XML_NAMES)}>"
    elif action == "text" and tokens[position].startswith("<"):
        tokens.insert(position + 1, rng.choice(XML_TEXTS))
    elif action == "text":
        tokens[position] = rng.choice(XML_TEXTS)
    elif action == "dtd":
        tokens.insert(0, rng.choice(XXE))
        tokens.insert(min(len(tokens), position + 2), "&e;")
    elif action == "deep":
        tokens.insert(position, "<a>" * 200 + "</a>" * 200)
    elif action == "many":
        inner = "".join(tokens[1:-1])
        tokens = [tokens[0], inner * rng.choice([2, 1001, 3000]), tokens[-1]]
    text = "".join(tokens).encode()
    if action == "bytes":
        text, _ = mutate_bytes(rng, text)
    return text, action


def test_s3_xml_bodies(stack, fuzz_data):
    fuzz = Fuzzer(stack, "s3-xml")
    s3 = stack.client("s3")
    names = sorted(XML_DOCUMENTS)
    for i in range(cases(400)):
        name = fuzz.rng.choice(names)
        method, suffix, document = XML_DOCUMENTS[name]
        if name == "CompleteMultipartUpload":
            upload = s3.create_multipart_upload(Bucket=BUCKET, Key="mpu")["UploadId"]
            etag = s3.upload_part(Bucket=BUCKET, Key="mpu", UploadId=upload, PartNumber=1, Body=b"part")["ETag"]
            suffix, document = suffix.format(upload=upload), document.format(etag=etag)
        body, change = mutate_xml(fuzz.rng, document)
        headers = {"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()}
        if i % 10 == 0:
            headers["Content-MD5"] = fuzz.rng.choice(["", "not-base64!", "AAAA", base64.b64encode(b"x" * 16).decode()])
        path = f"/{BUCKET}/{suffix}" if not suffix.startswith("?") else f"/{BUCKET}{suffix}"
        fuzz.s3(f"{name}: {change}: {body[:80]!r}", method, path, headers, body)
    for name in names:
        method, suffix, _ = XML_DOCUMENTS[name]
        path = f"/{BUCKET}/{suffix}" if not suffix.startswith("?") else f"/{BUCKET}{suffix}"
        path = path.replace("{upload}", "garbage")
        for xxe in XXE[:3]:
            body = f'{xxe}<Delete><Object><Key>&e;</Key></Object></Delete>'.encode()
            fuzz.s3(f"{name}: entity attack {xxe[:30]}", method, path, {}, body, must_fail=True)
    fuzz.finish()


RANGES = ["bytes=9-1", "bytes=-", "bytes=", "bytes=-0", "bytes=0-", "bytes=99999999999999999999-",
          "bytes=-99999999999999999999", "bytes=0-99999999999999999999", "bytes=1000-2000", "bytes=5000-",
          "bytes=a-b", "bytes=--1", "bytes=1--2", "bytes=0-1,2-3", ",".join(["bytes=0-1"] * 500),
          "bytes=" + ",".join(f"{i}-{i}" for i in range(2000)), "items=0-1", "bytes=\u00e9", "bytes=0x10-0x20",
          "bytes=+1-2", "bytes= 1 - 2 ", "bytes=-9223372036854775808", "bytes=9223372036854775807-"]
QUERY_VALUES = ["-1", "abc", "", "0", "1001", "10001", "99999999999999999999", "%", "%ZZ", "%FF", "%00", "x" * 5000,
                "1e3", "+5", "2147483648", "9223372036854775807", "%C3%28", "=", "&"]
QUERY_FORMS = [("GET", "/{b}?list-type=2&max-keys={v}"), ("GET", "/{b}?list-type=2&continuation-token={v}"),
               ("GET", "/{b}?list-type=2&start-after={v}&delimiter={v}&prefix={v}"), ("GET", "/{b}?max-keys={v}&marker={v}"),
               ("GET", "/{b}?list-type={v}"), ("GET", "/{b}?list-type=2&encoding-type={v}"),
               ("GET", "/{b}?uploads&max-uploads={v}&key-marker={v}&upload-id-marker={v}"),
               ("GET", "/{b}?versions&max-keys={v}&version-id-marker={v}"),
               ("GET", "/{b}/obj?uploadId={v}"), ("GET", "/{b}/mpu?uploadId={u}&max-parts={v}&part-number-marker={v}"),
               ("PUT", "/{b}/mpu?partNumber={v}&uploadId={u}"), ("PUT", "/{b}/mpu?partNumber=1&uploadId={v}"),
               ("DELETE", "/{b}/mpu?uploadId={v}"), ("POST", "/{b}/mpu?uploadId={v}"), ("GET", "/{b}/obj?versionId={v}"),
               ("GET", "/{b}/obj?partNumber={v}"), ("GET", "/{b}/obj?response-content-type={v}&response-expires={v}"),
               ("DELETE", "/{b}/obj?versionId={v}"), ("GET", "/{b}/obj?tagging&versionId={v}"),
               ("GET", "/{b}?versions&key-marker=obj&version-id-marker={v}"), ("GET", "/{b}/obj?attributes&versionId={v}")]
HEADER_CASES = {
    "If-Modified-Since": ["garbage", "Thu, 99 Foo 2024 25:61:61 GMT", "", "Sun, 06 Nov 1994 08:49:37 GMT",
                          "9999-99-99", "Thu, 01 Jan 99999999999 00:00:00 GMT"],
    "If-Unmodified-Since": ["garbage", "Mon, 32 Dec 2024 00:00:00 GMT", "-1"],
    "If-Match": ["", "*", '"unterminated', '"a", "b"', "W/\"x\"", "\u00e9"],
    "If-None-Match": ["", "*", '""', "x" * 10000],
    "x-amz-copy-source-if-match": ["x"], "Date": ["garbage"],
    "x-amz-checksum-crc32": ["not base64!", "", "AAAAAAAA"], "x-amz-checksum-sha256": ["AAAA"],
    "x-amz-sdk-checksum-algorithm": ["MD6", ""], "x-amz-tagging": ["a=b&a=c", "%ZZ=1", "=" * 20, "k=" + "v" * 300],
    "x-amz-storage-class": ["GLACIERX", ""], "x-amz-server-side-encryption": ["AES257", ""],
    "x-amz-meta-bad": ["\u00e9\u0000"], "Expires": ["never"], "Content-MD5": ["", "!!", "AAAA"],
    "x-amz-decoded-content-length": ["-1", "abc"], "Content-Encoding": ["aws-chunked"],
}


def test_s3_headers_and_queries(stack, fuzz_data):
    fuzz = Fuzzer(stack, "s3-headers")
    upload = stack.client("s3").create_multipart_upload(Bucket=BUCKET, Key="mpu")["UploadId"]
    for header in RANGES:
        fuzz.s3(f"Range {header[:40]}", "GET", f"/{BUCKET}/obj", {"Range": header})
        fuzz.s3(f"HEAD Range {header[:40]}", "HEAD", f"/{BUCKET}/obj", {"Range": header})
    for header in RANGES[:12]:
        fuzz.s3(f"UploadPartCopy range {header}", "PUT", f"/{BUCKET}/mpu?partNumber=1&uploadId={upload}",
                {"x-amz-copy-source": f"/{BUCKET}/obj", "x-amz-copy-source-range": header})
    for method, form in QUERY_FORMS:
        for value in QUERY_VALUES:
            target = form.format(b=BUCKET, u=upload, v=value)
            fuzz.s3(f"{method} {target[:100]}", method, target, body=b"part" if method == "PUT" else b"")
    for name, values in HEADER_CASES.items():
        for value in values:
            for method, path in (("GET", f"/{BUCKET}/obj"), ("PUT", f"/{BUCKET}/hdr"), ("HEAD", f"/{BUCKET}/obj")):
                fuzz.s3(f"{method} {name}: {value[:40]!r}", method, path, {name: value}, b"data" if method == "PUT" else b"")
    for _ in range(cases(100)):
        name = fuzz.rng.choice(sorted(HEADER_CASES))
        value = "".join(fuzz.rng.choice(["a", "0", "-", ",", "=", " ", "\"", "*", "\u00e9", "9" * 20, "GMT"])
                        for _ in range(fuzz.rng.randint(0, 12)))
        fuzz.s3(f"PUT {name}: {value!r}", "PUT", f"/{BUCKET}/hdr", {name: value}, b"data")
    fuzz.finish()


KEYS = ["..", "../x", "a/../../b", "%00", "a%00b", "%FF", "%C3", "%C3%28", "%", "%G1", "x" * 1025, "k" * 5000, "a//b",
        "%2F", ".", "./", "\\", "%2E%2E", "%2E%2E/%2E%2E/etc/passwd", "a%0Ab", "%ED%A0%80", "%EF%BF%BF", "~", "a?b"]
COPY_SOURCES = ["", "/", "bucket", f"/{BUCKET}/", f"{BUCKET}/nosuch", "/nosuch-bucket/obj", "%FF", "%", "%00/%00",
                f"{BUCKET}/obj?versionId=abc", f"{BUCKET}/obj?versionId=", f"{BUCKET}/" + "x" * 2000, "a" * 10000,
                f"/{BUCKET}/..", f"/{BUCKET}/%2E%2E/{SENTINEL_BUCKET}/sentinel/1", f"{BUCKET}/obj?", "?", "/" * 50,
                f"arn:aws:s3:::{BUCKET}/obj", f"/{BUCKET}/obj%"]


def test_s3_keys_and_copy_sources(stack, fuzz_data):
    fuzz = Fuzzer(stack, "s3-keys")
    for key in KEYS:
        for method in ("PUT", "GET", "HEAD", "DELETE"):
            fuzz.s3(f"{method} key {key[:40]!r}", method, f"/{BUCKET}/{key}", body=b"k" if method == "PUT" else b"")
        fuzz.s3(f"copy to key {key[:40]!r}", "PUT", f"/{BUCKET}/{key}", {"x-amz-copy-source": f"/{BUCKET}/obj"})
        fuzz.s3(f"copy from key {key[:40]!r}", "PUT", f"/{BUCKET}/copied", {"x-amz-copy-source": f"/{BUCKET}/{key}"})
    for raw in (b"/fuzz-target/\xff", b"/fuzz-target/a\x00b", b"/fuzz-target/\xc3", b"/\xff/x", b"/fuzz-target/a b",
                b"/fuzz-target/" + b"%" * 3, b"*", b"//", b"/fuzz-target/a#b"):
        for method in ("GET", "PUT"):
            fuzz.s3(f"{method} raw path {raw!r}", method, raw, {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}, sign=False)
    for bucket in ("a", "A" * 64, "..", "-x-", "192.168.1.1", "%FF", "bucket_", "xn--x"):
        fuzz.s3(f"create bucket {bucket!r}", "PUT", f"/{bucket}")
        fuzz.s3(f"list bucket {bucket!r}", "GET", f"/{bucket}?list-type=2")
    for source in COPY_SOURCES:
        fuzz.s3(f"copy-source {source[:50]!r}", "PUT", f"/{BUCKET}/copied", {"x-amz-copy-source": source})
        fuzz.s3(f"copy-source {source[:50]!r} with directive", "PUT", f"/{BUCKET}/copied",
                {"x-amz-copy-source": source, "x-amz-metadata-directive": fuzz.rng.choice(["REPLACE", "MOVE", ""])})
    fuzz.finish()


def signing_key(date):
    key = b"AWS4test"
    for part in (date, "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def chunked_upload(endpoint, target, chunks):
    """Headers and body of a valid `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` upload of `chunks`."""
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(sum(map(len, chunks)))}
    request = AWSRequest(method="PUT", url=endpoint + target, headers=headers)
    auth = S3SigV4Auth(CREDENTIALS, "s3", "us-east-1")
    auth.payload = lambda _request: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    auth.add_auth(request)
    timestamp = request.headers["X-Amz-Date"]
    key, scope = signing_key(timestamp[:8]), f"{timestamp[:8]}/us-east-1/s3/aws4_request"
    previous, empty, body = request.headers["Authorization"].split("Signature=")[1], hashlib.sha256(b"").hexdigest(), b""
    for chunk in [*chunks, b""]:
        text = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", timestamp, scope, previous, empty, hashlib.sha256(chunk).hexdigest()])
        previous = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
        body += f"{len(chunk):x};chunk-signature={previous}\r\n".encode() + chunk + (b"\r\n" if chunk else b"")
    return dict(request.headers.items()), body + b"\r\n"


def mutate_chunked(rng, body):
    """Framing errors in an aws-chunked body: sizes, signatures, line ends, the final chunk."""
    lines = body.split(b"\r\n")
    header_lines = [i for i, line in enumerate(lines) if b";chunk-signature=" in line]
    i = rng.choice(header_lines)
    size, _, signature = lines[i].partition(b";chunk-signature=")
    action = rng.choice(["size", "signature", "extension", "line end", "final", "junk", "bytes"])
    if action == "size":
        lines[i] = rng.choice([b"", b"-1", b"zz", b"fffffffffffffff", b"ffffffffffffffff", b"0x10", b" 10", b"%x" % (int(size, 16) + 1),
                               b"%x" % max(0, int(size, 16) - 1)]) + b";chunk-signature=" + signature
    elif action == "signature":
        lines[i] = size + b";chunk-signature=" + rng.choice([b"", b"0" * 64, signature[:-1], signature + b"0", b"\xff" * 64])
    elif action == "extension":
        lines[i] = size + rng.choice([b";", b";chunk-signature", b";x=y", b"; chunk-signature=" + signature, b""])
    elif action == "line end":
        return body.replace(b"\r\n", rng.choice([b"\n", b"\r", b"\r\r\n"]), rng.randint(1, 3)), action
    elif action == "final":
        return body[:body.rfind(b"0;chunk-signature=")], "final chunk missing"
    elif action == "junk":
        lines.insert(rng.randrange(len(lines)), rng.choice([b"", b"garbage", b"\x00" * 10, b"x" * 9000]))
    else:
        return mutate_bytes(rng, body)[0], action
    return b"\r\n".join(lines), action


def test_s3_aws_chunked(stack, fuzz_data):
    fuzz = Fuzzer(stack, "s3-chunked")
    for i in range(cases(150)):
        chunks = [fuzz.rng.randbytes(fuzz.rng.choice([1, 100, 8192, 70000])) for _ in range(fuzz.rng.randint(1, 3))]
        target = f"/{BUCKET}/chunked-{i % 5}"
        headers, body = chunked_upload(stack.aws, target, chunks)
        mutated, change = mutate_chunked(fuzz.rng, body)
        if mutated == body:
            continue
        if i % 7 == 0:
            headers["X-Amz-Decoded-Content-Length"] = fuzz.rng.choice(["-1", "0", "abc", "99999999999999999999"])
        fuzz.s3(f"aws-chunked {change}", "PUT", target, headers, mutated, sign=False)
    fuzz.finish()


def test_s3_http_framing(stack, fuzz_data):
    """Content-Length and Transfer-Encoding the HTTP layer itself must refuse, still as an S3 error."""
    fuzz = Fuzzer(stack, "s3-framing")
    target = f"/{BUCKET}/framing"
    for length in ("abc", "-1", "1, 2", "99999999999999999999", " ", "0x10", "+4"):
        headers = s3_headers(stack.aws, "PUT", target, {}, b"data")
        headers["Content-Length"] = length
        fuzz.s3(f"Content-Length {length!r}", "PUT", target, headers, b"data", must_fail=True, sign=False,
                content_length=False)
    headers = s3_headers(stack.aws, "PUT", target, {}, b"data")
    fuzz.s3("two Content-Lengths", "PUT", target, {**headers, "Content-Length": "4", "content-length": "5"}, b"data",
            must_fail=True, sign=False, content_length=False)
    headers = s3_headers(stack.aws, "PUT", target, {}, b"data")
    fuzz.s3("Content-Length shorter than the signed body", "PUT", target, {**headers, "Content-Length": "2"}, b"data",
            must_fail=True, sign=False, content_length=False)
    headers = s3_headers(stack.aws, "PUT", target, {}, b"data")
    fuzz.s3("Transfer-Encoding garbage", "PUT", target, {**headers, "Transfer-Encoding": "gzip, chunked"},
            b"4\r\ndata\r\n0\r\n\r\n", must_fail=True, sign=False, content_length=False)
    for body in (b"zz\r\n{}\r\n0\r\n\r\n", b"2\r\n{}\r\nzz\r\n"):
        headers = {**dynamodb_headers(stack.aws, "ListTables", b"{}"), "Transfer-Encoding": "chunked"}
        fuzz._send(f"DynamoDB chunked body {body!r}", "json", True, "POST", "/", headers, body, content_length=False)
    headers = s3_headers(stack.aws, "PUT", target, {}, b"data")
    fuzz.s3("chunked transfer with a bad size", "PUT", target, {**headers, "Transfer-Encoding": "chunked"},
            b"zz\r\ndata\r\n0\r\n\r\n", must_fail=True, sign=False, content_length=False)
    fuzz.finish()


def test_stack_kept_its_data_and_logged_no_surprises(stack, fuzz_data):
    """Runs after the fuzzing: the sentinel data is intact, and the log holds no crash or internal error."""
    dynamodb, s3 = stack.client("dynamodb"), stack.client("s3")
    for item in fuzz_data["items"]:
        assert dynamodb.get_item(TableName=SENTINEL_TABLE, Key={"pk": item["pk"]}, ConsistentRead=True)["Item"] == item
    assert dynamodb.scan(TableName=SENTINEL_TABLE)["Count"] == len(fuzz_data["items"])
    for key, data in fuzz_data["objects"].items():
        assert s3.get_object(Bucket=SENTINEL_BUCKET, Key=key)["Body"].read() == data
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=SENTINEL_BUCKET)["Contents"]) == sorted(fuzz_data["objects"])
    assert requests.get(stack.gateway + "/health", timeout=10).status_code == 200
    with open(stack.log_path, "rb") as log:
        log.seek(fuzz_data["log_offset"])
        lines = log.read().decode(errors="replace").splitlines()
    surprises = [line for line in lines if re.match(r"\S+ (error|critical) ", line) or "Fatal error" in line]
    assert not surprises, "\n".join(surprises[:20])
