"""DynamoDB compatibility: Query and Scan (key conditions, indexes, filters, pagination, segments).

Fixture `dynamodb` comes from conftest.py.
"""

import uuid

import pytest
from botocore.exceptions import ClientError


@pytest.fixture(scope="module")
def events(dynamodb):
    """`events`: pk S + sk N, a GSI on `kind` (KEYS_ONLY) and an LSI on `label` (INCLUDE note)."""
    name = f"events-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "kind", "AttributeType": "S"}, {"AttributeName": "label", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "byKind", "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                                                      {"AttributeName": "sk", "KeyType": "RANGE"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        LocalSecondaryIndexes=[{"IndexName": "byLabel", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                      {"AttributeName": "label", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]}}])
    requests = []
    for sk in range(-3, 17):
        item = {"pk": {"S": "user#1"}, "sk": {"N": str(sk)}, "label": {"S": f"label-{sk + 100}"},
                "score": {"N": str(sk * 10)}, "note": {"S": f"n{sk}"}}
        if sk % 3 == 0:
            item["kind"] = {"S": "click"}
        requests.append({"PutRequest": {"Item": item}})
    requests.append({"PutRequest": {"Item": {"pk": {"S": "user#2"}, "sk": {"N": "1.5"}, "kind": {"S": "click"}}}})
    for start in range(0, len(requests), 25):
        assert dynamodb.batch_write_item(RequestItems={name: requests[start:start + 25]})["UnprocessedItems"] == {}
    yield name
    dynamodb.delete_table(TableName=name)


def sks(response):
    return [float(item["sk"]["N"]) for item in response["Items"]]


@pytest.mark.parametrize("condition, values, expected", [
    ("pk = :p AND sk = :a", {":a": "2.0"}, [2]),
    ("pk = :p AND sk < :a", {":a": "-1"}, [-3, -2]),
    ("pk = :p AND sk <= :a", {":a": "-1"}, [-3, -2, -1]),
    ("pk = :p AND sk > :a", {":a": "14.5"}, [15, 16]),
    ("pk = :p AND sk >= :a", {":a": "15"}, [15, 16]),
    ("pk = :p AND sk BETWEEN :a AND :b", {":a": "-1", ":b": "1"}, [-1, 0, 1]),
    ("#k = :p AND #s BETWEEN :a AND :b", {":a": "9", ":b": "10"}, [9, 10]),
])
def test_sort_key_conditions_order_numbers_numerically(dynamodb, events, condition, values, expected):
    names = {"#k": "pk", "#s": "sk"} if "#" in condition else None
    arguments = {"ExpressionAttributeNames": names} if names else {}
    response = dynamodb.query(TableName=events, KeyConditionExpression=condition,
                              ExpressionAttributeValues={":p": {"S": "user#1"}, **{k: {"N": v} for k, v in values.items()}},
                              **arguments)
    assert sks(response) == expected


def test_query_direction_limit_and_paginator(dynamodb, events):
    backwards = dynamodb.query(TableName=events, KeyConditionExpression="pk = :p", ScanIndexForward=False, Limit=4,
                               ExpressionAttributeValues={":p": {"S": "user#1"}})
    assert sks(backwards) == [16, 15, 14, 13]
    assert backwards["LastEvaluatedKey"] == {"pk": {"S": "user#1"}, "sk": {"N": "13"}}
    pages = dynamodb.get_paginator("query").paginate(TableName=events, KeyConditionExpression="pk = :p",
                                                       ExpressionAttributeValues={":p": {"S": "user#1"}},
                                                       PaginationConfig={"PageSize": 6})
    everything = [sk for page in pages for sk in sks(page)]
    assert everything == list(range(-3, 17))


def test_query_filter_select_and_projection(dynamodb, events):
    filtered = dynamodb.query(TableName=events, KeyConditionExpression="pk = :p", FilterExpression="score >= :min AND note <> :n",
                              ProjectionExpression="sk, note", ExpressionAttributeValues={":p": {"S": "user#1"}, ":min": {"N": "140"}, ":n": {"S": "n15"}})
    assert filtered["Count"] == 2 and filtered["ScannedCount"] == 20
    assert filtered["Items"] == [{"sk": {"N": "14"}, "note": {"S": "n14"}}, {"sk": {"N": "16"}, "note": {"S": "n16"}}]
    counted = dynamodb.query(TableName=events, KeyConditionExpression="pk = :p", Select="COUNT",
                             ExpressionAttributeValues={":p": {"S": "user#1"}})
    assert counted["Count"] == 20 and "Items" not in counted
    with pytest.raises(ClientError) as caught:
        dynamodb.query(TableName=events, KeyConditionExpression="pk = :p", FilterExpression="sk > :z",
                       ExpressionAttributeValues={":p": {"S": "user#1"}, ":z": {"N": "0"}})
    assert caught.value.response["Error"]["Message"] == "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"


def test_global_secondary_index(dynamodb, events):
    response = dynamodb.query(TableName=events, IndexName="byKind", KeyConditionExpression="kind = :k AND sk > :z",
                              ExpressionAttributeValues={":k": {"S": "click"}, ":z": {"N": "0"}})
    assert sks(response) == [1.5, 3, 6, 9, 12, 15]
    assert set(response["Items"][1]) == {"pk", "sk", "kind"}  # KEYS_ONLY
    scanned = dynamodb.scan(TableName=events, IndexName="byKind")
    assert scanned["Count"] == 8
    with pytest.raises(ClientError) as caught:
        dynamodb.query(TableName=events, IndexName="byKind", ConsistentRead=True, KeyConditionExpression="kind = :k",
                       ExpressionAttributeValues={":k": {"S": "click"}})
    assert caught.value.response["Error"]["Message"] == "Consistent reads are not supported on global secondary indexes"


def test_local_secondary_index_and_begins_with(dynamodb, events):
    response = dynamodb.query(TableName=events, IndexName="byLabel",
                              KeyConditionExpression="pk = :p AND begins_with(label, :prefix)",
                              ExpressionAttributeValues={":p": {"S": "user#1"}, ":prefix": {"S": "label-10"}})
    labels = [item["label"]["S"] for item in response["Items"]]
    assert labels == sorted(labels) and len(labels) == 10
    assert set(response["Items"][0]) == {"pk", "sk", "label", "note"}  # INCLUDE projection
    paged = dynamodb.query(TableName=events, IndexName="byLabel", KeyConditionExpression="pk = :p", Limit=2,
                           ExpressionAttributeValues={":p": {"S": "user#1"}})
    assert set(paged["LastEvaluatedKey"]) == {"pk", "sk", "label"}


@pytest.mark.parametrize("condition, message", [
    ("sk = :n", "Query condition missed key schema element: pk"),
    ("pk > :p", "Query key condition not supported"),
    ("pk = :p OR sk = :n", "Invalid operator used in KeyConditionExpression: OR"),
    ("pk = :p AND score = :n", "Query condition missed key schema element: sk"),
    ("pk = :n", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    ("pk = :p AND sk = ", 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "="'),
])
def test_key_condition_errors(dynamodb, events, condition, message):
    with pytest.raises(ClientError) as caught:
        dynamodb.query(TableName=events, KeyConditionExpression=condition,
                       ExpressionAttributeValues={":p": {"S": "user#1"}, ":n": {"N": "1"}})
    assert caught.value.response["Error"] == {"Code": "ValidationException", "Message": message}


def test_scan_filters_pagination_and_segments(dynamodb, events):
    assert dynamodb.scan(TableName=events)["Count"] == 21
    filtered = dynamodb.scan(TableName=events, FilterExpression="attribute_exists(kind) AND (sk < :z OR begins_with(pk, :two))",
                             ExpressionAttributeValues={":z": {"N": "0"}, ":two": {"S": "user#2"}})
    assert sorted(sks(filtered)) == [-3, 1.5]
    paged = [sk for page in dynamodb.get_paginator("scan").paginate(TableName=events, PaginationConfig={"PageSize": 7})
             for sk in sks(page)]
    assert len(paged) == 21
    segmented = []
    for segment in range(4):
        for page in dynamodb.get_paginator("scan").paginate(TableName=events, Segment=segment, TotalSegments=4,
                                                            PaginationConfig={"PageSize": 5}):
            segmented += sks(page)
    assert sorted(segmented) == sorted(paged)
    with pytest.raises(ClientError) as caught:
        dynamodb.scan(TableName=events, Segment=4, TotalSegments=4)
    assert "Segment: 4 is not less than TotalSegments: 4" in caught.value.response["Error"]["Message"]


def test_legacy_query_and_scan_parameters(dynamodb, events):
    response = dynamodb.query(TableName=events,
                              KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "user#1"}]},
                                             "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "4"}]}},
                              QueryFilter={"score": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "15"}]}},
                              AttributesToGet=["sk"])
    assert response["Items"] == [{"sk": {"N": "2"}}, {"sk": {"N": "3"}}, {"sk": {"N": "4"}}]
    scanned = dynamodb.scan(TableName=events, ScanFilter={"kind": {"ComparisonOperator": "NULL"}})
    assert scanned["Count"] == 13


def test_one_megabyte_pages(dynamodb):
    name = f"big-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}])
    try:
        blob = "x" * (300 * 1024)
        for sk in range(6):
            dynamodb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(sk)}, "data": {"S": blob}})
        first = dynamodb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
        assert first["Count"] == 4 and first["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "3"}}
        rest = dynamodb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                              ExclusiveStartKey=first["LastEvaluatedKey"])
        assert sks(rest) == [4, 5] and "LastEvaluatedKey" not in rest
    finally:
        dynamodb.delete_table(TableName=name)
