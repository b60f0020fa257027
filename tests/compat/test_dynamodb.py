"""DynamoDB compatibility: tables, items, expressions and errors, through boto3 against a live stack.

Fixtures `dynamodb` (client) and `aws_endpoint` come from conftest.py. Query/Scan, batches and
transactions, and the resource API have their own test_dynamodb_*.py files.
"""

import json
import time
import uuid

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError


def unique_name(prefix="compat"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_table(dynamodb, name=None, range_type=None, **extra):
    name = name or unique_name()
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    if range_type:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        definitions.append({"AttributeName": "sk", "AttributeType": range_type})
    definitions += extra.pop("ExtraDefinitions", [])
    dynamodb.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=definitions,
                          BillingMode="PAY_PER_REQUEST", **extra)
    return name


@pytest.fixture
def table(dynamodb):
    name = create_table(dynamodb)
    yield name
    dynamodb.delete_table(TableName=name)


def error_of(call, **kwargs):
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def raw_request(aws_endpoint, target, body):
    """A SigV4-signed request with an arbitrary body and X-Amz-Target."""
    request = AWSRequest(method="POST", url=aws_endpoint + "/", data=body,
                         headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(Credentials("test", "test"), "dynamodb", "us-east-1").add_auth(request)
    return requests.post(aws_endpoint + "/", data=body, headers=dict(request.headers))


# Tables


def test_table_lifecycle(dynamodb):
    name = unique_name()
    created = dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}])
    description = created["TableDescription"]
    assert description["TableStatus"] == "ACTIVE"
    assert description["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"
    assert description["KeySchema"][1] == {"AttributeName": "sk", "KeyType": "RANGE"}
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})

    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == 1
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert name in dynamodb.list_tables()["TableNames"]

    assert error_of(dynamodb.create_table, TableName=name, BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}]) == (
        "ResourceInUseException", f"Table already exists: {name}")

    assert dynamodb.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"
    code, _ = error_of(dynamodb.describe_table, TableName=name)
    assert code == "ResourceNotFoundException"


def test_template_table_is_provisioned(dynamodb):
    table = dynamodb.describe_table(TableName="e2e-test-table")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]


def test_list_tables_paginates(dynamodb):
    names = sorted(create_table(dynamodb, name=f"page-{uuid.uuid4().hex[:8]}-{i}") for i in range(3))
    try:
        first = dynamodb.list_tables(Limit=1)
        assert len(first["TableNames"]) == 1 and "LastEvaluatedTableName" in first
        seen = [n for page in dynamodb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2})
                for n in page["TableNames"]]
        assert all(n in seen for n in names)
        assert seen == sorted(seen)
    finally:
        for name in names:
            dynamodb.delete_table(TableName=name)


@pytest.mark.parametrize("arguments, message", [
    ({"KeySchema": [{"AttributeName": "pk", "KeyType": "RANGE"}]},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ({"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]},
     "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [id]"),
    ({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "x", "AttributeType": "S"}]},
     "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"),
    ({"BillingMode": "PROVISIONED"},
     "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"),
])
def test_create_table_validation(dynamodb, arguments, message):
    request = {"TableName": unique_name(), "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}
    request.update(arguments)
    assert error_of(dynamodb.create_table, **request) == ("ValidationException", message)


def test_provisioned_throughput_is_echoed(dynamodb):
    name = unique_name()
    dynamodb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3})
    throughput = dynamodb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (5, 3)
    dynamodb.delete_table(TableName=name)


def test_update_table_adds_and_removes_a_gsi(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "city": {"S": "Oslo"}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "b"}})
    updated = dynamodb.update_table(
        TableName=table, AttributeDefinitions=[{"AttributeName": "city", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "byCity",
                                                 "KeySchema": [{"AttributeName": "city", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}}])
    assert updated["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    found = dynamodb.query(TableName=table, IndexName="byCity", KeyConditionExpression="city = :c",
                           ExpressionAttributeValues={":c": {"S": "Oslo"}})
    assert [item["pk"]["S"] for item in found["Items"]] == ["a"]
    dynamodb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byCity"}}])
    assert "GlobalSecondaryIndexes" not in dynamodb.describe_table(TableName=table)["Table"]


def test_time_to_live_configuration_and_expiry(dynamodb, table):
    assert dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    spec = dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    assert spec["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    assert error_of(dynamodb.update_time_to_live, TableName=table,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}) == (
        "ValidationException", "TimeToLive is already enabled")
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "old"}, "expires": {"N": "1000"}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "future"}, "expires": {"N": "99999999999"}})
    deadline = time.time() + 15
    while time.time() < deadline and "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": "old"}}):
        time.sleep(0.25)
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "old"}})
    assert "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": "future"}})


def test_tags(dynamodb, table):
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "x"}])
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]


# Items


EVERY_TYPE = {
    "pk": {"S": "all"}, "s": {"S": "ünïcödé ✓"}, "n": {"N": "12.50"}, "b": {"B": b"\x00\x01\xff"},
    "t": {"BOOL": True}, "f": {"BOOL": False}, "z": {"NULL": True}, "l": {"L": [{"S": "x"}, {"N": "1"}]},
    "m": {"M": {"inner": {"M": {"deep": {"SS": ["a"]}}}}}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b"\x01", b"\x02"]}, "empty": {"S": ""},
}


def test_put_get_every_type(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=EVERY_TYPE)
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "all"}}, ConsistentRead=True)["Item"]
    expected = dict(EVERY_TYPE, n={"N": "12.5"})
    assert {k: v for k, v in item.items() if k not in ("ss", "ns", "bs")} == {
        k: v for k, v in expected.items() if k not in ("ss", "ns", "bs")}
    assert sorted(item["ss"]["SS"]) == ["a", "b"]
    assert sorted(item["ns"]["NS"]) == ["1", "2.5"]
    assert sorted(item["bs"]["BS"]) == [b"\x01", b"\x02"]
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "nothing"}})


@pytest.mark.parametrize("written, returned", [
    ("1.0", "1"), ("0001", "1"), ("1e3", "1000"), ("-0.50", "-0.5"), ("0.000", "0"),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("0.1234567890123456789012345678901234567", "0.1234567890123456789012345678901234567"),
    ("1E-130", "0." + "0" * 129 + "1"), ("9.9999999999999999999999999999999999999E+125", "99999999999999999999999999999999999999" + "0" * 88),
])
def test_numbers_are_exact_and_normalised(dynamodb, table, written, returned):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "n"}, "v": {"N": written}})
    assert dynamodb.get_item(TableName=table, Key={"pk": {"S": "n"}})["Item"]["v"] == {"N": returned}


@pytest.mark.parametrize("value, message", [
    ("abc", "The parameter cannot be converted to a numeric value: abc"),
    ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("1." + "1" * 38, "Attempting to store more than 38 significant digits in a Number"),
])
def test_invalid_numbers(dynamodb, table, value, message):
    assert error_of(dynamodb.put_item, TableName=table, Item={"pk": {"S": "n"}, "v": {"N": value}}) == (
        "ValidationException", message)


def test_conditional_writes(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "c"}, "v": {"N": "1"}}, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException) as caught:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "c"}}, ConditionExpression="attribute_not_exists(pk)",
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert caught.value.response["Error"]["Message"] == "The conditional request failed"
    assert caught.value.response["Item"] == {"pk": {"S": "c"}, "v": {"N": "1"}}
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "c"}, "v": {"N": "2"}},
                      ConditionExpression="v = :one AND NOT contains(#t, :x) OR size(pk) > :big",
                      ExpressionAttributeNames={"#t": "tags"},
                      ExpressionAttributeValues={":one": {"N": "1.0"}, ":x": {"S": "x"}, ":big": {"N": "100"}})
    old = dynamodb.delete_item(TableName=table, Key={"pk": {"S": "c"}}, ConditionExpression="v BETWEEN :a AND :b",
                               ExpressionAttributeValues={":a": {"N": "2"}, ":b": {"N": "3"}}, ReturnValues="ALL_OLD")
    assert old["Attributes"]["v"] == {"N": "2"}


def test_put_and_delete_return_values(dynamodb, table):
    assert "Attributes" not in dynamodb.put_item(TableName=table, Item={"pk": {"S": "r"}, "v": {"S": "1"}}, ReturnValues="ALL_OLD")
    replaced = dynamodb.put_item(TableName=table, Item={"pk": {"S": "r"}, "v": {"S": "2"}}, ReturnValues="ALL_OLD")
    assert replaced["Attributes"] == {"pk": {"S": "r"}, "v": {"S": "1"}}
    assert error_of(dynamodb.put_item, TableName=table, Item={"pk": {"S": "r"}}, ReturnValues="ALL_NEW") == (
        "ValidationException", "Return values set to invalid value")


@pytest.mark.parametrize("return_values, expected", [
    ("ALL_OLD", {"pk": {"S": "u"}, "count": {"N": "1"}, "gone": {"S": "x"}, "doc": {"M": {"list": {"L": [{"N": "1"}]}}}}),
    ("ALL_NEW", {"pk": {"S": "u"}, "count": {"N": "3"}, "tags": {"SS": ["new"]}, "doc": {"M": {"list": {"L": [{"N": "1"}, {"N": "2"}]}, "fresh": {"BOOL": True}}}}),
    ("UPDATED_OLD", {"count": {"N": "1"}, "gone": {"S": "x"}, "doc": {"M": {"list": {"L": [{"N": "1"}]}}}}),
    ("UPDATED_NEW", {"count": {"N": "3"}, "tags": {"SS": ["new"]}, "doc": {"M": {"list": {"L": [{"N": "1"}, {"N": "2"}]}, "fresh": {"BOOL": True}}}}),
])
def test_update_item_return_values(dynamodb, table, return_values, expected):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "u"}, "count": {"N": "1"}, "gone": {"S": "x"},
                                             "doc": {"M": {"list": {"L": [{"N": "1"}]}}}})
    result = dynamodb.update_item(
        TableName=table, Key={"pk": {"S": "u"}},
        UpdateExpression="SET #c = #c + :two, doc.#l = list_append(doc.#l, :more), doc.fresh = :t REMOVE gone ADD tags :tags",
        ExpressionAttributeNames={"#c": "count", "#l": "list"},
        ExpressionAttributeValues={":two": {"N": "2"}, ":more": {"L": [{"N": "2"}]}, ":t": {"BOOL": True}, ":tags": {"SS": ["new"]}},
        ReturnValues=return_values)
    assert result["Attributes"] == expected


def test_update_expression_language(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={
        "pk": {"S": "x"}, "nums": {"NS": ["1", "2", "3"]}, "list": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]},
        "map": {"M": {"a": {"M": {"b": {"L": [{"N": "0"}, {"M": {"c": {"N": "1"}}}]}}}}}})
    dynamodb.update_item(
        TableName=table, Key={"pk": {"S": "x"}},
        UpdateExpression="SET tally = if_not_exists(tally, :zero) - :one, #m.a.b[1].c = :ten, #l[5] = :z "
                         "REMOVE #l[0], #l[1] DELETE nums :drop ADD #total :half",
        ExpressionAttributeNames={"#m": "map", "#l": "list", "#total": "total"},
        ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}, ":ten": {"N": "10"}, ":z": {"S": "z"},
                                   ":drop": {"NS": ["1", "3"]}, ":half": {"N": "0.5"}})
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "x"}})["Item"]
    assert item["tally"] == {"N": "-1"}
    assert item["map"]["M"]["a"]["M"]["b"]["L"][1]["M"]["c"] == {"N": "10"}
    assert item["list"] == {"L": [{"S": "c"}, {"S": "z"}]}
    assert item["nums"] == {"NS": ["2"]}
    assert item["total"] == {"N": "0.5"}


@pytest.mark.parametrize("expression, message", [
    ("SET a", 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"'),
    ("SET a = b + 1", 'Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1"'),
    ("SET a = :v SET b = :v", 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'),
    ("SET name = :v", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    ("SET a = :v, a.b = :v", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
    ("SET a = :w", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :w"),
    ("ADD a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
    ("SET a = foo(:v)", "Invalid UpdateExpression: Invalid function name; function: foo"),
    ("SET pk = :v", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
])
def test_update_expression_errors(dynamodb, table, expression, message):
    values = {":v": {"N": "1"}, ":s": {"S": "x"}}
    used = {k: v for k, v in values.items() if k in expression} or {":v": {"N": "1"}}
    assert error_of(dynamodb.update_item, TableName=table, Key={"pk": {"S": "e"}}, UpdateExpression=expression,
                    ExpressionAttributeValues=used) == ("ValidationException", message)


def test_update_runtime_errors(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "r"}, "s": {"S": "text"}})
    assert error_of(dynamodb.update_item, TableName=table, Key={"pk": {"S": "r"}}, UpdateExpression="SET s = s + :one",
                    ExpressionAttributeValues={":one": {"N": "1"}}) == (
        "ValidationException", "An operand in the update expression has an incorrect data type")
    assert error_of(dynamodb.update_item, TableName=table, Key={"pk": {"S": "r"}}, UpdateExpression="SET x = absent") == (
        "ValidationException", "The provided expression refers to an attribute that does not exist in the item")
    assert error_of(dynamodb.update_item, TableName=table, Key={"pk": {"S": "r"}}, UpdateExpression="SET nothing.b = :one",
                    ExpressionAttributeValues={":one": {"N": "1"}}) == (
        "ValidationException", "The document path provided in the update expression is invalid for update")


@pytest.mark.parametrize("arguments, message", [
    ({"ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": {"S": "1"}, ":x": {"S": "2"}}},
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"),
    ({"ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": {"S": "1"}}, "ExpressionAttributeNames": {"#n": "n"}},
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"),
    ({"ConditionExpression": "a = :y", "ExpressionAttributeValues": {":v": {"S": "1"}}},
     "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :y"),
    ({"ConditionExpression": "a = = :v", "ExpressionAttributeValues": {":v": {"S": "1"}}},
     'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"'),
    ({"ConditionExpression": "((a = :v))", "ExpressionAttributeValues": {":v": {"S": "1"}}},
     "Invalid ConditionExpression: The expression has redundant parentheses;"),
    ({"ConditionExpression": "attribute_type(a, :v)", "ExpressionAttributeValues": {":v": {"S": "X"}}},
     "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"),
    ({"ExpressionAttributeValues": {":v": {"S": "1"}}},
     "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"),
])
def test_expression_parameter_errors(dynamodb, table, arguments, message):
    assert error_of(dynamodb.put_item, TableName=table, Item={"pk": {"S": "p"}}, **arguments) == ("ValidationException", message)


def test_legacy_parameters(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "l"}, "v": {"N": "1"}, "old": {"S": "x"}},
                      Expected={"pk": {"Exists": False}})
    dynamodb.update_item(TableName=table, Key={"pk": {"S": "l"}},
                         AttributeUpdates={"v": {"Action": "ADD", "Value": {"N": "2"}}, "old": {"Action": "DELETE"},
                                           "new": {"Action": "PUT", "Value": {"S": "y"}}},
                         Expected={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "l"}}, AttributesToGet=["v", "new", "old"])["Item"]
    assert item == {"v": {"N": "3"}, "new": {"S": "y"}}
    code, _ = error_of(dynamodb.delete_item, TableName=table, Key={"pk": {"S": "l"}},
                       Expected={"v": {"Value": {"N": "1"}}})
    assert code == "ConditionalCheckFailedException"


def test_get_item_projection(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=EVERY_TYPE)
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "all"}}, ProjectionExpression="s, m.#i.deep, l[1], #t",
                             ExpressionAttributeNames={"#t": "t", "#i": "inner"})["Item"]
    assert item == {"s": EVERY_TYPE["s"], "m": {"M": {"inner": {"M": {"deep": {"SS": ["a"]}}}}}, "l": {"L": [{"N": "1"}]},
                    "t": {"BOOL": True}}


@pytest.mark.parametrize("item, message", [
    ({"other": {"S": "x"}}, "One or more parameter values were invalid: Missing the key pk in the item"),
    ({"pk": {"N": "1"}}, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"),
    ({"pk": {"S": ""}}, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"),
    ({"pk": {"S": "x"}, "s": {"SS": ["a", "a"]}}, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
    ({"pk": {"S": "x"}, "big": {"S": "x" * (400 * 1024)}}, "Item size has exceeded the maximum allowed size"),
])
def test_item_validation(dynamodb, table, item, message):
    assert error_of(dynamodb.put_item, TableName=table, Item=item) == ("ValidationException", message)


def test_key_validation(dynamodb, table):
    assert error_of(dynamodb.get_item, TableName=table, Key={"pk": {"S": "a"}, "extra": {"S": "b"}}) == (
        "ValidationException", "The provided key element does not match the schema")
    assert error_of(dynamodb.get_item, TableName="no-such-table", Key={"pk": {"S": "a"}}) == (
        "ResourceNotFoundException", "Requested resource not found")


# Protocol


def test_protocol_errors(aws_endpoint):
    unknown = raw_request(aws_endpoint, "DynamoDB_20120810.Teleport", b"{}")
    assert unknown.status_code == 400
    assert unknown.json()["__type"].endswith("#UnknownOperationException")
    malformed = raw_request(aws_endpoint, "DynamoDB_20120810.GetItem", b"{not json")
    assert malformed.status_code == 400
    assert malformed.json()["__type"].endswith("#SerializationException")
    assert malformed.headers["Content-Type"] == "application/x-amz-json-1.0"
    missing = raw_request(aws_endpoint, "DynamoDB_20120810.DescribeTable", json.dumps({"TableName": "nope-table"}).encode())
    assert missing.json() == {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                              "message": "Requested resource not found: Table: nope-table not found"}
    assert "x-amzn-RequestId" in missing.headers and "x-amz-crc32" in missing.headers
