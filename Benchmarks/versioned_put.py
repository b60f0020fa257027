"""What S3 versioning costs a small PUT: sequential 1 KiB PUTs (50 keys, overwritten) into an
unversioned and a versioned bucket of one Nimbus, in alternating rounds, each request signed with
SigV4 before its clock starts. Prints the median latency per round and the ratio of the medians.

    NIMBUS_BIN=.build-release/release/nimbus python3 Benchmarks/versioned_put.py [--requests 1500] [--rounds 3]
"""

import argparse
import http.client
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "compat"))
from conftest import Stack  # noqa: E402 - the test suite's way to start `nimbus up`


def put_round(stack, connection, bucket, body, requests):
    """Median seconds per PUT over `requests` sequential PUTs on one keep-alive connection."""
    times = []
    for i in range(requests):
        path = f"/{bucket}/k{i % 50}"
        request = AWSRequest(method="PUT", url=stack.aws + path, data=body)
        S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(request)
        started = time.perf_counter()
        connection.request("PUT", path, body=body, headers=dict(request.headers.items()))
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"PUT {path}: {response.status}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    stack = Stack()
    try:
        s3 = stack.client("s3")
        plain, versioned = f"plain-{uuid.uuid4().hex[:8]}", f"versioned-{uuid.uuid4().hex[:8]}"
        for bucket in (plain, versioned):
            s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})
        endpoint = urlparse(stack.aws)
        connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port)
        body = os.urandom(1024)
        medians = {plain: [], versioned: []}
        for _ in range(options.rounds):
            for bucket in (plain, versioned):
                medians[bucket].append(put_round(stack, connection, bucket, body, options.requests))
        for bucket, values in medians.items():
            print(f"{bucket.split('-')[0]:10} p50 per round: " + ", ".join(f"{v * 1000:.3f} ms" for v in values))
        ratio = statistics.median(medians[versioned]) / statistics.median(medians[plain])
        print(f"versioned / unversioned p50: {ratio:.2f}×")
    finally:
        stack.stop()
        stack.cleanup()


if __name__ == "__main__":
    main()
