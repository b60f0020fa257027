"""S3 POST uploads (browser-based forms): boto3's generate_presigned_post with SigV2 (its default
here) and SigV4 fields, sent by `requests` as a browser would. The policy's conditions and its
signature (the stack runs with --strict-signatures) are enforced; nothing is stored when they fail."""

import base64
import hashlib
import json
import os
import time
import uuid
import xml.etree.ElementTree as ET

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from test_s3 import raw


@pytest.fixture
def bucket(s3):
    name = f"post-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def signer(stack, version):
    return boto3.client("s3", endpoint_url=stack.aws, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(signature_version=version, s3={"addressing_style": "path"}))


def post(form, body=b"hello", filename="photo.png", fields=None):
    data = dict(form["fields"], **(fields or {}))
    return requests.post(form["url"], data=data, files={"file": (filename, body, "application/octet-stream")}, timeout=30)


def error(response):
    document = ET.fromstring(response.content)
    return response.status_code, document.findtext("Code"), document.findtext("Message")


def absent(s3, bucket, key):
    with pytest.raises(ClientError) as raised:
        s3.head_object(Bucket=bucket, Key=key)
    return raised.value.response["Error"]["Code"] == "404"


@pytest.mark.parametrize("version", ["s3", "s3v4"])
def test_presigned_post_stores_the_file_with_its_fields(stack, s3, bucket, version):
    form = signer(stack, version).generate_presigned_post(
        bucket, "uploads/${filename}",
        Fields={"Content-Type": "image/png", "x-amz-meta-owner": "alice"},
        Conditions=[{"Content-Type": "image/png"}, {"x-amz-meta-owner": "alice"}, ["starts-with", "$key", "uploads/"],
                    ["content-length-range", 1, 1024 * 1024]],
        ExpiresIn=300)
    body = os.urandom(5000)
    response = post(form, body)
    assert response.status_code == 204, response.text
    assert response.headers["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    stored = s3.get_object(Bucket=bucket, Key="uploads/photo.png")
    assert stored["Body"].read() == body
    assert stored["ContentType"] == "image/png"
    assert stored["Metadata"] == {"owner": "alice"}


def test_success_action_status_201_returns_the_post_response(stack, s3, bucket):
    form = signer(stack, "s3v4").generate_presigned_post(
        bucket, "report.csv", Fields={"success_action_status": "201"}, Conditions=[{"success_action_status": "201"}])
    body = b"a,b\n1,2\n"
    response = post(form, body)
    assert response.status_code == 201
    document = ET.fromstring(response.content)
    assert document.tag.endswith("PostResponse")
    names = {child.tag.split("}")[-1]: child.text for child in document}
    assert names["Bucket"] == bucket and names["Key"] == "report.csv"
    assert names["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'


def test_success_action_redirect_is_a_303_with_the_upload(stack, s3, bucket):
    target = "http://example.invalid/done?from=upload"
    form = signer(stack, "s3v4").generate_presigned_post(
        bucket, "k", Fields={"success_action_redirect": target}, Conditions=[{"success_action_redirect": target}])
    response = requests.post(form["url"], data=form["fields"], files={"file": ("k", b"x")}, allow_redirects=False,
                             timeout=30)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith(target + "&") and f"bucket={bucket}" in location and "key=k" in location
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_a_large_file_streams_through_intact(stack, s3, bucket):
    form = signer(stack, "s3v4").generate_presigned_post(bucket, "big.bin")
    body = os.urandom(9 * 1024 * 1024 + 7)
    assert post(form, body).status_code == 204
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(body) and head["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'


def test_policy_violations_are_refused_and_store_nothing(stack, s3, bucket):
    client = signer(stack, "s3v4")
    limited = client.generate_presigned_post(
        bucket, "uploads/a.txt", Conditions=[["starts-with", "$key", "uploads/"], ["content-length-range", 10, 100]])

    status, code, message = error(post(limited, fields={"key": "elsewhere/a.txt"}))
    assert (status, code) == (403, "AccessDenied") and message.startswith("Invalid according to Policy: Policy Condition failed")
    assert (error(post(limited, b"x" * 101))[:2]) == (400, "EntityTooLarge")
    assert (error(post(limited, b"x" * 9))[:2]) == (400, "EntityTooSmall")
    status, code, message = error(post(limited, b"x" * 20, fields={"x-amz-meta-extra": "1"}))
    assert (status, code, message) == (403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-extra")

    expired = client.generate_presigned_post(bucket, "late.txt", ExpiresIn=1)
    time.sleep(2)
    assert error(post(expired)) == (403, "AccessDenied", "Invalid according to Policy: Policy expired.")

    for version in ("s3v4", "s3"):  # a policy swapped for another one signed by the same key
        tampered = signer(stack, version).generate_presigned_post(bucket, "tampered.txt")
        other = signer(stack, version).generate_presigned_post(bucket, "other.txt")
        fields = dict(tampered["fields"], policy=other["fields"]["policy"])
        response = requests.post(tampered["url"], data=fields, files={"file": b"x"}, timeout=30)
        assert error(response)[:2] == (403, "SignatureDoesNotMatch"), version

    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    assert absent(s3, bucket, "uploads/a.txt")


def test_malformed_forms_get_s3s_errors(stack, s3, bucket):
    url = f"{stack.aws}/{bucket}"
    form = signer(stack, "s3v4").generate_presigned_post(bucket, "k")
    no_file = requests.post(url, files={name: (None, value) for name, value in form["fields"].items()}, timeout=30)
    assert error(no_file)[:2] == (400, "InvalidArgument")
    not_a_form = raw("POST", stack.aws, f"/{bucket}", b"key=k", {"Content-Type": "application/x-www-form-urlencoded"})
    assert error(not_a_form)[:2] == (412, "PreconditionFailed")
    anonymous = requests.post(url, data={"key": "k"}, files={"file": b"x"}, timeout=30)
    assert error(anonymous)[:2] == (403, "AccessDenied")
    # Only a form upload checks its own signature: other POSTs dressed as forms are not let through.
    s3.put_object(Bucket=bucket, Key="kept", Body=b"kept")
    delete = b"<Delete><Object><Key>kept</Key></Object></Delete>"
    for path in (f"/{bucket}?delete", f"/{bucket}/kept?uploads"):
        dressed = requests.post(stack.aws + path, files={"file": ("d.xml", delete)}, timeout=30)
        assert error(dressed)[:2] == (403, "MissingAuthenticationToken"), path
    assert s3.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"kept"
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    truncated = requests.post(url, data=b"--XYZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk",
                              headers={"Content-Type": "multipart/form-data; boundary=XYZ"}, timeout=30)
    assert error(truncated)[:2] == (400, "MalformedPOSTRequest")
    # A signed form whose file never ends: refused, and the received bytes are dropped.
    parts = b"".join(f'--XYZ\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                     for name, value in form["fields"].items())
    unfinished = parts + b'--XYZ\r\nContent-Disposition: form-data; name="file"\r\n\r\n' + b"x" * 100_000
    response = requests.post(url, data=unfinished, headers={"Content-Type": "multipart/form-data; boundary=XYZ"},
                             timeout=30)
    assert error(response)[:2] == (400, "MalformedPOSTRequest")
    assert absent(s3, bucket, "k")


def test_bad_policies_and_oversized_fields_get_s3s_errors(stack, s3, bucket):
    form = signer(stack, "s3v4").generate_presigned_post(bucket, "k")
    url = form["url"]
    cases = {
        "not base64 JSON": "bm90IGpzb24=",
        "no expiration": base64.b64encode(json.dumps({"conditions": []}).encode()).decode(),
        "an unknown operator": base64.b64encode(json.dumps(
            {"expiration": "2100-01-01T00:00:00Z", "conditions": [["ends-with", "$key", "k"]]}).encode()).decode(),
    }
    for case, policy in cases.items():
        response = requests.post(url, data=dict(form["fields"], policy=policy), files={"file": b"x"}, timeout=30)
        status, code, message = error(response)
        assert (status, code) == (400, "InvalidPolicyDocument"), case
        assert message.startswith("Invalid Policy: "), case
    oversized = dict(form["fields"], **{"x-ignore-note": "n" * 21_000})
    assert error(requests.post(url, data=oversized, files={"file": b"x"}, timeout=30))[:2] == \
        (400, "MaxPostPreDataLengthExceeded")
    assert absent(s3, bucket, "k")



def test_post_into_a_versioned_bucket_answers_its_version_id(stack, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    form = signer(stack, "s3v4").generate_presigned_post(bucket, "v.txt")
    response = post(form, b"first")
    assert response.status_code == 204, response.text
    version = response.headers["x-amz-version-id"]
    assert post(form, b"second").headers["x-amz-version-id"] != version
    assert s3.get_object(Bucket=bucket, Key="v.txt", VersionId=version)["Body"].read() == b"first"
