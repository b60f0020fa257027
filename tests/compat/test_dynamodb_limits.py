"""DynamoDB's limits through boto3: Integer members past 32 bits, attribute names (empty, over
64 KB, key names over 255 bytes, in AttributesToGet too), placeholders over 255 bytes, one item twice in TransactGetItems, and nesting past 32 levels
in items and in document paths. Each refusal has DynamoDB's code and wording and writes nothing.

botocore checks some minimums itself, so refusals it would catch first go through a client with
parameter validation off, as a client nobody here wrote might send them.
"""

import boto3
import pytest
from botocore.config import Config

from test_dynamodb import create_table, error_of, unique_name

NESTING = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
LONG_NAME = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"
NOT_AN_INTEGER = ("SerializationException", "NUMBER_VALUE cannot be converted to Integer")


@pytest.fixture(scope="module")
def raw_dynamodb(stack):
    """A client that sends what it is given, without botocore's own checks."""
    return boto3.client("dynamodb", endpoint_url=stack.aws, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(parameter_validation=False, retries={"max_attempts": 1}))


@pytest.fixture
def table(dynamodb):
    """A table holding one item, {pk: a, v: 1}."""
    name = create_table(dynamodb)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    yield name
    dynamodb.delete_table(TableName=name)


def assert_unchanged(dynamodb, table):
    assert dynamodb.scan(TableName=table, ConsistentRead=True)["Items"] == [{"pk": {"S": "a"}, "v": {"N": "1"}}]


def nested(wraps, leaf=None):
    """A string inside `wraps` one-member maps: it sits at nesting level wraps + 1."""
    value = leaf or {"S": "x"}
    for _ in range(wraps):
        value = {"M": {"n": value}}
    return value


# Integer members

@pytest.mark.parametrize("limit", [2 ** 31, 2 ** 32 + 1, 2 ** 63 - 1])
def test_limits_past_32_bits_do_not_deserialize(raw_dynamodb, table, limit):
    query = dict(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    assert error_of(raw_dynamodb.query, **query, Limit=limit) == NOT_AN_INTEGER
    assert error_of(raw_dynamodb.scan, TableName=table, Limit=limit) == NOT_AN_INTEGER
    assert error_of(raw_dynamodb.list_tables, Limit=limit) == NOT_AN_INTEGER
    assert error_of(raw_dynamodb.execute_statement, Statement=f'SELECT * FROM "{table}"', Limit=limit) == NOT_AN_INTEGER


def test_the_largest_integer_is_a_valid_limit(dynamodb, table):
    assert dynamodb.scan(TableName=table, Limit=2 ** 31 - 1)["Count"] == 1
    assert len(dynamodb.execute_statement(Statement=f'SELECT * FROM "{table}"', Limit=2 ** 31 - 1)["Items"]) == 1


@pytest.mark.parametrize("limit", [0, -1])
def test_zero_and_negative_limits_fail_the_constraint(raw_dynamodb, table, limit):
    message = (f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: "
               "Member must have value greater than or equal to 1")
    assert error_of(raw_dynamodb.query, TableName=table, KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "a"}}, Limit=limit) == ("ValidationException", message)
    assert error_of(raw_dynamodb.execute_statement, Statement=f'SELECT * FROM "{table}"', Limit=limit) == (
        "ValidationException", message)
    assert error_of(raw_dynamodb.list_tables, Limit=limit) == ("ValidationException", message)


# Attribute names

@pytest.mark.parametrize("name, message", [("", "Empty attribute name"), ("n" * 65536, LONG_NAME)])
def test_bad_attribute_names_are_refused_and_write_nothing(dynamodb, table, name, message):
    refused = ("ValidationException", message)
    assert error_of(dynamodb.put_item, TableName=table, Item={"pk": {"S": "b"}, name: {"S": "x"}}) == refused
    assert error_of(dynamodb.put_item, TableName=table,
                    Item={"pk": {"S": "b"}, "doc": {"M": {"l": {"L": [{"M": {name: {"N": "1"}}}]}}}}) == refused
    assert error_of(dynamodb.update_item, TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET doc = :d",
                    ExpressionAttributeValues={":d": {"M": {name: {"N": "1"}}}}) == refused
    assert error_of(dynamodb.get_item, TableName=table, Key={"pk": {"S": "a"}, name: {"S": "x"}}) == refused
    assert error_of(dynamodb.batch_write_item, RequestItems={table: [
        {"PutRequest": {"Item": {"pk": {"S": "c"}}}}, {"PutRequest": {"Item": {"pk": {"S": "b"}, name: {"S": "x"}}}}]}) == refused
    assert error_of(dynamodb.transact_write_items, TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "c"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": "b"}, name: {"S": "x"}}}}]) == refused
    assert_unchanged(dynamodb, table)


def test_expression_attribute_names_may_not_map_to_empty_or_long_names(dynamodb, table):
    update = dict(TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET #n = :v",
                  ExpressionAttributeValues={":v": {"N": "2"}})
    assert error_of(dynamodb.update_item, **update, ExpressionAttributeNames={"#n": ""}) == (
        "ValidationException", "ExpressionAttributeNames contains invalid value: Empty attribute name for key #n")
    assert error_of(dynamodb.update_item, **update, ExpressionAttributeNames={"#n": "n" * 65536}) == (
        "ValidationException", LONG_NAME)
    assert error_of(dynamodb.get_item, TableName=table, Key={"pk": {"S": "a"}}, ProjectionExpression="#n",
                    ExpressionAttributeNames={"#n": ""})[1].endswith("Empty attribute name for key #n")
    assert_unchanged(dynamodb, table)
    dynamodb.update_item(**update, ExpressionAttributeNames={"#n": "n" * 65535})
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)["Item"]
    assert item["n" * 65535] == {"N": "2"}


def test_placeholders_and_attributes_to_get_are_limited(dynamodb, raw_dynamodb, table):
    update = dict(TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET #n = :v")
    long_name, long_value = "#" + "n" * 255, ":" + "v" * 255  # 256 bytes with the prefix
    assert error_of(dynamodb.update_item, **update, ExpressionAttributeNames={"#n": "n", long_name: "m"},
                    ExpressionAttributeValues={":v": {"N": "2"}}) == (
        "ValidationException", "ExpressionAttributeNames contains invalid key: The expression attribute map "
        "contains a key that is too long; size of key: 256")
    assert error_of(dynamodb.update_item, **update, ExpressionAttributeNames={"#n": "n"},
                    ExpressionAttributeValues={":v": {"N": "2"}, long_value: {"N": "3"}}) == (
        "ValidationException", "ExpressionAttributeValues contains invalid key: The expression attribute map "
        "contains a key that is too long;")
    key = {"pk": {"S": "a"}}
    assert error_of(raw_dynamodb.get_item, TableName=table, Key=key, AttributesToGet=["v", ""]) == (
        "ValidationException", "Empty attribute name")
    assert error_of(dynamodb.get_item, TableName=table, Key=key, AttributesToGet=["n" * 65536]) == (
        "ValidationException", LONG_NAME)
    assert_unchanged(dynamodb, table)


def test_key_attribute_names_are_limited_to_255_bytes(dynamodb):
    def create(key):
        name = unique_name()
        dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}])
        return name

    code, message = error_of(create, key="k" * 256)
    assert code == "ValidationException"
    assert message == ("2 validation errors detected: "
                       f"Value '{'k' * 256}' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: "
                       "Member must have length less than or equal to 255; "
                       f"Value '{'k' * 256}' at 'keySchema.1.member.attributeName' failed to satisfy constraint: "
                       "Member must have length less than or equal to 255")
    name = create("k" * 255)
    dynamodb.put_item(TableName=name, Item={"k" * 255: {"S": "x"}})
    assert dynamodb.get_item(TableName=name, Key={"k" * 255: {"S": "x"}})["Item"] == {"k" * 255: {"S": "x"}}
    dynamodb.delete_table(TableName=name)


# Transactions

def test_transact_get_items_refuses_one_item_twice(dynamodb, table):
    get = {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}}
    other = {"Get": {"TableName": table, "Key": {"pk": {"S": "b"}}, "ProjectionExpression": "v"}}
    assert error_of(dynamodb.transact_get_items, TransactItems=[get, other, get]) == (
        "ValidationException", "Transaction request cannot include multiple operations on one item")
    responses = dynamodb.transact_get_items(TransactItems=[get, other])["Responses"]
    assert responses == [{"Item": {"pk": {"S": "a"}, "v": {"N": "1"}}}, {}]


# Nesting

def test_items_nest_at_most_32_levels(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "deep"}, "d": nested(31)})
    stored = dynamodb.get_item(TableName=table, Key={"pk": {"S": "deep"}}, ConsistentRead=True)["Item"]["d"]
    assert stored == nested(31)
    assert error_of(dynamodb.put_item, TableName=table, Item={"pk": {"S": "deeper"}, "d": nested(32)}) == (
        "ValidationException", NESTING)
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "deeper"}}, ConsistentRead=True)


def test_an_update_may_not_nest_the_item_too_deep(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}, "d": nested(20)})
    update = dict(TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET d" + ".n" * 12 + " = :deep, v = :two")
    assert error_of(dynamodb.update_item, **update,
                    ExpressionAttributeValues={":deep": nested(20), ":two": {"N": "2"}}) == ("ValidationException", NESTING)
    assert dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)["Item"]["v"] == {"N": "1"}
    dynamodb.update_item(**update, ExpressionAttributeValues={":deep": nested(19), ":two": {"N": "2"}})
    assert dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)["Item"]["v"] == {"N": "2"}


def test_document_paths_deeper_than_32_levels_are_refused(dynamodb, table):
    path = "d" + ".n" * 32
    refusal = "The document path has too many nesting levels; nesting levels: 33"
    assert error_of(dynamodb.get_item, TableName=table, Key={"pk": {"S": "a"}}, ProjectionExpression=path) == (
        "ValidationException", f"Invalid ProjectionExpression: {refusal}")
    assert error_of(dynamodb.update_item, TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression=f"SET {path} = :v",
                    ExpressionAttributeValues={":v": {"S": "x"}}) == ("ValidationException", f"Invalid UpdateExpression: {refusal}")
    assert error_of(dynamodb.delete_item, TableName=table, Key={"pk": {"S": "a"}},
                    ConditionExpression=f"attribute_not_exists({path})") == (
        "ValidationException", f"Invalid ConditionExpression: {refusal}")
    assert_unchanged(dynamodb, table)
    fits = "d" + ".n" * 31
    dynamodb.delete_item(TableName=table, Key={"pk": {"S": "a"}}, ConditionExpression=f"attribute_not_exists({fits})")
    assert dynamodb.scan(TableName=table, ConsistentRead=True)["Count"] == 0
