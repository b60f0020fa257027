"""DynamoDB PartiQL through boto3's client and the AWS CLI: ExecuteStatement (SELECT as Query or Scan,
INSERT, UPDATE, DELETE, parameters, pagination), BatchExecuteStatement and ExecuteTransaction, and
the errors each gives.

Fixtures `dynamodb` and `aws_cli_env` come from conftest.py.
"""

import json
import shutil
import subprocess
import uuid

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def orders(dynamodb):
    """`customer` (S) hash, `n` (N) range, and a global index on `status`."""
    name = f"orders-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"},
                              {"AttributeName": "n", "AttributeType": "N"},
                              {"AttributeName": "status", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "byStatus", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    for customer in ("alice", "bob"):
        for n in range(1, 6):
            dynamodb.execute_statement(
                Statement=f'INSERT INTO "{name}" VALUE {{\'customer\': ?, \'n\': ?, \'status\': ?, \'total\': ?}}',
                Parameters=[{"S": customer}, {"N": str(n)}, {"S": "open" if n % 2 else "shipped"}, {"N": str(n * 10)}])
    yield name
    dynamodb.delete_table(TableName=name)


def select(dynamodb, statement, parameters=None, **options):
    args = {"Statement": statement, **options}
    if parameters:
        args["Parameters"] = parameters
    return dynamodb.execute_statement(**args)


def error(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_select_by_key_and_by_filter(dynamodb, orders):
    # Partition key equality plus a sort-key range: a Query, in key order.
    items = select(dynamodb, f'SELECT * FROM "{orders}" WHERE customer = ? AND n BETWEEN ? AND ?',
                   [{"S": "alice"}, {"N": "2"}, {"N": "4"}])["Items"]
    assert [item["n"]["N"] for item in items] == ["2", "3", "4"]
    assert items[0] == {"customer": {"S": "alice"}, "n": {"N": "2"}, "status": {"S": "shipped"}, "total": {"N": "20"}}
    # ORDER BY the sort key DESC reads the partition backwards.
    backwards = select(dynamodb, f'SELECT n FROM "{orders}" WHERE customer = \'bob\' ORDER BY n DESC')["Items"]
    assert [item["n"]["N"] for item in backwards] == ["5", "4", "3", "2", "1"]
    # No key equality: a Scan with the WHERE as filter.
    big = select(dynamodb, f'SELECT customer, n FROM "{orders}" WHERE total >= 40 AND NOT customer = \'bob\'')["Items"]
    assert sorted(item["n"]["N"] for item in big) == ["4", "5"]
    assert all(set(item) == {"customer", "n"} for item in big)
    either = select(dynamodb, f'SELECT * FROM "{orders}" WHERE customer = \'alice\' OR n = 5')["Items"]
    assert len(either) == 6


def test_condition_functions_and_operators(dynamodb, orders):
    def count(where, parameters=None):
        return len(select(dynamodb, f'SELECT * FROM "{orders}" WHERE {where}', parameters)["Items"])

    assert count("customer IN ['alice', 'carol'] AND n IN (1, 2)") == 2
    assert count("begins_with(customer, 'al')") == 5
    assert count("contains(status, 'hip')") == 4
    assert count("note IS MISSING") == 10
    assert count("total IS NOT MISSING AND n <> 1") == 8
    assert count("attribute_type(total, 'N') AND size(customer) = 3") == 5
    assert count("status = ? AND total > ?", [{"S": "open"}, {"N": "25"}]) == 4
    assert count('"status" = \'open\'') == 6


def test_index_and_nested_projection(dynamodb, orders):
    shipped = select(dynamodb, f'SELECT customer, n FROM "{orders}"."byStatus" WHERE status = \'shipped\'')["Items"]
    assert sorted((i["customer"]["S"], i["n"]["N"]) for i in shipped) == [("alice", "2"), ("alice", "4"), ("bob", "2"), ("bob", "4")]
    dynamodb.execute_statement(
        Statement=f'INSERT INTO "{orders}" VALUE {{\'customer\': \'carol\', \'n\': 1, \'addr\': {{\'city\': \'Oslo\', \'zip\': [1, 2]}}, '
                  f'\'weird name\': true, \'tags\': <<\'a\', \'b\'>>, \'gone\': null}}')
    item = select(dynamodb, f'SELECT addr.city, addr.zip[1], "weird name", tags, gone FROM "{orders}" '
                            f'WHERE customer = \'carol\' AND n = 1')["Items"][0]
    assert item == {"city": {"S": "Oslo"}, "zip[1]": {"N": "2"}, "weird name": {"BOOL": True},
                    "tags": {"SS": ["a", "b"]}, "gone": {"NULL": True}}


def test_pagination_with_limit_and_next_token(dynamodb, orders):
    statement = f'SELECT * FROM "{orders}" WHERE customer = ?'
    seen, token, pages = [], None, 0
    while True:
        options = {"Limit": 2, **({"NextToken": token} if token else {})}
        page = select(dynamodb, statement, [{"S": "alice"}], **options)
        pages += 1
        seen += [item["n"]["N"] for item in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
        assert page["LastEvaluatedKey"] == {"customer": {"S": "alice"}, "n": page["Items"][-1]["n"]}
    assert seen == ["1", "2", "3", "4", "5"]
    assert pages == 3
    # A token only continues the request it came from.
    first = select(dynamodb, statement, [{"S": "alice"}], Limit=1)
    assert error(lambda: select(dynamodb, statement, [{"S": "bob"}], NextToken=first["NextToken"])) == \
        ("ValidationException", "NextToken does not match request")
    assert error(lambda: select(dynamodb, statement, [{"S": "bob"}], NextToken="garbage"))[1] == "Invalid NextToken"
    # A scan pages too; ConsistentRead and ReturnConsumedCapacity are accepted.
    scanned = select(dynamodb, f'SELECT * FROM "{orders}"', Limit=7, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert len(scanned["Items"]) == 7 and "NextToken" in scanned
    assert scanned["ConsumedCapacity"]["TableName"] == orders
    rest = select(dynamodb, f'SELECT * FROM "{orders}"', Limit=7, NextToken=scanned["NextToken"])
    assert len(rest["Items"]) == 3 and "NextToken" not in rest


def test_in_on_the_partition_key_reads_only_those_partitions(dynamodb, orders):
    # 30 more partitions, which sort before and after the ones asked for.
    for i in range(30):
        dynamodb.put_item(TableName=orders, Item={"customer": {"S": f"{'a' if i % 2 else 'z'}-{i}"}, "n": {"N": "1"}})

    def pages(statement, limit):
        found, token = [], None
        while True:
            page = select(dynamodb, statement, Limit=limit, **({"NextToken": token} if token else {}))
            found.append([f'{item["customer"]["S"]}{item["n"]["N"]}' for item in page["Items"]])
            token = page.get("NextToken")
            if not token:
                return found

    # Limit counts the items evaluated. Each value is its own Query, so every page is full of
    # matches; a Scan would spend its Limit on the other partitions and return short pages.
    statement = f'SELECT * FROM "{orders}" WHERE customer IN [\'bob\', \'nobody\', \'alice\', \'bob\']'
    assert pages(statement, 4) == [["bob1", "bob2", "bob3", "bob4"], ["bob5", "alice1", "alice2", "alice3"], ["alice4", "alice5"]]
    # The same through OR, with the rest of the WHERE filtering, and ORDER BY on the key.
    either = f'SELECT * FROM "{orders}" WHERE (customer = \'alice\' OR customer = \'bob\') AND n >= 4'
    assert pages(either, 100) == [["alice4", "alice5", "bob4", "bob5"]]
    ordered = f'SELECT * FROM "{orders}" WHERE customer IN [\'alice\', \'bob\'] AND n < 3 ORDER BY customer DESC'
    assert pages(ordered, 100) == [["bob2", "bob1", "alice2", "alice1"]]
    # DynamoDB reads at most 50 partitions for one statement.
    many = ", ".join(f"'c{i}'" for i in range(51))
    assert error(lambda: select(dynamodb, f'SELECT * FROM "{orders}" WHERE customer IN [{many}]')) == \
        ("ValidationException", "Too many decomposed read operations for a given query.")


def test_insert_update_delete(dynamodb, orders):
    key = [{"S": "dave"}, {"N": "1"}]
    insert = f'INSERT INTO "{orders}" VALUE {{\'customer\': ?, \'n\': ?, \'count\': 1, \'log\': [\'a\'], \'tags\': <<\'x\'>>, \'old\': 0}}'
    assert dynamodb.execute_statement(Statement=insert, Parameters=key)["Items"] == []
    code, message = error(lambda: dynamodb.execute_statement(Statement=insert, Parameters=key))
    assert (code, message) == ("DuplicateItemException", "Duplicate primary key exists in table")

    updated = dynamodb.execute_statement(
        Statement=f'UPDATE "{orders}" SET "count" = "count" + 1 SET log = list_append(log, [\'b\']), '
                  f'tags = set_add(tags, <<\'y\'>>) REMOVE old WHERE customer = ? AND n = ? RETURNING ALL NEW *',
        Parameters=key)["Items"][0]
    assert updated["count"] == {"N": "2"} and updated["log"] == {"L": [{"S": "a"}, {"S": "b"}]}
    assert sorted(updated["tags"]["SS"]) == ["x", "y"] and "old" not in updated

    # The rest of the WHERE is a condition on the item.
    code, _ = error(lambda: dynamodb.execute_statement(
        Statement=f'UPDATE "{orders}" SET "count" = 9 WHERE customer = ? AND n = ? AND "count" > 5', Parameters=key,
        ReturnValuesOnConditionCheckFailure="ALL_OLD"))
    assert code == "ConditionalCheckFailedException"
    # UPDATE is no upsert: a missing item fails the same way, and nothing is created.
    missing = [{"S": "nobody"}, {"N": "1"}]
    assert error(lambda: dynamodb.execute_statement(
        Statement=f'UPDATE "{orders}" SET x = 1 WHERE customer = ? AND n = ?', Parameters=missing))[0] == \
        "ConditionalCheckFailedException"
    assert select(dynamodb, f'SELECT * FROM "{orders}" WHERE customer = ? AND n = ?', missing)["Items"] == []

    # DELETE: a false condition stops it, a missing item is fine.
    assert error(lambda: dynamodb.execute_statement(
        Statement=f'DELETE FROM "{orders}" WHERE customer = ? AND n = ? AND "count" = 7', Parameters=key))[0] == \
        "ConditionalCheckFailedException"
    dynamodb.execute_statement(Statement=f'DELETE FROM "{orders}" WHERE customer = ? AND n = ?', Parameters=key)
    dynamodb.execute_statement(Statement=f'DELETE FROM "{orders}" WHERE customer = ? AND n = ?', Parameters=key)
    assert "Item" not in dynamodb.get_item(TableName=orders, Key={"customer": key[0], "n": key[1]}, ConsistentRead=True)


def test_statement_errors(dynamodb, orders):
    def fails(statement, parameters=None):
        return error(lambda: select(dynamodb, statement, parameters))

    code, message = fails(f'SELEC * FROM "{orders}"')
    assert code == "ValidationException" and message == "Statement wasn't well formed, can't be processed: Expected data manipulation"
    for malformed in [f'SELECT * FROM "{orders}" WHERE', f'SELECT * "{orders}"', f"SELECT * FROM '{orders}'",
                      f'SELECT * FROM "{orders}" WHERE n = \'unterminated', f'SELECT * FROM "{orders}"; SELECT 1']:
        code, message = fails(malformed)
        assert code == "ValidationException", malformed
        assert message.startswith("Statement wasn't well formed, can't be processed: "), (malformed, message)
    assert fails('SELECT * FROM "no-such-table"')[0] == "ResourceNotFoundException"
    assert fails(f'SELECT * FROM "{orders}" WHERE customer = ?') == \
        ("ValidationException", "Number of parameters in request and statement don't match.")
    assert fails(f'SELECT * FROM "{orders}"', [{"S": "extra"}])[1] == "Number of parameters in request and statement don't match."
    assert fails(f'UPDATE "{orders}" SET x = 1 WHERE customer = \'alice\'') == \
        ("ValidationException", "Where clause does not contain a mandatory equality on all key attributes")
    assert fails(f'SELECT * FROM "{orders}" WHERE note = MISSING')[1] == "MISSING must be compared using IS operator"
    assert fails(f'SELECT * FROM "{orders}" LIMIT 1')[1] == "Unsupported clause: LIMIT"


def test_batch_execute_statement(dynamodb, orders):
    reads = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f'SELECT * FROM "{orders}" WHERE customer = ? AND n = ?', "Parameters": [{"S": "alice"}, {"N": "1"}]},
        {"Statement": f'SELECT total FROM "{orders}" WHERE customer = \'bob\' AND n = 2', "ConsistentRead": True},
        {"Statement": f'SELECT * FROM "{orders}" WHERE customer = \'zed\' AND n = 1'},
        {"Statement": f'SELECT * FROM "{orders}" WHERE customer = \'alice\''},
    ])["Responses"]
    assert reads[0]["Item"]["total"] == {"N": "10"} and reads[0]["TableName"] == orders
    assert reads[1]["Item"] == {"total": {"N": "20"}}
    assert "Item" not in reads[2] and "Error" not in reads[2]
    assert reads[3]["Error"]["Code"] == "ValidationError"

    writes = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f'INSERT INTO "{orders}" VALUE {{\'customer\': \'erin\', \'n\': 1}}'},
        {"Statement": f'INSERT INTO "{orders}" VALUE {{\'customer\': \'alice\', \'n\': 1}}'},
        {"Statement": f'UPDATE "{orders}" SET total = 0 WHERE customer = \'bob\' AND n = 1'},
        {"Statement": f'DELETE FROM "{orders}" WHERE customer = \'bob\' AND n = 2 AND total = 999'},
        {"Statement": "garbage"},
    ])["Responses"]
    assert "Error" not in writes[0] and writes[0]["TableName"] == orders
    assert writes[1]["Error"] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert "Error" not in writes[2]
    assert writes[3]["Error"]["Code"] == "ConditionalCheckFailed"
    assert writes[4]["Error"]["Code"] == "ValidationError"
    # Each statement stood on its own: the good ones applied.
    assert select(dynamodb, f'SELECT * FROM "{orders}" WHERE customer = \'erin\'')["Items"] != []
    assert select(dynamodb, f'SELECT total FROM "{orders}" WHERE customer = \'bob\' AND n = 1')["Items"] == [{"total": {"N": "0"}}]

    mixed = [{"Statement": f'SELECT * FROM "{orders}" WHERE customer = \'bob\' AND n = 1'},
             {"Statement": f'DELETE FROM "{orders}" WHERE customer = \'bob\' AND n = 3'}]
    assert error(lambda: dynamodb.batch_execute_statement(Statements=mixed)) == \
        ("ValidationException", "Read and write requests together in the same batch is not supported.")
    too_many = [{"Statement": f'DELETE FROM "{orders}" WHERE customer = \'x\' AND n = {i}'} for i in range(26)]
    assert error(lambda: dynamodb.batch_execute_statement(Statements=too_many))[0] == "ValidationException"


def test_execute_transaction(dynamodb, orders):
    def total(customer, n):
        items = select(dynamodb, f'SELECT total FROM "{orders}" WHERE customer = ? AND n = ?', [{"S": customer}, {"N": str(n)}])["Items"]
        return items[0]["total"]["N"] if items else None

    move = [
        {"Statement": f'UPDATE "{orders}" SET total = total - 5 WHERE customer = \'alice\' AND n = 1 AND total >= 5'},
        {"Statement": f'UPDATE "{orders}" SET total = total + 5 WHERE customer = \'bob\' AND n = 1'},
        {"Statement": f'EXISTS(SELECT * FROM "{orders}" WHERE customer = \'alice\' AND n = 2 AND status = \'shipped\')'},
        {"Statement": f'INSERT INTO "{orders}" VALUE {{\'customer\': \'log\', \'n\': 1}}'},
    ]
    dynamodb.execute_transaction(TransactStatements=move, ClientRequestToken="move-1")
    assert (total("alice", 1), total("bob", 1)) == ("5", "15")
    # The same token and statements again: success, applied once.
    dynamodb.execute_transaction(TransactStatements=move, ClientRequestToken="move-1")
    assert (total("alice", 1), total("bob", 1)) == ("5", "15")
    assert error(lambda: dynamodb.execute_transaction(TransactStatements=move[:2], ClientRequestToken="move-1"))[0] == \
        "IdempotentParameterMismatchException"

    # All or nothing: the duplicate INSERT cancels the update before it.
    with pytest.raises(ClientError) as raised:
        dynamodb.execute_transaction(TransactStatements=move)
    response = raised.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert [reason["Code"] for reason in response["CancellationReasons"]] == ["None", "None", "None", "DuplicateItem"]
    assert (total("alice", 1), total("bob", 1)) == ("5", "15")

    failing_check = [move[1], {"Statement": f'EXISTS(SELECT * FROM "{orders}" WHERE customer = \'alice\' AND n = 2 AND status = \'open\')'}]
    with pytest.raises(ClientError) as raised:
        dynamodb.execute_transaction(TransactStatements=failing_check)
    assert [r["Code"] for r in raised.value.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert total("bob", 1) == "15"

    reads = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f'SELECT total FROM "{orders}" WHERE customer = ? AND n = ?', "Parameters": [{"S": "alice"}, {"N": "1"}]},
        {"Statement": f'SELECT * FROM "{orders}" WHERE customer = \'nobody\' AND n = 1'},
    ])["Responses"]
    assert reads == [{"Item": {"total": {"N": "5"}}}, {}]

    mixed = [move[0], {"Statement": f'SELECT * FROM "{orders}" WHERE customer = \'bob\' AND n = 1'}]
    assert error(lambda: dynamodb.execute_transaction(TransactStatements=mixed)) == \
        ("ValidationException", "ExecuteTransaction API does not support both read and write operations in the same request.")
    twice = [move[1], {"Statement": f'DELETE FROM "{orders}" WHERE customer = \'bob\' AND n = 1'}]
    assert error(lambda: dynamodb.execute_transaction(TransactStatements=twice))[1] == \
        "Transaction request cannot include multiple operations on one item"
    assert error(lambda: dynamodb.execute_statement(Statement=move[2]["Statement"]))[1] == \
        "EXISTS can only be used in ExecuteTransaction write requests."


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_cli_execute_statement(aws_cli_env, dynamodb, orders):
    result = subprocess.run(
        ["aws", "dynamodb", "execute-statement", "--output", "json",
         "--statement", f'SELECT n, total FROM "{orders}" WHERE customer = ? AND n >= ?',
         "--parameters", json.dumps([{"S": "bob"}, {"N": "4"}])],
        env=aws_cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["Items"]
    assert items == [{"n": {"N": "4"}, "total": {"N": "40"}}, {"n": {"N": "5"}, "total": {"N": "50"}}]
    failed = subprocess.run(
        ["aws", "dynamodb", "execute-statement", "--statement", f'SELECT * FROM "{orders}" WHERE'],
        env=aws_cli_env, capture_output=True, text=True, timeout=120)
    assert failed.returncode != 0
    assert "ValidationException" in failed.stderr and "Statement wasn't well formed" in failed.stderr
