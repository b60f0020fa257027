"""Functions reach the stack's DynamoDB and S3 with boto3 and no code change (seed 002: SMK-005,
SMK-007, STD-001..004, STD-019..023): requests through the gateway to python workers that call
boto3 with only the environment Nimbus gives them, checked from outside with boto3 on the same
endpoint. The stack runs --strict-signatures, so the workers' requests are signature-checked too."""
import uuid

import pytest
import requests


@pytest.fixture(scope="module")
def call(gateway, token):
    def post(path, body):
        reply = requests.post(gateway + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        return reply.status_code, reply.json()
    return post


def test_smk005_connectivity_dynamodb_put(call, dynamodb):
    key = f"smoke-python-{uuid.uuid4().hex[:8]}"
    status, body = call("/api/connectivity/python", {"action": "dynamodb_put", "key": key, "value": "ok"})
    assert status == 200, body
    assert body["success"] is True and body["action"] == "dynamodb_put"
    item = dynamodb.get_item(TableName="e2e-test-table", Key={"id": {"S": key}})["Item"]
    assert item == {"id": {"S": key}, "value": {"S": "ok"}}


def test_smk007_connectivity_s3_put(call, s3):
    key = f"python-smoke-{uuid.uuid4().hex[:8]}.txt"
    status, body = call("/api/connectivity/python",
                        {"action": "s3_put", "bucket": "e2e-test-bucket", "key": key, "content": "ok"})
    assert status == 200, body
    assert body["success"] is True and body["action"] == "s3_put"
    assert s3.get_object(Bucket="e2e-test-bucket", Key=key)["Body"].read() == b"ok"


def test_std001_put_get(call, dynamodb):
    status, body = call("/api/dynamo", {"action": "put_get", "message": "hello"})
    assert status == 200, body
    assert body["success"] is True
    assert body["retrieved_item"]["id"]["S"] == body["item_id"]
    assert body["retrieved_item"]["message"] == {"S": "hello"}
    outside = dynamodb.get_item(TableName="e2e-test-table", Key={"id": {"S": body["item_id"]}})["Item"]
    assert outside == body["retrieved_item"]


def test_std002_update_item(call):
    status, put = call("/api/dynamo", {"action": "put", "message": "Original message"})
    assert status == 200, put
    status, updated = call("/api/dynamo", {"action": "update", "id": put["item_id"], "message": "Updated message"})
    assert status == 200 and updated["success"] is True, updated
    assert updated["attributes"]["message"] == {"S": "Updated message"}
    status, got = call("/api/dynamo", {"action": "get", "id": put["item_id"]})
    assert status == 200 and got["found"] is True, got
    assert got["item"]["message"]["S"] == "Updated message"


def test_std003_delete_item(call, dynamodb):
    status, put = call("/api/dynamo", {"action": "put", "message": "to delete"})
    assert status == 200, put
    status, deleted = call("/api/dynamo", {"action": "delete", "id": put["item_id"]})
    assert status == 200 and deleted["deleted"] is True, deleted
    status, got = call("/api/dynamo", {"action": "get", "id": put["item_id"]})
    assert status == 200 and got["found"] is False and got["item"] is None, got
    assert "Item" not in dynamodb.get_item(TableName="e2e-test-table", Key={"id": {"S": put["item_id"]}})


def test_std004_get_nonexistent(call):
    status, body = call("/api/dynamo", {"action": "get", "id": str(uuid.uuid4())})
    assert status == 200
    assert body["success"] is True and body["found"] is False and body["item"] is None


def test_an_item_written_outside_is_read_inside_and_a_failed_condition_is_the_functions_404(call, dynamodb):
    item_id = f"outside-{uuid.uuid4().hex[:8]}"
    dynamodb.put_item(TableName="e2e-test-table", Item={"id": {"S": item_id}, "message": {"S": "from boto3"}})
    status, got = call("/api/dynamo", {"action": "get", "id": item_id})
    assert status == 200 and got["item"]["message"] == {"S": "from boto3"}
    status, body = call("/api/dynamo", {"action": "update", "id": str(uuid.uuid4()), "message": "x"})
    assert status == 404 and body["error"] == "ConditionalCheckFailedException", body


def test_std019_s3_put_get(call):
    key = f"std019/{uuid.uuid4().hex}.txt"
    content = "hello from a function: ünïcödé ✓"
    status, put = call("/api/s3", {"action": "put", "key": key, "content": content})
    assert status == 200 and put["success"] is True, put
    status, got = call("/api/s3", {"action": "get", "key": key})
    assert status == 200 and got["success"] is True, got
    assert got["content"] == content


def test_std020_list_objects(call):
    key = f"std020/{uuid.uuid4().hex}.txt"
    assert call("/api/s3", {"action": "put", "key": key, "content": "listed"})[0] == 200
    status, body = call("/api/s3", {"action": "list"})
    assert status == 200 and body["success"] is True
    assert key in [o["key"] for o in body["objects"]]


def test_std021_delete_object_then_get_is_500_no_such_key(call, s3):
    key = f"std021/{uuid.uuid4().hex}.txt"
    assert call("/api/s3", {"action": "put", "key": key, "content": "short-lived"})[0] == 200
    status, deleted = call("/api/s3", {"action": "delete", "key": key})
    assert status == 200 and deleted["success"] is True
    status, got = call("/api/s3", {"action": "get", "key": key})
    assert status == 500 and got == {"success": False, "action": "get", "error": "NoSuchKey"}
    assert "Contents" not in s3.list_objects_v2(Bucket="e2e-test-bucket", Prefix=key)


def test_std022_overwrite(call, s3):
    key = f"std022/{uuid.uuid4().hex}.txt"
    assert call("/api/s3", {"action": "put", "key": key, "content": "original"})[0] == 200
    status, second = call("/api/s3", {"action": "put", "key": key, "content": "overwritten"})
    assert status == 200
    status, got = call("/api/s3", {"action": "get", "key": key})
    assert status == 200 and got["content"] == "overwritten"
    assert s3.head_object(Bucket="e2e-test-bucket", Key=key)["ETag"] == second["etag"]


def test_std023_list_with_prefix(call, s3):
    prefix = f"std023/{uuid.uuid4().hex[:8]}/"
    keys = sorted(prefix + name for name in ("a.txt", "b.txt", "nested/c.txt"))
    for key in keys:
        assert call("/api/s3", {"action": "put", "key": key, "content": key})[0] == 200
    s3.put_object(Bucket="e2e-test-bucket", Key=prefix.rstrip("/") + "-sibling.txt", Body=b"not under the prefix")
    status, body = call("/api/s3", {"action": "list", "prefix": prefix})
    assert status == 200 and body["success"] is True
    assert [o["key"] for o in body["objects"]] == keys
    assert all(o["size"] == len(o["key"]) for o in body["objects"])


def test_an_object_written_outside_is_read_inside_and_a_missing_bucket_is_named(call, s3):
    key = f"outside/{uuid.uuid4().hex}.bin"
    s3.put_object(Bucket="e2e-test-bucket", Key=key, Body="from boto3".encode())
    status, got = call("/api/s3", {"action": "get", "key": key})
    assert status == 200 and got["content"] == "from boto3"
    status, body = call("/api/s3", {"action": "get", "bucket": f"no-such-{uuid.uuid4().hex[:8]}", "key": key})
    assert status == 500 and body["error"] == "NoSuchBucket"


@pytest.mark.parametrize("path", ["/api/dynamo", "/api/s3"])
def test_unknown_actions_and_missing_fields_are_the_functions_400(call, path):
    status, body = call(path, {"action": "explode"})
    assert status == 400 and body == {"success": False, "error": "unknown action: explode"}
    status, body = call(path, {"action": "get"})
    assert status == 400 and body["error"].startswith("missing field")


@pytest.mark.parametrize("path", ["/api/dynamo", "/api/s3"])
def test_a_body_that_is_not_json_is_the_functions_400(gateway, token, path):
    reply = requests.post(gateway + path, data="{not json", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert reply.status_code == 400
    assert reply.json() == {"success": False, "error": "body must be JSON"}
