"""A full disk: writes that do not fit fail with AWS's internal-error shapes, nothing half-written
becomes visible, everything acknowledged before stays readable, and writes succeed again once space
is freed. The data directory is a 48 MiB tmpfs mounted in a user and mount namespace of the stack's
own (`unshare -rm`), so no privileges are needed."""

import os
import subprocess

import botocore.exceptions
import pytest
import requests

from conftest import Stack

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: filling
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""

# Runs the command that follows on a fresh tmpfs mounted over the data directory (argument 0).
SMALL_DISK = ["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=48m tmpfs "$0" && exec "$@"']


def namespaces_work(directory):
    probe = subprocess.run([*SMALL_DISK, str(directory), "true"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    if not namespaces_work(tmp_path_factory.mktemp("probe")):
        pytest.skip("unprivileged user and mount namespaces are not available here")
    template = tmp_path_factory.mktemp("disk-full") / "template.yaml"
    template.write_text(TEMPLATE)
    stack = Stack(template=template, launcher=SMALL_DISK)
    yield stack
    stack.stop()
    stack.cleanup()


def error_of(call):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"].get("Message", "")


def test_full_disk_fails_writes_cleanly_and_recovers_when_space_is_freed(small_disk):
    s3, dynamodb = small_disk.client("s3"), small_disk.client("dynamodb")
    s3.create_bucket(Bucket="filling")
    s3.put_object(Bucket="filling", Key="small", Body=b"kept")

    # S3: 4 MiB objects until one does not fit.
    stored = {}
    for i in range(12):
        body = os.urandom(4 << 20)
        try:
            s3.put_object(Bucket="filling", Key=f"big{i}", Body=body)
        except botocore.exceptions.ClientError as error:
            failed = f"big{i}"
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
            assert error.response["Error"]["Code"] == "InternalError"
            break
        stored[f"big{i}"] = body
    else:
        pytest.fail("48 MiB held twelve 4 MiB objects besides the stores: the disk is not the tmpfs")
    assert stored, "not even one 4 MiB object fitted"
    assert error_of(lambda: s3.head_object(Bucket="filling", Key=failed))[:2] == (404, "404")
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket="filling")["Contents"]]
    assert listed == sorted([*stored, "small"])

    # DynamoDB: 2 KB items until one does not fit.
    acknowledged = 0
    for i in range(20000):
        try:
            dynamodb.put_item(TableName="filling", Item={"id": {"S": f"k{i}"}, "pad": {"S": "z" * 2000}})
        except botocore.exceptions.ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
            assert error.response["Error"]["Code"] == "InternalServerError"
            assert "full" in error.response["Error"]["Message"]
            break
        acknowledged += 1
    else:
        pytest.fail("the disk never filled up")
    assert dynamodb.get_item(TableName="filling", Key={"id": {"S": f"k{i}"}}).get("Item") is None

    # Reads go on while the disk is full, and see everything acknowledged.
    assert s3.get_object(Bucket="filling", Key="small")["Body"].read() == b"kept"
    first = next(iter(stored))
    assert s3.get_object(Bucket="filling", Key=first)["Body"].read() == stored[first]
    assert dynamodb.scan(TableName="filling", Select="COUNT")["Count"] == acknowledged

    # Space freed: writes succeed again, and nothing acknowledged was lost.
    for key in stored:
        s3.delete_object(Bucket="filling", Key=key)
    s3.put_object(Bucket="filling", Key=failed, Body=b"fits now")
    assert s3.get_object(Bucket="filling", Key=failed)["Body"].read() == b"fits now"
    dynamodb.put_item(TableName="filling", Item={"id": {"S": "after"}})
    assert dynamodb.scan(TableName="filling", Select="COUNT")["Count"] == acknowledged + 1
    assert requests.get(small_disk.gateway + "/health", timeout=5).status_code == 200
