"""A short AWS CLI (v1) session against the DynamoDB endpoint: create-table, put/get/update/delete
item, query, scan, describe-table, list-tables, delete-table, and an error on a missing table; then a
stream read back with `aws dynamodbstreams`. The endpoint comes from AWS_ENDPOINT_URL in the
environment, as a user of the CLI would set it."""

import json
import subprocess
import uuid

import pytest


def run(aws_cli_env, *args):
    return subprocess.run(["aws", "dynamodb", *args, "--output", "json"], env=aws_cli_env,
                          capture_output=True, text=True, timeout=120)


def aws(aws_cli_env, *args):
    result = run(aws_cli_env, *args)
    assert result.returncode == 0, f"aws dynamodb {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout) if result.stdout.strip() else {}


@pytest.fixture
def table(aws_cli_env):
    name = f"compat-cli-{uuid.uuid4().hex[:12]}"
    yield name
    # Leave nothing behind in the shared stack, whatever the test did.
    if name in aws(aws_cli_env, "list-tables")["TableNames"]:
        aws(aws_cli_env, "delete-table", "--table-name", name)


def test_cli_session(aws_cli_env, table):
    created = aws(aws_cli_env, "create-table", "--table-name", table,
                  "--attribute-definitions", "AttributeName=user,AttributeType=S", "AttributeName=ts,AttributeType=N",
                  "--key-schema", "AttributeName=user,KeyType=HASH", "AttributeName=ts,KeyType=RANGE",
                  "--billing-mode", "PAY_PER_REQUEST")
    description = created["TableDescription"]
    assert description["TableName"] == table
    assert {(k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]} == {("user", "HASH"), ("ts", "RANGE")}
    aws(aws_cli_env, "wait", "table-exists", "--table-name", table)

    for ts, text in [(1, "first"), (2, "second"), (3, "third")]:
        item = {"user": {"S": "alice"}, "ts": {"N": str(ts)}, "text": {"S": text},
                "tags": {"SS": ["a", "b"]}, "meta": {"M": {"likes": {"N": "0"}, "ok": {"BOOL": True}}}}
        aws(aws_cli_env, "put-item", "--table-name", table, "--item", json.dumps(item))
    aws(aws_cli_env, "put-item", "--table-name", table,
        "--item", json.dumps({"user": {"S": "bob"}, "ts": {"N": "1"}, "text": {"S": "other"}}))

    got = aws(aws_cli_env, "get-item", "--table-name", table, "--consistent-read",
              "--key", json.dumps({"user": {"S": "alice"}, "ts": {"N": "2"}}))
    assert got["Item"]["text"] == {"S": "second"}
    assert sorted(got["Item"]["tags"]["SS"]) == ["a", "b"]
    assert got["Item"]["meta"] == {"M": {"likes": {"N": "0"}, "ok": {"BOOL": True}}}
    assert "Item" not in aws(aws_cli_env, "get-item", "--table-name", table,
                             "--key", json.dumps({"user": {"S": "alice"}, "ts": {"N": "99"}}))

    queried = aws(aws_cli_env, "query", "--table-name", table,
                  "--key-condition-expression", "#u = :u AND ts >= :from",
                  "--expression-attribute-names", json.dumps({"#u": "user"}),
                  "--expression-attribute-values", json.dumps({":u": {"S": "alice"}, ":from": {"N": "2"}}))
    assert queried["Count"] == 2
    assert [item["text"]["S"] for item in queried["Items"]] == ["second", "third"]
    backwards = aws(aws_cli_env, "query", "--table-name", table, "--no-scan-index-forward",
                    "--key-condition-expression", "#u = :u", "--expression-attribute-names", json.dumps({"#u": "user"}),
                    "--expression-attribute-values", json.dumps({":u": {"S": "alice"}}))
    assert [item["ts"]["N"] for item in backwards["Items"]] == ["3", "2", "1"]

    updated = aws(aws_cli_env, "update-item", "--table-name", table,
                  "--key", json.dumps({"user": {"S": "alice"}, "ts": {"N": "1"}}),
                  "--update-expression", "SET #t = :t, meta.likes = meta.likes + :one ADD tags :c REMOVE meta.ok",
                  "--condition-expression", "attribute_exists(#t)",
                  "--expression-attribute-names", json.dumps({"#t": "text"}),
                  "--expression-attribute-values", json.dumps({":t": {"S": "edited"}, ":one": {"N": "1"},
                                                                ":c": {"SS": ["c"]}}),
                  "--return-values", "ALL_NEW")
    attributes = updated["Attributes"]
    assert attributes["text"] == {"S": "edited"}
    assert attributes["meta"] == {"M": {"likes": {"N": "1"}}}
    assert sorted(attributes["tags"]["SS"]) == ["a", "b", "c"]
    assert attributes["user"] == {"S": "alice"} and attributes["ts"] == {"N": "1"}

    # A failing condition is a non-zero exit with AWS's error code.
    failed = run(aws_cli_env, "update-item", "--table-name", table,
                 "--key", json.dumps({"user": {"S": "carol"}, "ts": {"N": "1"}}),
                 "--update-expression", "SET x = :x", "--condition-expression", "attribute_exists(x)",
                 "--expression-attribute-values", json.dumps({":x": {"N": "1"}}))
    assert failed.returncode != 0 and "ConditionalCheckFailedException" in failed.stderr, failed.stderr

    counted = aws(aws_cli_env, "scan", "--table-name", table, "--select", "COUNT")
    assert counted["Count"] == 4 and counted["ScannedCount"] == 4 and "Items" not in counted

    deleted = aws(aws_cli_env, "delete-item", "--table-name", table,
                  "--key", json.dumps({"user": {"S": "bob"}, "ts": {"N": "1"}}), "--return-values", "ALL_OLD")
    assert deleted["Attributes"]["text"] == {"S": "other"}
    assert aws(aws_cli_env, "scan", "--table-name", table, "--select", "COUNT")["Count"] == 3

    described = aws(aws_cli_env, "describe-table", "--table-name", table)["Table"]
    assert described["TableName"] == table and described["TableStatus"] == "ACTIVE"
    assert described["ItemCount"] >= 0
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {(d["AttributeName"], d["AttributeType"]) for d in described["AttributeDefinitions"]} == {("user", "S"), ("ts", "N")}
    assert described["TableArn"].endswith(f":table/{table}")

    assert table in aws(aws_cli_env, "list-tables")["TableNames"]

    aws(aws_cli_env, "delete-table", "--table-name", table)
    assert table not in aws(aws_cli_env, "list-tables")["TableNames"]


def test_get_item_on_missing_table_fails(aws_cli_env):
    missing = f"compat-cli-missing-{uuid.uuid4().hex[:12]}"
    result = run(aws_cli_env, "get-item", "--table-name", missing, "--key", json.dumps({"id": {"S": "x"}}))
    assert result.returncode != 0
    assert "ResourceNotFoundException" in result.stderr, result.stderr
    assert result.stdout.strip() == ""


def test_cli_streams_session(aws_cli_env, table):
    """`aws dynamodb` enables a stream, `aws dynamodbstreams` reads it back."""
    aws(aws_cli_env, "create-table", "--table-name", table,
        "--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
        "--billing-mode", "PAY_PER_REQUEST", "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_IMAGE")
    aws(aws_cli_env, "put-item", "--table-name", table, "--item", json.dumps({"id": {"S": "x"}, "n": {"N": "1"}}))
    arn = aws(aws_cli_env, "describe-table", "--table-name", table)["Table"]["LatestStreamArn"]

    def streams(*args):
        result = subprocess.run(["aws", "dynamodbstreams", *args, "--output", "json"], env=aws_cli_env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"aws dynamodbstreams {' '.join(args)} failed:\n{result.stderr}"
        return json.loads(result.stdout)

    assert [s["StreamArn"] for s in streams("list-streams", "--table-name", table)["Streams"]] == [arn]
    shard = streams("describe-stream", "--stream-arn", arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams("get-shard-iterator", "--stream-arn", arn, "--shard-id", shard,
                       "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
    records = streams("get-records", "--shard-iterator", iterator)["Records"]
    assert [(r["eventName"], r["dynamodb"]["NewImage"]) for r in records] == [
        ("INSERT", {"id": {"S": "x"}, "n": {"N": "1"}})]
