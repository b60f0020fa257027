"""Bucket CORS through boto3, and what a browser does with it: an unsigned preflight `OPTIONS`,
then the cross-origin request (here a presigned PUT) carrying `Origin`."""

import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.exceptions import ClientError

ORIGIN = "http://localhost:5173"
RULES = [
    {"ID": "app", "AllowedOrigins": [ORIGIN, "https://*.example.com"], "AllowedMethods": ["GET", "PUT"],
     "AllowedHeaders": ["content-type", "x-amz-*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"]},
]


@pytest.fixture
def bucket(s3):
    name = f"compat-cors-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=item["Key"])
    s3.delete_bucket(Bucket=name)


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def preflight(aws_endpoint, path, origin=ORIGIN, method="PUT", headers=None):
    request_headers = {}
    if origin:
        request_headers["Origin"] = origin
    if method:
        request_headers["Access-Control-Request-Method"] = method
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return requests.options(aws_endpoint.rstrip("/") + path, headers=request_headers, timeout=30)


def error_of(response):
    return ET.fromstring(response.content).findtext("Code")


def test_put_get_delete_bucket_cors(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchCORSConfiguration"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == RULES
    assert s3.delete_bucket_cors(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchCORSConfiguration"


@pytest.mark.parametrize("rule, code", [
    ({"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}, "InvalidRequest"),
    ({"AllowedOrigins": ["http://*.*.test"], "AllowedMethods": ["GET"]}, "InvalidRequest"),
    ({"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["a*b*"]}, "InvalidRequest"),
])
def test_invalid_cors_rules(s3, bucket, rule, code):
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [rule]})
    assert error_code(excinfo) == code
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchCORSConfiguration"  # a refused document changes nothing


def test_cors_on_missing_bucket(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_cors(Bucket=f"missing-{uuid.uuid4().hex[:12]}", CORSConfiguration={"CORSRules": RULES})
    assert error_code(excinfo) == "NoSuchBucket"


def test_browser_upload_with_a_presigned_url(s3, bucket, aws_endpoint):
    """What a web app does: preflight, then a cross-origin PUT to a presigned URL, reading the ETag."""
    refused = preflight(aws_endpoint, f"/{bucket}/upload.txt")
    assert refused.status_code == 403 and error_of(refused) == "AccessForbidden"
    assert b"CORS is not enabled for this bucket." in refused.content

    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "upload.txt", "ContentType": "text/plain"},
                                     ExpiresIn=300)
    path = url[len(aws_endpoint.rstrip("/")):]
    allowed = preflight(aws_endpoint, path, headers="content-type")
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert allowed.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert allowed.headers["Access-Control-Allow-Headers"] == "content-type"
    assert allowed.headers["Access-Control-Max-Age"] == "3000"
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"

    put = requests.put(url, data=b"from the browser", headers={"Origin": ORIGIN, "Content-Type": "text/plain"},
                       timeout=30)
    assert put.status_code == 200
    assert put.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert put.headers["Access-Control-Expose-Headers"] == "ETag"
    assert s3.get_object(Bucket=bucket, Key="upload.txt")["Body"].read() == b"from the browser"


@pytest.mark.parametrize("origin, method, headers, status, code", [
    ("https://evil.test", "PUT", None, 403, "AccessForbidden"),
    (ORIGIN, "DELETE", None, 403, "AccessForbidden"),
    (ORIGIN, "PUT", "authorization", 403, "AccessForbidden"),
    (None, "PUT", None, 400, "BadRequest"),
    (ORIGIN, None, None, 400, "BadRequest"),
])
def test_refused_preflights(s3, bucket, aws_endpoint, origin, method, headers, status, code):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    response = preflight(aws_endpoint, f"/{bucket}/k", origin=origin, method=method, headers=headers)
    assert response.status_code == status
    assert error_of(response) == code
    assert "Access-Control-Allow-Origin" not in response.headers


def test_wildcard_origin_rule(s3, bucket, aws_endpoint):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    response = preflight(aws_endpoint, f"/{bucket}/k", origin="https://anyone.test", method="HEAD")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    subdomain = preflight(aws_endpoint, f"/{bucket}/k", origin="https://app.example.com", method="GET")
    assert subdomain.headers["Access-Control-Allow-Origin"] == "https://app.example.com"


def test_template_cors_configuration_is_provisioned(s3, aws_endpoint):
    rules = s3.get_bucket_cors(Bucket="e2e-test-bucket")["CORSRules"]
    assert rules == [{"ID": "web-app", "AllowedHeaders": ["*"], "AllowedMethods": ["GET", "PUT"],
                      "AllowedOrigins": [ORIGIN], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]
    response = preflight(aws_endpoint, "/e2e-test-bucket/photo.png", method="GET", headers="x-amz-date, range")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Headers"] == "x-amz-date, range"
