"""Crash recovery: concurrent S3 and DynamoDB writers, `kill -9` of Nimbus at a random moment,
over several cycles on one data directory. After every restart each acknowledged write is readable
with exactly its content, and nothing half-written is visible: an object that was in flight is
absent or complete, a transaction is all-or-nothing, a counter counts at least every acknowledged
ADD and at most every attempted one; a table's stream has a record exactly for each change the table
shows; in a versioned bucket every acknowledged version and delete
marker is listed (until a delete of it is attempted), versions deleted for good stay gone, and the
current object is the newest version listed. What a restart shows must stay the same after later
crashes.
Both durability levels promise this: `disk` (flushed before the answer) and `process` (handed to
the operating system before the answer), since a killed process leaves the page cache behind."""

import hashlib
import random
import signal
import tempfile
import threading
import time

import boto3
import pytest
from botocore.config import Config

from conftest import Stack

SEED = 20240613
CYCLES = 6
S3_WRITERS = 4
DYNAMO_WRITERS = 2
VERSIONED_WRITERS = 2
BUCKET = "crash-bucket"
VERSIONED_BUCKET = "crash-versioned"
TABLE = "crash-table"
TX_TABLE = "crash-tx-table"
SIZES = [0, 1, 17, 1000, 4096, 65_537, 300_000, 1024 * 1024, 2 * 1024 * 1024]
MAX_OPS_PER_THREAD = 400  # bounds every writer loop, whatever the timing


class ReusedStack(Stack):
    """A Stack that kills its process when start-up fails (Stack leaves it running)."""

    def __init__(self, *extra_args):
        try:
            super().__init__(*extra_args)
        except BaseException:
            if getattr(self, "process", None) is not None and self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            raise


def stack_on(data_dir=None, durability="disk"):
    """A stack on `data_dir` (a fresh directory when None). Stack always makes its own temp dir,
    so hand it ours through tempfile.mkdtemp for the duration of the constructor."""
    if data_dir is None:
        return ReusedStack("--durability", durability)
    original = tempfile.mkdtemp
    tempfile.mkdtemp = lambda *args, **kwargs: data_dir
    try:
        return ReusedStack("--durability", durability)
    finally:
        tempfile.mkdtemp = original


def client(stack, service):
    """One client per thread: no retries, short timeouts so a killed server never hangs a writer."""
    return boto3.client(service, endpoint_url=stack.aws, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10,
                                      s3={"addressing_style": "path"}))


def content_for(name, size):
    """The bytes an object named `name` of `size` bytes holds: a function of the name alone."""
    block = hashlib.sha256(name.encode()).digest() * 64  # 2 KiB
    repeats = size // len(block) + 1
    return (block * repeats)[:size]


def size_from_key(key):
    return int(key.rsplit("-", 1)[1])


class Ledger:
    """What the writers attempted and what got a success response, shared by all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.s3_attempted, self.s3_acked = set(), set()           # unique object keys
        self.s3_confirmed, self.s3_absent = set(), set()          # state seen after a restart
        self.hot = {}        # hot key -> {"versions": {v: size}, "acked": v or None, "attempted": [v...]}
        self.items_attempted, self.items_acked = {}, set()        # pk -> value
        self.items_confirmed, self.items_absent = set(), set()
        self.counter_base = {}                                    # counter pk -> value seen after restart
        self.counter_attempted, self.counter_acked = {}, {}       # counter pk -> ADDs this cycle
        self.tx_attempted, self.tx_acked = set(), set()
        self.tx_confirmed, self.tx_absent = set(), set()
        self.versions = {}   # tag -> size, every version attempted in the versioned bucket
        self.version_ids = {}  # tag -> version id, once acknowledged
        self.markers = set()   # acknowledged delete marker ids
        self.doomed = set()    # version and marker ids a delete was attempted on (may or may not be gone)
        self.destroyed = set()  # ... and acknowledged
        self.versions_confirmed = set()  # version and marker ids seen after a restart
        self.errors = []     # (time, message) of failures that were not connection errors

    def add(self, attribute, value):
        with self.lock:
            getattr(self, attribute).add(value)


def is_crash_error(error):
    """Errors a writer expects when the server dies under it."""
    text = f"{type(error).__name__}: {error}"
    return any(marker in text for marker in (
        "EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError", "ConnectTimeoutError",
        "Connection was closed", "Connection reset", "ProtocolError", "RemoteDisconnected",
        "Could not connect", "BrokenPipe", "Connection aborted", "IncompleteRead", "ResponseStreamingError"))


def crashed(ledger, writer, error, stop):
    """Records a failure that is not the server dying; whether the writer must stop."""
    if not is_crash_error(error):
        ledger.errors.append((time.monotonic(), f"{writer}: {error!r}"))
    return stop.is_set() or is_crash_error(error)


def s3_writer(stack, ledger, index, cycle, rng, stop):
    s3 = client(stack, "s3")
    hot_key = f"hot/w{index}"
    for n in range(MAX_OPS_PER_THREAD):
        if stop.is_set():
            return
        size = rng.choice(SIZES) if rng.random() < 0.8 else rng.randrange(0, 2 * 1024 * 1024)
        try:
            if rng.random() < 0.2:  # overwrite this writer's hot key with a new version
                with ledger.lock:
                    state = ledger.hot.setdefault(hot_key, {"versions": {}, "acked": None, "attempted": []})
                    version = len(state["versions"])
                    state["versions"][version] = size
                    state["attempted"].append(version)
                body = content_for(f"{hot_key}#v{version}", size)
                s3.put_object(Bucket=BUCKET, Key=hot_key, Body=body, Metadata={"version": str(version)})
                with ledger.lock:
                    state["acked"] = version
                    state["attempted"] = [v for v in state["attempted"] if v > version]
            else:
                key = f"c{cycle}/w{index}/{n}-{size}"
                ledger.add("s3_attempted", key)
                body = content_for(key, size)
                reply = s3.put_object(Bucket=BUCKET, Key=key, Body=body, Metadata={"md5": hashlib.md5(body).hexdigest()})
                assert reply["ETag"].strip('"') == hashlib.md5(body).hexdigest(), (key, reply["ETag"])
                ledger.add("s3_acked", key)
        except Exception as error:  # noqa: BLE001 - a crash is expected at any moment
            if crashed(ledger, f"s3 writer {index}", error, stop):
                return


def versioned_writer(stack, ledger, index, cycle, rng, stop):
    """New versions of a few keys, delete markers, and deletes of acknowledged versions for good."""
    s3 = client(stack, "s3")
    for n in range(MAX_OPS_PER_THREAD):
        if stop.is_set():
            return
        key = f"v{index}/{rng.randrange(3)}"
        choice = rng.random()
        try:
            if choice < 0.75:
                size = rng.choice(SIZES[:7])
                tag = f"c{cycle}-v{index}-{n}"
                with ledger.lock:
                    ledger.versions[tag] = size
                reply = s3.put_object(Bucket=VERSIONED_BUCKET, Key=key, Body=content_for(tag, size),
                                      Metadata={"tag": tag})
                with ledger.lock:
                    ledger.version_ids[tag] = reply["VersionId"]
            elif choice < 0.85:
                reply = s3.delete_object(Bucket=VERSIONED_BUCKET, Key=key)
                ledger.add("markers", reply["VersionId"])
            else:
                with ledger.lock:
                    live = sorted((set(ledger.version_ids.values()) | ledger.markers) - ledger.doomed)
                    if not live:
                        continue
                    victim = rng.choice(live)
                    ledger.doomed.add(victim)
                    owner = key
                # The key is not known for a marker id; the listing says which key holds it.
                listing = s3.list_object_versions(Bucket=VERSIONED_BUCKET)
                for entry in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
                    if entry["VersionId"] == victim:
                        owner = entry["Key"]
                s3.delete_object(Bucket=VERSIONED_BUCKET, Key=owner, VersionId=victim)
                ledger.add("destroyed", victim)
        except Exception as error:  # noqa: BLE001 - a crash is expected at any moment
            if crashed(ledger, f"versioned writer {index}", error, stop):
                return


def dynamo_writer(stack, ledger, index, cycle, rng, stop):
    dynamodb = client(stack, "dynamodb")
    counter = f"ctr/d{index}"
    for n in range(MAX_OPS_PER_THREAD):
        if stop.is_set():
            return
        choice = rng.random()
        try:
            if choice < 0.4:
                pk = f"item/c{cycle}/d{index}/{n}"
                value = hashlib.sha1(pk.encode()).hexdigest() * rng.randint(1, 40)
                with ledger.lock:
                    ledger.items_attempted[pk] = value
                dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": pk}, "v": {"S": value}, "n": {"N": str(n)}})
                ledger.add("items_acked", pk)
            elif choice < 0.7:
                with ledger.lock:
                    ledger.counter_attempted[counter] = ledger.counter_attempted.get(counter, 0) + 1
                dynamodb.update_item(TableName=TABLE, Key={"pk": {"S": counter}}, UpdateExpression="ADD cnt :one",
                                     ExpressionAttributeValues={":one": {"N": "1"}})
                with ledger.lock:
                    ledger.counter_acked[counter] = ledger.counter_acked.get(counter, 0) + 1
            else:
                tx = f"tx-c{cycle}-d{index}-{n}"
                ledger.add("tx_attempted", tx)
                dynamodb.transact_write_items(TransactItems=[
                    {"Put": {"TableName": TABLE, "Item": {"pk": {"S": f"tx/{tx}/a"}, "tx": {"S": tx}},
                             "ConditionExpression": "attribute_not_exists(pk)"}},
                    {"Put": {"TableName": TX_TABLE, "Item": {"pk": {"S": f"tx/{tx}/b"}, "tx": {"S": tx}}}}])
                ledger.add("tx_acked", tx)
        except Exception as error:  # noqa: BLE001
            if crashed(ledger, f"dynamo writer {index}", error, stop):
                return


def verify_s3(stack, ledger, full):
    """Every acknowledged object is there with its bytes, ETag and metadata; nothing partial."""
    s3 = client(stack, "s3")
    listed = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for entry in page.get("Contents", []):
            listed[entry["Key"]] = entry
    problems = []
    unknown = set(listed) - ledger.s3_attempted - set(ledger.hot)
    problems += [f"object never written: {key}" for key in sorted(unknown)]
    problems += [f"acknowledged object missing: {key}" for key in sorted(ledger.s3_acked - set(listed))]
    problems += [f"object seen after an earlier restart is gone: {key}" for key in sorted(ledger.s3_confirmed - set(listed))]
    problems += [f"object absent after an earlier restart appeared: {key}" for key in sorted(ledger.s3_absent & set(listed))]
    for key in sorted(set(listed) & ledger.s3_attempted):
        size = size_from_key(key)
        expected = content_for(key, size)
        md5 = hashlib.md5(expected).hexdigest()
        entry = listed[key]
        if entry["Size"] != size or entry["ETag"].strip('"') != md5:
            problems.append(f"{key}: listed size {entry['Size']} ETag {entry['ETag']}, expected {size} {md5}")
            continue
        if full or key not in ledger.s3_confirmed:
            reply = s3.get_object(Bucket=BUCKET, Key=key)
            body = reply["Body"].read()
            if body != expected:
                problems.append(f"{key}: content differs ({len(body)} bytes, expected {size})")
            if reply["ETag"].strip('"') != md5 or reply["Metadata"].get("md5") != md5:
                problems.append(f"{key}: GET ETag {reply['ETag']} metadata {reply['Metadata']}, expected {md5}")
    for hot_key, state in sorted(ledger.hot.items()):
        allowed = ([state["acked"]] if state["acked"] is not None else []) + state["attempted"]
        if hot_key not in listed:
            if state["acked"] is not None:
                problems.append(f"{hot_key}: acknowledged version {state['acked']} missing")
            state["attempted"] = []  # nothing was acknowledged and nothing survived: stays absent
            continue
        reply = s3.get_object(Bucket=BUCKET, Key=hot_key)
        body = reply["Body"].read()
        version = int(reply["Metadata"].get("version", -1))
        if version not in allowed:
            problems.append(f"{hot_key}: version {version} visible, allowed {allowed}")
            continue
        expected = content_for(f"{hot_key}#v{version}", state["versions"][version])
        if body != expected or reply["ETag"].strip('"') != hashlib.md5(expected).hexdigest():
            problems.append(f"{hot_key}: version {version} has {len(body)} bytes / ETag {reply['ETag']}, "
                            f"expected {len(expected)} bytes {hashlib.md5(expected).hexdigest()}")
            continue
        # What survived this restart is now the baseline: later crashes may only move it forward.
        state["acked"], state["attempted"] = version, []
    for key in sorted(ledger.s3_attempted - set(listed) - ledger.s3_absent):  # newly absent: GET agrees
        try:
            s3.head_object(Bucket=BUCKET, Key=key)
            problems.append(f"{key}: not listed, but HEAD finds it")
        except s3.exceptions.ClientError as error:
            if error.response["Error"]["Code"] not in ("404", "NoSuchKey"):
                problems.append(f"{key}: HEAD of an absent object answered {error.response['Error']}")
    ledger.s3_confirmed |= set(listed) & ledger.s3_attempted
    ledger.s3_absent |= ledger.s3_attempted - set(listed)
    return problems, len(listed)


def verify_versions(stack, ledger):
    """Every acknowledged version and marker is listed unless a delete of it was attempted; every
    listed version has exactly the bytes of an attempted write; deleted versions stay gone; the
    current object is the newest version."""
    s3 = client(stack, "s3")
    listed, markers, latest = {}, set(), {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=VERSIONED_BUCKET):
        for entry in page.get("Versions", []):
            listed[entry["VersionId"]] = entry
        for entry in page.get("DeleteMarkers", []):
            markers.add(entry["VersionId"])
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if entry["IsLatest"]:
                latest[entry["Key"]] = entry["VersionId"]
    present = set(listed) | markers
    problems = []
    acked = set(ledger.version_ids.values()) | ledger.markers
    problems += [f"acknowledged version {v} missing" for v in sorted(acked - present - ledger.doomed)]
    problems += [f"version {v} deleted for good is back" for v in sorted(ledger.destroyed & present)]
    problems += [f"version {v} seen after an earlier restart is gone"
                 for v in sorted(ledger.versions_confirmed - present - ledger.doomed)]
    for version_id, entry in sorted(listed.items()):
        reply = s3.get_object(Bucket=VERSIONED_BUCKET, Key=entry["Key"], VersionId=version_id)
        tag = reply["Metadata"].get("tag")
        if tag not in ledger.versions:
            problems.append(f"version {version_id} of {entry['Key']} was never written (tag {tag})")
            continue
        if reply["Body"].read() != content_for(tag, ledger.versions[tag]):
            problems.append(f"version {version_id} ({tag}) has other bytes than written")
        if ledger.version_ids.get(tag, version_id) != version_id:
            problems.append(f"{tag} was acknowledged as {ledger.version_ids[tag]}, listed as {version_id}")
    for key, version_id in sorted(latest.items()):
        try:
            current = s3.head_object(Bucket=VERSIONED_BUCKET, Key=key)["VersionId"]
        except s3.exceptions.ClientError:
            current = None
        expected = None if version_id in markers else version_id
        if current != expected:
            problems.append(f"{key}: current version {current}, newest listed {version_id}")
    ledger.versions_confirmed |= present
    return problems


def scan_all(dynamodb, table):
    items, start = {}, None
    for _ in range(1000):
        kwargs = {"TableName": table, "ConsistentRead": True}
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = dynamodb.scan(**kwargs)
        for item in page["Items"]:
            items[item["pk"]["S"]] = item
        start = page.get("LastEvaluatedKey")
        if not start:
            return items
    raise AssertionError(f"scan of {table} did not end")


def stream_records(stack, table):
    """Every record of the table's stream, oldest first."""
    dynamodb, streams = client(stack, "dynamodb"), client(stack, "dynamodbstreams")
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = []
    for _ in range(10_000):
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        records += page["Records"]
        if not page["Records"]:
            return records
        iterator = page["NextShardIterator"]
    raise AssertionError(f"the stream of {table} did not end")


def verify_streams(stack, items):
    """A stream record exists exactly for each change that happened: one INSERT per plain and
    transaction item there is, none for an item that is not there, and as many records for a counter
    as ADDs it counts."""
    problems = []
    per_key = {}
    for record in stream_records(stack, TABLE):
        per_key.setdefault(record["dynamodb"]["Keys"]["pk"]["S"], []).append(record)
    for pk, records in sorted(per_key.items()):
        if pk not in items:
            problems.append(f"stream has {len(records)} records of {pk}, which is not in the table")
        elif pk.startswith(("item/", "tx/")):
            if [r["eventName"] for r in records] != ["INSERT"] or records[0]["dynamodb"]["NewImage"] != items[pk]:
                problems.append(f"{pk}: stream records {[r['eventName'] for r in records]} for one write")
        elif pk.startswith("ctr/") and len(records) != int(items[pk]["cnt"]["N"]):
            problems.append(f"{pk}: {len(records)} stream records for {items[pk]['cnt']['N']} ADDs")
    problems += [f"{pk}: in the table, but not in its stream" for pk in sorted(set(items) - set(per_key))]
    return problems


def verify_dynamo(stack, ledger):
    dynamodb = client(stack, "dynamodb")
    items, tx_items = scan_all(dynamodb, TABLE), scan_all(dynamodb, TX_TABLE)
    problems = []
    plain = {pk: item for pk, item in items.items() if pk.startswith("item/")}
    problems += [f"item never written: {pk}" for pk in sorted(set(plain) - set(ledger.items_attempted))]
    problems += [f"acknowledged item missing: {pk}" for pk in sorted(ledger.items_acked - set(plain))]
    problems += [f"item seen after an earlier restart is gone: {pk}" for pk in sorted(ledger.items_confirmed - set(plain))]
    problems += [f"item absent after an earlier restart appeared: {pk}" for pk in sorted(ledger.items_absent & set(plain))]
    for pk, item in sorted(plain.items()):
        if pk in ledger.items_attempted and item["v"]["S"] != ledger.items_attempted[pk]:
            problems.append(f"{pk}: value {item['v']['S'][:40]}… differs from what was written")
    ledger.items_confirmed |= set(plain)
    ledger.items_absent |= set(ledger.items_attempted) - set(plain)

    for counter in sorted(set(ledger.counter_base) | set(ledger.counter_attempted)):
        base = ledger.counter_base.get(counter, 0)
        low = base + ledger.counter_acked.get(counter, 0)
        high = base + ledger.counter_attempted.get(counter, 0)
        value = int(items[counter]["cnt"]["N"]) if counter in items else 0
        if not low <= value <= high:
            problems.append(f"{counter}: {value}, expected between {low} (acknowledged) and {high} (attempted)")
        ledger.counter_base[counter] = value
    ledger.counter_acked.clear()
    ledger.counter_attempted.clear()

    a_side = {pk.split("/")[1]: item for pk, item in items.items() if pk.startswith("tx/")}
    b_side = {pk.split("/")[1]: item for pk, item in tx_items.items() if pk.startswith("tx/")}
    for tx in sorted(set(a_side) | set(b_side) | ledger.tx_attempted):
        a, b = a_side.get(tx), b_side.get(tx)
        if tx not in ledger.tx_attempted:
            problems.append(f"transaction never attempted is visible: {tx}")
        elif (a is None) != (b is None):
            problems.append(f"transaction {tx} half applied: {TABLE} {'has' if a else 'lacks'} it, "
                            f"{TX_TABLE} {'has' if b else 'lacks'} it")
        elif a is not None and not (a["tx"]["S"] == b["tx"]["S"] == tx):
            problems.append(f"transaction {tx}: items carry tx ids {a['tx']['S']} / {b['tx']['S']}")
        elif a is None and tx in ledger.tx_acked:
            problems.append(f"acknowledged transaction {tx} missing")
        elif a is None and tx in ledger.tx_confirmed:
            problems.append(f"transaction {tx} seen after an earlier restart is gone")
        elif a is not None and tx in ledger.tx_absent:
            problems.append(f"transaction {tx} absent after an earlier restart appeared")
        if a is not None and b is not None:
            ledger.tx_confirmed.add(tx)
        elif a is None and b is None:
            ledger.tx_absent.add(tx)
    problems += verify_streams(stack, items)
    return problems, len(items) + len(tx_items)


@pytest.mark.parametrize("durability", ["disk", "process"])
def test_acknowledged_writes_survive_repeated_sigkill(durability):
    rng = random.Random(SEED)
    ledger = Ledger()
    started = time.monotonic()
    stack = stack_on(durability=durability)
    data_dir = stack.data_dir
    stats = []
    try:
        s3 = stack.client("s3")
        dynamodb = stack.client("dynamodb")
        s3.create_bucket(Bucket=BUCKET)
        s3.create_bucket(Bucket=VERSIONED_BUCKET)
        s3.put_bucket_versioning(Bucket=VERSIONED_BUCKET, VersioningConfiguration={"Status": "Enabled"})
        for table in (TABLE, TX_TABLE):
            dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                  StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})

        for cycle in range(CYCLES):
            stop = threading.Event()
            threads = [threading.Thread(target=s3_writer, daemon=True,
                                        args=(stack, ledger, i, cycle, random.Random(rng.random()), stop))
                       for i in range(S3_WRITERS)]
            threads += [threading.Thread(target=dynamo_writer, daemon=True,
                                         args=(stack, ledger, i, cycle, random.Random(rng.random()), stop))
                        for i in range(DYNAMO_WRITERS)]
            threads += [threading.Thread(target=versioned_writer, daemon=True,
                                         args=(stack, ledger, i, cycle, random.Random(rng.random()), stop))
                        for i in range(VERSIONED_WRITERS)]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.3, 1.5))
            killed_at = time.monotonic()
            stack.stop(signal.SIGKILL)
            stop.set()
            for thread in threads:
                thread.join(timeout=20)
            assert not any(thread.is_alive() for thread in threads), "a writer hung after the kill"
            while_up = [message for at, message in ledger.errors if at < killed_at]
            assert not while_up, f"cycle {cycle}: writers failed while the server was up: {while_up[:5]}"
            ledger.errors.clear()

            stack = stack_on(data_dir, durability)
            s3_problems, objects = verify_s3(stack, ledger, full=cycle == CYCLES - 1)
            dynamo_problems, items = verify_dynamo(stack, ledger)
            stats.append((cycle, len(ledger.s3_acked), objects, len(ledger.s3_absent), len(ledger.items_acked),
                          len(ledger.tx_acked), len(ledger.tx_absent), items))
            problems = s3_problems + dynamo_problems + verify_versions(stack, ledger)
            assert not problems, (f"cycle {cycle} after kill -9 and restart ({len(problems)} problems):\n"
                                  + "\n".join(problems[:30]))
        # Every cycle must actually have acknowledged writes, or the test proves nothing.
        assert len(ledger.s3_acked) >= CYCLES and len(ledger.items_acked) >= CYCLES, stats
        assert len(ledger.tx_acked) >= 1 and any(ledger.counter_base.values()), stats
        assert len(ledger.version_ids) >= CYCLES and ledger.markers and ledger.destroyed, stats
    finally:
        stack.stop(signal.SIGKILL)
        stack.cleanup()
        print(f"crash cycles (cycle, s3 acked, objects, in-flight objects absent, items acked, tx acked, "
              f"in-flight tx absent, rows): {stats}; "
              f"{time.monotonic() - started:.1f} s")
