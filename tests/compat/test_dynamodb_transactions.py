"""DynamoDB compatibility: BatchGetItem/BatchWriteItem and TransactWriteItems/TransactGetItems.

Fixtures `dynamodb` and `accounts` come from conftest.py.
"""

import uuid

import pytest
from botocore.exceptions import ClientError


def balance(dynamodb, table, account):
    item = dynamodb.get_item(TableName=table, Key={"id": {"S": account}}, ConsistentRead=True).get("Item")
    return item and item.get("balance", {}).get("N")


def test_batch_write_and_get(dynamodb, accounts):
    written = dynamodb.batch_write_item(RequestItems={accounts: [
        {"PutRequest": {"Item": {"id": {"S": f"a{i}"}, "balance": {"N": str(i)}}}} for i in range(25)]})
    assert written["UnprocessedItems"] == {}
    read = dynamodb.batch_get_item(RequestItems={accounts: {
        "Keys": [{"id": {"S": f"a{i}"}} for i in range(0, 25, 5)] + [{"id": {"S": "missing"}}],
        "ProjectionExpression": "#b", "ExpressionAttributeNames": {"#b": "balance"}}})
    assert read["UnprocessedKeys"] == {}
    assert sorted(int(item["balance"]["N"]) for item in read["Responses"][accounts]) == [0, 5, 10, 15, 20]
    dynamodb.batch_write_item(RequestItems={accounts: [{"DeleteRequest": {"Key": {"id": {"S": "a0"}}}}]})
    assert balance(dynamodb, accounts, "a0") is None


def test_batch_validation(dynamodb, accounts):
    with pytest.raises(ClientError) as caught:
        dynamodb.batch_write_item(RequestItems={accounts: [{"PutRequest": {"Item": {"id": {"S": "x"}}}},
                                                           {"DeleteRequest": {"Key": {"id": {"S": "x"}}}}]})
    assert caught.value.response["Error"]["Message"] == "Provided list of item keys contains duplicates"
    with pytest.raises(ClientError) as caught:
        dynamodb.batch_get_item(RequestItems={accounts: {"Keys": [{"id": {"S": f"k{i}"}} for i in range(101)]}})
    assert caught.value.response["Error"]["Message"] == "Too many items requested for the BatchGetItem call"
    with pytest.raises(dynamodb.exceptions.ResourceNotFoundException):
        dynamodb.batch_get_item(RequestItems={"no-such-table": {"Keys": [{"id": {"S": "x"}}]}})


def transfer(table, amount, token=None):
    items = [
        {"Update": {"TableName": table, "Key": {"id": {"S": "alice"}}, "UpdateExpression": "SET balance = balance - :amt",
                    "ConditionExpression": "balance >= :amt", "ExpressionAttributeValues": {":amt": {"N": str(amount)}},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        {"Update": {"TableName": table, "Key": {"id": {"S": "bob"}}, "UpdateExpression": "ADD balance :amt",
                    "ExpressionAttributeValues": {":amt": {"N": str(amount)}}}},
        {"ConditionCheck": {"TableName": table, "Key": {"id": {"S": "bank"}}, "ConditionExpression": "attribute_exists(id)"}},
    ]
    return {"TransactItems": items, **({"ClientRequestToken": token} if token else {})}


def test_transaction_commits_all_or_nothing(dynamodb, accounts):
    for account, amount in [("alice", "100"), ("bob", "0"), ("bank", "0")]:
        dynamodb.put_item(TableName=accounts, Item={"id": {"S": account}, "balance": {"N": amount}})
    dynamodb.transact_write_items(**transfer(accounts, 60))
    assert (balance(dynamodb, accounts, "alice"), balance(dynamodb, accounts, "bob")) == ("40", "60")

    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as caught:
        dynamodb.transact_write_items(**transfer(accounts, 60))
    response = caught.value.response
    assert response["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]")
    reasons = response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["ConditionalCheckFailed", "None", "None"]
    assert reasons[0]["Item"] == {"id": {"S": "alice"}, "balance": {"N": "40"}}
    assert (balance(dynamodb, accounts, "alice"), balance(dynamodb, accounts, "bob")) == ("40", "60")


def test_transaction_with_put_and_delete(dynamodb, accounts):
    dynamodb.put_item(TableName=accounts, Item={"id": {"S": "old"}})
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": accounts, "Item": {"id": {"S": "new"}, "balance": {"N": "1"}}, "ConditionExpression": "attribute_not_exists(id)"}},
        {"Delete": {"TableName": accounts, "Key": {"id": {"S": "old"}}, "ConditionExpression": "attribute_exists(id)"}},
    ])
    assert balance(dynamodb, accounts, "new") == "1"
    assert balance(dynamodb, accounts, "old") is None
    got = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": accounts, "Key": {"id": {"S": "new"}}, "ProjectionExpression": "balance"}},
        {"Get": {"TableName": accounts, "Key": {"id": {"S": "old"}}}},
    ])
    assert got["Responses"] == [{"Item": {"balance": {"N": "1"}}}, {}]


def test_transaction_validation(dynamodb, accounts):
    with pytest.raises(ClientError) as caught:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": accounts, "Item": {"id": {"S": "x"}}}},
            {"Delete": {"TableName": accounts, "Key": {"id": {"S": "x"}}}}])
    assert caught.value.response["Error"] == {
        "Code": "ValidationException", "Message": "Transaction request cannot include multiple operations on one item"}


def test_client_request_token_is_idempotent(dynamodb, accounts):
    for account, amount in [("alice", "100"), ("bob", "0"), ("bank", "0")]:
        dynamodb.put_item(TableName=accounts, Item={"id": {"S": account}, "balance": {"N": amount}})
    token = uuid.uuid4().hex
    dynamodb.transact_write_items(**transfer(accounts, 10, token))
    dynamodb.transact_write_items(**transfer(accounts, 10, token))
    assert balance(dynamodb, accounts, "alice") == "90"
    with pytest.raises(ClientError) as caught:
        dynamodb.transact_write_items(**transfer(accounts, 20, token))
    assert caught.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
