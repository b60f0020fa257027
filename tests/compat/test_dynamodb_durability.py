"""DynamoDB durability: every acknowledged write survives `kill -9` of Nimbus, and a restart on the
same data directory serves the same tables, indexes, TTL settings and items."""

import signal
import tempfile
import threading
import time

import boto3
import pytest

from conftest import Stack


def restart_on(data_dir):
    """A new stack on an existing data directory (Stack always makes a fresh one)."""
    original = tempfile.mkdtemp
    tempfile.mkdtemp = lambda *args, **kwargs: data_dir
    try:
        return Stack()
    finally:
        tempfile.mkdtemp = original


def test_acknowledged_writes_survive_sigkill():
    stack = Stack()
    try:
        dynamodb = stack.client("dynamodb")
        dynamodb.create_table(
            TableName="durable", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "KEYS_ONLY"}}])
        dynamodb.update_time_to_live(TableName="durable", TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
        for i in range(200):
            dynamodb.put_item(TableName="durable", Item={"pk": {"S": f"k{i}"}, "g": {"S": "all"}, "n": {"N": str(i)}})
        dynamodb.update_item(TableName="durable", Key={"pk": {"S": "k0"}}, UpdateExpression="SET n = n + :one",
                             ExpressionAttributeValues={":one": {"N": "1"}})
        dynamodb.transact_write_items(TransactItems=[
            {"Delete": {"TableName": "durable", "Key": {"pk": {"S": "k1"}}}},
            {"Put": {"TableName": "durable", "Item": {"pk": {"S": "tx"}, "g": {"S": "all"}}}}])
        stack.stop(signal.SIGKILL)

        restarted = restart_on(stack.data_dir)
        try:
            dynamodb = restarted.client("dynamodb")
            assert dynamodb.get_item(TableName="durable", Key={"pk": {"S": "k0"}})["Item"]["n"] == {"N": "1"}
            assert "Item" not in dynamodb.get_item(TableName="durable", Key={"pk": {"S": "k1"}})
            assert dynamodb.get_item(TableName="durable", Key={"pk": {"S": "k199"}})["Item"]["n"] == {"N": "199"}
            assert dynamodb.scan(TableName="durable", Select="COUNT")["Count"] == 200
            indexed = dynamodb.query(TableName="durable", IndexName="byG", KeyConditionExpression="g = :g",
                                     ExpressionAttributeValues={":g": {"S": "all"}}, Select="COUNT")
            assert indexed["Count"] == 200
            assert dynamodb.describe_time_to_live(TableName="durable")["TimeToLiveDescription"]["AttributeName"] == "ttl"
        finally:
            restarted.stop()
    finally:
        stack.cleanup()


@pytest.mark.parametrize("durability", ["disk", "process"])
def test_concurrent_writes_acknowledged_before_sigkill_survive(durability):
    """Concurrent PutItems are committed in groups (one fsync per group with `disk`, none with
    `process`): every write acknowledged before a `kill -9` in the middle of the stream is there
    after a restart (on `disk`, so switching levels keeps the data too)."""
    stack = Stack("--durability", durability)
    try:
        stack.client("dynamodb").create_table(
            TableName="group", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        acknowledged = [[] for _ in range(8)]
        stop = threading.Event()

        def writer(n):
            dynamodb = stack.client("dynamodb")
            i = 0
            while not stop.is_set():
                try:
                    dynamodb.put_item(TableName="group", Item={"pk": {"S": f"w{n}-{i}"}})
                except Exception:  # noqa: BLE001 - the server is gone
                    return
                acknowledged[n].append(f"w{n}-{i}")
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        stack.stop(signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        keys = [key for keys in acknowledged for key in keys]
        assert len(keys) > 100

        restarted = restart_on(stack.data_dir)
        try:
            dynamodb = restarted.client("dynamodb")
            stored = set()
            for page in dynamodb.get_paginator("scan").paginate(TableName="group", ProjectionExpression="pk"):
                stored.update(item["pk"]["S"] for item in page["Items"])
            missing = [key for key in keys if key not in stored]
            assert not missing, f"{len(missing)} of {len(keys)} acknowledged writes lost, e.g. {missing[:5]}"
        finally:
            restarted.stop()
    finally:
        stack.cleanup()


def test_the_store_is_held_exclusively_while_nimbus_runs():
    """Nimbus opens its SQLite store with `unix-excl` (no file lock per read): another process
    cannot open it meanwhile, and can once Nimbus has stopped."""
    import sqlite3

    stack = Stack()
    try:
        stack.client("dynamodb").create_table(
            TableName="held", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        path = f"{stack.data_dir}/dynamodb/dynamodb.sqlite3"
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            sqlite3.connect(path, timeout=0.2).execute("SELECT name FROM dynamo_tables").fetchall()
        stack.stop()
        names = sqlite3.connect(path, timeout=2).execute("SELECT name FROM dynamo_tables").fetchall()
        assert ("held",) in names
    finally:
        stack.cleanup()
