"""Presigned URLs (boto3's default SigV2 query auth and SigV4 `X-Amz-*`) used with `requests`."""

import time
import uuid
import xml.etree.ElementTree as ET

import boto3
import pytest
import requests
from botocore.config import Config


@pytest.fixture
def bucket(s3):
    name = f"compat-presign-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=item["Key"])
    s3.delete_bucket(Bucket=name)


@pytest.fixture(scope="module")
def s3_v4(aws_endpoint):
    return boto3.client("s3", endpoint_url=aws_endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


def error(response):
    return ET.fromstring(response.content).findtext("Code"), ET.fromstring(response.content).findtext("Message")


@pytest.fixture(params=["default", "v4"])
def signer(request, s3, s3_v4):
    return s3 if request.param == "default" else s3_v4


def test_presigned_get(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="report.csv", Body=b"a,b\n1,2\n")
    url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "report.csv"}, ExpiresIn=300)
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    assert response.content == b"a,b\n1,2\n"


def test_presigned_put(signer, s3, bucket):
    url = signer.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up load.txt"}, ExpiresIn=300)
    response = requests.put(url, data=b"uploaded via presigned url", timeout=30)
    assert response.status_code == 200, response.text
    assert s3.get_object(Bucket=bucket, Key="up load.txt")["Body"].read() == b"uploaded via presigned url"


def test_presigned_get_response_overrides(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="doc", Body=b"x", ContentType="text/plain")
    url = signer.generate_presigned_url("get_object", Params={
        "Bucket": bucket, "Key": "doc", "ResponseContentDisposition": 'attachment; filename="doc.txt"',
        "ResponseContentType": "application/octet-stream"}, ExpiresIn=300)
    response = requests.get(url, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="doc.txt"'
    assert response.headers["Content-Type"] == "application/octet-stream"


def test_presigned_url_expires(signer, s3, bucket):
    s3.put_object(Bucket=bucket, Key="soon-gone", Body=b"x")
    get_url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "soon-gone"}, ExpiresIn=1)
    put_url = signer.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "late"}, ExpiresIn=1)
    time.sleep(2.5)
    for response in (requests.get(get_url, timeout=30), requests.put(put_url, data=b"x", timeout=30)):
        assert response.status_code == 403
        assert error(response) == ("AccessDenied", "Request has expired")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="late")


def test_presigned_missing_key(signer, bucket):
    url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "absent"}, ExpiresIn=300)
    response = requests.get(url, timeout=30)
    assert response.status_code == 404
    assert error(response)[0] == "NoSuchKey"


def test_presigned_expiry_over_a_week_rejected(s3_v4, bucket):
    url = s3_v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=604801)
    response = requests.get(url, timeout=30)
    assert response.status_code == 400
    assert error(response)[0] == "AuthorizationQueryParametersError"


def test_tampered_presigned_url_rejected(s3_v4, s3, bucket):
    """Needs the endpoint's SigV4 verifier (S3PresignVerifier) in strict mode."""
    s3.put_object(Bucket=bucket, Key="secret", Body=b"x")
    url = s3_v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "secret"}, ExpiresIn=300)
    tampered = url.replace("/secret?", "/secret2?")
    response = requests.get(tampered, timeout=30)
    assert response.status_code == 403
    assert error(response)[0] == "SignatureDoesNotMatch"
