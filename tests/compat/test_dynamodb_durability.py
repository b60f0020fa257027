"""DynamoDB durability: every acknowledged write survives `kill -9` of Nimbus, and a restart on the
same data directory serves the same tables, indexes, TTL settings and items."""

import signal
import tempfile

import boto3

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
