"""DynamoDB compatibility through boto3's resource API: Table objects, Key/Attr conditions,
Decimal numbers and the batch writer.

Fixture `dynamodb_resource` comes from conftest.py.
"""

import uuid
from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError


@pytest.fixture
def songs(dynamodb_resource):
    table = dynamodb_resource.create_table(
        TableName=f"songs-{uuid.uuid4().hex[:12]}", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "artist", "KeyType": "HASH"}, {"AttributeName": "title", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "artist", "AttributeType": "S"}, {"AttributeName": "title", "AttributeType": "S"},
                              {"AttributeName": "year", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{"IndexName": "byYear", "KeySchema": [{"AttributeName": "year", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    table.wait_until_exists()
    yield table
    table.delete()


def test_put_get_with_python_types(songs):
    item = {"artist": "Nina", "title": "Feeling Good", "year": 1965, "rating": Decimal("4.75"),
            "tags": {"jazz", "soul"}, "scores": {Decimal(1), Decimal("2.5")}, "meta": {"live": True, "takes": [1, 2, None]},
            "cover": b"\x89PNG", "notes": ""}
    songs.put_item(Item=item)
    got = songs.get_item(Key={"artist": "Nina", "title": "Feeling Good"}, ConsistentRead=True)["Item"]
    assert got == {**item, "year": Decimal(1965), "meta": {"live": True, "takes": [Decimal(1), Decimal(2), None]}}
    assert isinstance(got["rating"], Decimal)
    assert got["cover"].value == b"\x89PNG"


# (Not 1E+125: DynamoDB returns it as 126 plain digits, which boto3's 38-digit context rejects.)
@pytest.mark.parametrize("value", [
    Decimal("0.1"), Decimal("-123.456"), Decimal("1E+30"), Decimal("1E-130"), Decimal("12345678901234567890123456789012345678"),
    Decimal("3.141592653589793238462643383279502884"),
])
def test_decimal_round_trip_is_exact(songs, value):
    songs.put_item(Item={"artist": "math", "title": str(value), "value": value})
    stored = songs.get_item(Key={"artist": "math", "title": str(value)})["Item"]["value"]
    assert stored == value


def test_decimal_arithmetic_has_no_float_rounding(songs):
    songs.put_item(Item={"artist": "acc", "title": "t", "sum": Decimal("0.1")})
    for _ in range(2):
        songs.update_item(Key={"artist": "acc", "title": "t"}, UpdateExpression="SET #s = #s + :d",
                          ExpressionAttributeNames={"#s": "sum"}, ExpressionAttributeValues={":d": Decimal("0.1")})
    result = songs.update_item(Key={"artist": "acc", "title": "t"}, UpdateExpression="ADD #s :d", ExpressionAttributeNames={"#s": "sum"},
                               ExpressionAttributeValues={":d": Decimal("0.05")}, ReturnValues="UPDATED_NEW")
    assert result["Attributes"]["sum"] == Decimal("0.35")


def test_query_with_key_and_attr_conditions(songs):
    with songs.batch_writer() as batch:
        for i in range(30):
            batch.put_item(Item={"artist": "Bach" if i % 2 else "Bowie", "title": f"track-{i:02d}", "year": 1700 + i % 5,
                                 "length": i})
    response = songs.query(KeyConditionExpression=Key("artist").eq("Bach") & Key("title").begins_with("track-1"),
                           FilterExpression=Attr("length").gt(12) & Attr("missing").not_exists())
    assert [item["title"] for item in response["Items"]] == ["track-13", "track-15", "track-17", "track-19"]
    between = songs.query(KeyConditionExpression=Key("artist").eq("Bowie") & Key("title").between("track-04", "track-08"),
                          ScanIndexForward=False)
    assert [item["title"] for item in between["Items"]] == ["track-08", "track-06", "track-04"]
    by_year = songs.query(IndexName="byYear", KeyConditionExpression=Key("year").eq(1702))
    assert by_year["Count"] == 6
    scanned = songs.scan(FilterExpression=Attr("length").is_in([1, 2, 3]) | Attr("title").contains("29"))
    assert sorted(item["length"] for item in scanned["Items"]) == [1, 2, 3, 29]


def test_conditional_update_with_attr(songs):
    songs.put_item(Item={"artist": "Miles", "title": "So What", "plays": 1})
    songs.update_item(Key={"artist": "Miles", "title": "So What"}, UpdateExpression="SET plays = plays + :one",
                      ConditionExpression=Attr("plays").lt(5) & Attr("plays").attribute_type("N"),
                      ExpressionAttributeValues={":one": 1})
    with pytest.raises(ClientError) as caught:
        songs.update_item(Key={"artist": "Miles", "title": "So What"}, UpdateExpression="SET plays = :zero",
                          ConditionExpression=Attr("plays").eq(100), ExpressionAttributeValues={":zero": 0})
    assert caught.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert songs.get_item(Key={"artist": "Miles", "title": "So What"})["Item"]["plays"] == 2
    songs.delete_item(Key={"artist": "Miles", "title": "So What"}, ConditionExpression=Attr("plays").eq(2))
    assert "Item" not in songs.get_item(Key={"artist": "Miles", "title": "So What"})
