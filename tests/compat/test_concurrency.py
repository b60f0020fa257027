"""Concurrent clients on one key: what each of them sees is whole and consistent. Readers of an
object being overwritten get one complete version with its own ETag; TransactGetItems never sees
half of a concurrent TransactWriteItems; racing conditional writes have exactly one winner; ADDs
are never lost. Each test runs its threads for a bounded number of operations."""

import hashlib
import threading
import uuid

from botocore.exceptions import ClientError

SIZES = [1, 1000, 65_536, 65_537, 300_000, 2 * 1024 * 1024]  # both sides of the journal's 64 KiB


def run_threads(*targets):
    """Runs each (function, args) in a thread; re-raises the first failure."""
    failures = []

    def guarded(function, args):
        try:
            function(*args)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client thread hung"
    if failures:
        raise failures[0]


def version(writer, number):
    """The body writer `writer` puts as its `number`th version: it names itself and its length."""
    size = SIZES[(writer + number) % len(SIZES)]
    head = f"{writer}:{number}:".encode()
    return head + bytes([65 + (writer * 7 + number) % 26]) * size


def test_readers_of_an_object_being_overwritten_see_whole_versions(stack):
    s3 = stack.client("s3")
    bucket = f"concurrency-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="hot", Body=version(9, 0))
    seen = []

    def writer(number):
        client = stack.client("s3")
        for n in range(1, 25):
            body = version(number, n)
            etag = client.put_object(Bucket=bucket, Key="hot", Body=body)["ETag"].strip('"')
            assert etag == hashlib.md5(body).hexdigest()

    def reader():
        client = stack.client("s3")
        for _ in range(40):
            response = client.get_object(Bucket=bucket, Key="hot")
            data = response["Body"].read()
            writer_id, number = data.split(b":")[:2]
            assert data == version(int(writer_id), int(number)), "a read mixed two versions"
            assert response["ETag"].strip('"') == hashlib.md5(data).hexdigest()
            assert response["ContentLength"] == len(data)
            seen.append((writer_id, number))

    run_threads(*[(writer, (w,)) for w in range(3)], *[(reader, ()) for _ in range(3)])
    assert len(set(seen)) > 1, "the readers never saw an overwrite land"


def test_transact_get_items_never_sees_half_a_transfer(stack, dynamodb, accounts):
    for account in "AB":
        dynamodb.put_item(TableName=accounts, Item={"id": {"S": account}, "balance": {"N": "1000"}})
    moved = {"AB": 0, "BA": 0}
    lock = threading.Lock()

    def mover(source, target):
        client = stack.client("dynamodb")
        for _ in range(60):
            client.transact_write_items(TransactItems=[
                {"Update": {"TableName": accounts, "Key": {"id": {"S": source}},
                            "UpdateExpression": "SET balance = balance - :one", "ConditionExpression": "balance >= :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                {"Update": {"TableName": accounts, "Key": {"id": {"S": target}},
                            "UpdateExpression": "SET balance = balance + :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}}])
            with lock:
                moved[source + target] += 1

    def auditor():
        client = stack.client("dynamodb")
        for _ in range(80):
            responses = client.transact_get_items(TransactItems=[
                {"Get": {"TableName": accounts, "Key": {"id": {"S": account}}}} for account in "AB"])["Responses"]
            balances = [int(response["Item"]["balance"]["N"]) for response in responses]
            assert sum(balances) == 2000, f"saw half a transfer: {balances}"

    run_threads((mover, ("A", "B")), (mover, ("B", "A")), (mover, ("A", "B")), (auditor, ()), (auditor, ()))
    final = {account: int(dynamodb.get_item(TableName=accounts, Key={"id": {"S": account}}, ConsistentRead=True)
                          ["Item"]["balance"]["N"]) for account in "AB"}
    assert final == {"A": 1000 - moved["AB"] + moved["BA"], "B": 1000 + moved["AB"] - moved["BA"]}


def test_racing_conditional_puts_have_exactly_one_winner(stack, dynamodb, accounts):
    for round_ in range(10):
        outcomes = []

        def contender(number):
            client = stack.client("dynamodb")
            try:
                client.put_item(TableName=accounts, Item={"id": {"S": f"race-{round_}"}, "winner": {"N": str(number)}},
                                ConditionExpression="attribute_not_exists(id)")
                outcomes.append(("won", number))
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
                outcomes.append(("lost", number))

        run_threads(*[(contender, (n,)) for n in range(8)])
        winners = [number for outcome, number in outcomes if outcome == "won"]
        assert len(outcomes) == 8 and len(winners) == 1
        item = dynamodb.get_item(TableName=accounts, Key={"id": {"S": f"race-{round_}"}}, ConsistentRead=True)["Item"]
        assert item["winner"]["N"] == str(winners[0])


def test_concurrent_adds_are_never_lost(stack, dynamodb, accounts):
    def adder():
        client = stack.client("dynamodb")
        for _ in range(50):
            client.update_item(TableName=accounts, Key={"id": {"S": "counter"}}, UpdateExpression="ADD hits :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})

    run_threads(*[(adder, ()) for _ in range(4)])
    item = dynamodb.get_item(TableName=accounts, Key={"id": {"S": "counter"}}, ConsistentRead=True)["Item"]
    assert item["hits"]["N"] == "200"


def test_versioned_writers_deleters_and_readers_agree(stack):
    """Racing PUTs, DELETEs (markers) and deletes of whole versions on one key of a versioned
    bucket: every acknowledged version is listed with its own bytes until deleted, every read of
    the current object is a whole version that was written, and afterwards the current object is
    the newest version listed."""
    s3 = stack.client("s3")
    bucket = f"concurrency-v-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = version(9, 0)  # never deleted: the key always has a version, so a 404 means a delete marker
    written = {s3.put_object(Bucket=bucket, Key="hot", Body=first)["VersionId"]: first}
    destroyed, lock = set(), threading.Lock()

    def writer(number):
        client = stack.client("s3")
        for n in range(1, 20):
            body = version(number, n)
            reply = client.put_object(Bucket=bucket, Key="hot", Body=body)
            with lock:
                written[reply["VersionId"]] = body
            if n % 5 == 0:
                assert client.delete_object(Bucket=bucket, Key="hot")["DeleteMarker"] is True
            if n % 4 == 0:
                with lock:
                    victim = next((v for v in list(written)[1:] if v not in destroyed), None)
                    if victim:
                        destroyed.add(victim)
                if victim:
                    client.delete_object(Bucket=bucket, Key="hot", VersionId=victim)

    def reader():
        client = stack.client("s3")
        for _ in range(40):
            try:
                response = client.get_object(Bucket=bucket, Key="hot")
            except ClientError as error:
                assert error.response["Error"]["Code"] == "NoSuchKey"
                assert error.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
                continue
            data = response["Body"].read()
            writer_id, number = data.split(b":")[:2]
            assert data == version(int(writer_id), int(number)), "a read mixed two versions"

    run_threads(*[(writer, (w,)) for w in range(3)], *[(reader, ()) for _ in range(2)])
    listing = s3.list_object_versions(Bucket=bucket)
    listed = {v["VersionId"] for v in listing.get("Versions", [])}
    assert listed == set(written) - destroyed
    for version_id in sorted(listed)[:10]:
        body = s3.get_object(Bucket=bucket, Key="hot", VersionId=version_id)["Body"].read()
        assert body == written[version_id]
    entries = listing.get("Versions", []) + listing.get("DeleteMarkers", [])
    assert sum(entry["IsLatest"] for entry in entries) == 1
    newest = next(entry for entry in entries if entry["IsLatest"])
    if newest in listing.get("Versions", []):
        assert s3.head_object(Bucket=bucket, Key="hot")["VersionId"] == newest["VersionId"]
    else:
        try:
            s3.head_object(Bucket=bucket, Key="hot")
            raise AssertionError("the newest entry is a delete marker, but the key reads")
        except ClientError as error:
            assert error.response["Error"]["Code"] == "404"
