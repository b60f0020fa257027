"""DynamoDB Streams through boto3's `dynamodbstreams` client: a table's StreamSpecification, every
kind of write becoming one record (INSERT / MODIFY / REMOVE, none for a write that changes
nothing) with the images its view type asks for, in order, from TRIM_HORIZON, LATEST and sequence
numbers, paged by Limit, through transactions and batches; and the API's errors."""

import pytest
from botocore.exceptions import ClientError

from test_dynamodb import create_table


@pytest.fixture(scope="module")
def streams(stack):
    return stack.client("dynamodbstreams")


def streamed_table(dynamodb, view="NEW_AND_OLD_IMAGES"):
    name = create_table(dynamodb, range_type="N",
                        StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    return name, dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def shard_of(streams, arn):
    return streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]


def records(streams, arn, iterator_type="TRIM_HORIZON", **kwargs):
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                          ShardIteratorType=iterator_type, **kwargs)["ShardIterator"]
    return streams.get_records(ShardIterator=iterator)["Records"]


def test_every_change_is_one_record_with_both_images(dynamodb, streams):
    name, arn = streamed_table(dynamodb)
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    dynamodb.put_item(TableName=name, Item={**key, "v": {"S": "one"}})
    dynamodb.put_item(TableName=name, Item={**key, "v": {"S": "one"}})  # no change: no record
    dynamodb.update_item(TableName=name, Key=key, UpdateExpression="SET v = :v",
                         ExpressionAttributeValues={":v": {"S": "two"}})
    dynamodb.delete_item(TableName=name, Key=key)
    dynamodb.delete_item(TableName=name, Key=key)  # nothing to delete: no record
    got = records(streams, arn)
    assert [r["eventName"] for r in got] == ["INSERT", "MODIFY", "REMOVE"]
    insert, modify, remove = (r["dynamodb"] for r in got)
    assert insert["Keys"] == key and insert["NewImage"]["v"] == {"S": "one"} and "OldImage" not in insert
    assert modify["OldImage"]["v"] == {"S": "one"} and modify["NewImage"]["v"] == {"S": "two"}
    assert remove["OldImage"]["v"] == {"S": "two"} and "NewImage" not in remove
    numbers = [r["dynamodb"]["SequenceNumber"] for r in got]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert all(r["eventSource"] == "aws:dynamodb" and r["awsRegion"] == "us-east-1" for r in got)
    assert all(r["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES" and r["dynamodb"]["SizeBytes"] > 0 for r in got)
    assert len({r["eventID"] for r in got}) == 3


@pytest.mark.parametrize("view, new, old", [("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False),
                                           ("OLD_IMAGE", False, True)])
def test_view_types_choose_the_images(dynamodb, streams, view, new, old):
    name, arn = streamed_table(dynamodb, view)
    key = {"pk": {"S": "k"}, "sk": {"N": "1"}}
    dynamodb.put_item(TableName=name, Item={**key, "v": {"N": "1"}})
    dynamodb.put_item(TableName=name, Item={**key, "v": {"N": "2"}})
    modify = records(streams, arn)[1]["dynamodb"]
    assert modify["Keys"] == key
    assert ("NewImage" in modify, "OldImage" in modify) == (new, old)


def test_iterators_latest_and_sequence_numbers_and_paging(dynamodb, streams):
    name, arn = streamed_table(dynamodb)
    for i in range(5):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(i)}})
    shard = shard_of(streams, arn)
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    assert streams.get_records(ShardIterator=latest)["Records"] == []
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": "5"}})
    after_latest = streams.get_records(ShardIterator=latest)["Records"]
    assert [r["dynamodb"]["Keys"]["sk"]["N"] for r in after_latest] == ["5"]

    everything = records(streams, arn)
    third = everything[2]["dynamodb"]["SequenceNumber"]
    at = records(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=third)
    after = records(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=third)
    assert [r["dynamodb"]["SequenceNumber"] for r in at] == [r["dynamodb"]["SequenceNumber"] for r in everything[2:]]
    assert after == at[1:]

    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    pages = []
    for _ in range(10):
        page = streams.get_records(ShardIterator=iterator, Limit=2)
        if not page["Records"]:
            break
        pages.append([r["dynamodb"]["Keys"]["sk"]["N"] for r in page["Records"]])
        iterator = page["NextShardIterator"]
    assert pages == [["0", "1"], ["2", "3"], ["4", "5"]]


def test_transactions_batches_and_partiql_are_streamed(dynamodb, streams):
    name, arn = streamed_table(dynamodb, "NEW_IMAGE")
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t"}, "sk": {"N": "1"}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}}}])
    dynamodb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}}]})
    dynamodb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'q', 'sk': 1}}")
    failed = {"Put": {"TableName": name, "Item": {"pk": {"S": "t"}, "sk": {"N": "3"}},
                      "ConditionExpression": "attribute_exists(pk)"}}
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[failed])  # cancelled: leaves no record
    keys = [(r["dynamodb"]["Keys"]["pk"]["S"], r["dynamodb"]["Keys"]["sk"]["N"]) for r in records(streams, arn)]
    assert keys == [("t", "1"), ("t", "2"), ("b", "1"), ("q", "1")]


def test_list_and_describe_streams(dynamodb, streams):
    name, arn = streamed_table(dynamodb)
    plain = create_table(dynamodb)
    listed = streams.list_streams(TableName=name)["Streams"]
    assert [(s["StreamArn"], s["TableName"]) for s in listed] == [(arn, name)]
    assert streams.list_streams(TableName=plain)["Streams"] == []
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert (description["TableName"], description["StreamStatus"], description["StreamViewType"]) == (
        name, "ENABLED", "NEW_AND_OLD_IMAGES")
    assert description["KeySchema"][0] == {"AttributeName": "pk", "KeyType": "HASH"}
    assert description["StreamLabel"] == arn.rsplit("/", 1)[1]
    assert "LatestStreamArn" not in dynamodb.describe_table(TableName=plain)["Table"]


def test_stream_enabled_later_and_disabled(dynamodb, streams):
    name = create_table(dynamodb)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "before"}})
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "after"}})
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in records(streams, arn)] == ["after"]
    with pytest.raises(ClientError) as excinfo:
        dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert "LatestStreamArn" not in dynamodb.describe_table(TableName=name)["Table"]


def test_errors(dynamodb, streams):
    name, arn = streamed_table(dynamodb)
    shard = shard_of(streams, arn)

    def code(call, **kwargs):
        with pytest.raises(ClientError) as excinfo:
            call(**kwargs)
        return excinfo.value.response["Error"]["Code"]

    assert code(streams.describe_stream, StreamArn=arn + "x") == "ResourceNotFoundException"
    assert code(streams.get_shard_iterator, StreamArn=arn, ShardId="shardId-00000000000000000000-ffffffff",
                ShardIteratorType="LATEST") == "ResourceNotFoundException"
    assert code(streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType="SOMETIME") == "ValidationException"
    assert code(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                ShardIteratorType="AT_SEQUENCE_NUMBER") == "ValidationException"
    assert code(streams.get_records, ShardIterator="not an iterator") == "ValidationException"
    assert code(dynamodb.create_table, TableName="bad-stream", BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                StreamSpecification={"StreamEnabled": True, "StreamViewType": "EVERYTHING"}) == "ValidationException"


def test_template_table_streams(dynamodb, streams):
    """The test stack's template declares CloudFormation's `StreamSpecification: {StreamViewType: NEW_IMAGE}`."""
    table = dynamodb.describe_table(TableName="e2e-streamed-table")["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    arn = table["LatestStreamArn"]
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                        ShardIteratorType="LATEST")["ShardIterator"]
    dynamodb.put_item(TableName="e2e-streamed-table", Item={"id": {"S": "from-the-template"}})
    got = streams.get_records(ShardIterator=latest)["Records"]
    assert [r["dynamodb"]["NewImage"] for r in got] == [{"id": {"S": "from-the-template"}}]
