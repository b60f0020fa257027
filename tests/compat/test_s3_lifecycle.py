"""Bucket lifecycle configuration through boto3: stored and returned as written, S3's errors.

Expiry itself runs on the service clock and is covered by the Swift tests (injected clock)."""

import hashlib
import base64
import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.exceptions import ClientError

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


@pytest.fixture
def bucket(s3):
    name = f"compat-lc-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    s3.delete_bucket(Bucket=name)


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


RULES = [
    {"ID": "expire-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 7}},
    {"ID": "expire-by-date", "Filter": {"Prefix": "tmp/"}, "Status": "Disabled",
     "Expiration": {"Date": "2031-01-01T00:00:00Z"}},
    {"ID": "abort-uploads", "Filter": {"And": {"Prefix": "big/", "ObjectSizeGreaterThan": 1024}},
     "Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
]


def test_no_lifecycle_configuration(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchLifecycleConfiguration"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_put_get_delete_lifecycle(s3, bucket):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": RULES})
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["ID"] for r in rules] == ["expire-logs", "expire-by-date", "abort-uploads"]
    # STD-024's check: an enabled rule expiring after 7 days.
    assert any(r["Status"] == "Enabled" and r.get("Expiration", {}).get("Days") == 7 for r in rules)
    assert rules[0]["Filter"] == {"Prefix": "logs/"}
    assert rules[1]["Expiration"]["Date"].year == 2031
    assert rules[2]["Filter"]["And"] == {"Prefix": "big/", "ObjectSizeGreaterThan": 1024}
    assert rules[2]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 2}

    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": RULES[:1]})
    assert len(s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]) == 1

    assert s3.delete_bucket_lifecycle(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchLifecycleConfiguration"


@pytest.mark.parametrize("rule, code", [
    ({"ID": "zero", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 0}}, "InvalidArgument"),
    ({"ID": "noon", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Date": "2031-01-01T12:00:00Z"}},
     "InvalidArgument"),
    ({"ID": "x" * 256, "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 1}}, "InvalidArgument"),
    ({"ID": "no-action", "Filter": {"Prefix": ""}, "Status": "Enabled"}, "InvalidRequest"),
    ({"ID": "noncurrent-zero", "Filter": {"Prefix": ""}, "Status": "Enabled",
      "NoncurrentVersionExpiration": {"NoncurrentDays": 0}}, "InvalidArgument"),
    ({"ID": "newer-too-many", "Filter": {"Prefix": ""}, "Status": "Enabled",
      "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 101}}, "InvalidArgument"),
    ({"ID": "marker-and-days", "Filter": {"Prefix": ""}, "Status": "Enabled",
      "Expiration": {"Days": 1, "ExpiredObjectDeleteMarker": True}}, "MalformedXML"),
])
def test_invalid_lifecycle_rules(s3, bucket, rule, code):
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})
    assert error_code(excinfo) == code


def test_duplicate_rule_ids(s3, bucket):
    rule = {"ID": "same", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 1}}
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [rule, rule]})
    assert error_code(excinfo) == "InvalidArgument"


def test_malformed_lifecycle_document(bucket, aws_endpoint):
    body = b"<LifecycleConfiguration><Rule><Status>Sometimes</Status></Rule></LifecycleConfiguration>"
    url = aws_endpoint.rstrip("/") + f"/{bucket}?lifecycle"
    request = AWSRequest(method="PUT", url=url, data=body,
                         headers={"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()})
    auth = S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1")
    auth.payload = lambda _request: hashlib.sha256(body).hexdigest()
    auth.add_auth(request)
    response = requests.put(url, data=body, headers=dict(request.headers.items()), timeout=30)
    assert response.status_code == 400
    assert ET.fromstring(response.content).findtext("Code") == "MalformedXML"


def test_lifecycle_on_missing_bucket(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_lifecycle_configuration(Bucket=f"missing-{uuid.uuid4().hex[:12]}")
    assert error_code(excinfo) == "NoSuchBucket"
