"""`Content-Encoding: aws-chunked` uploads: botocore's own unsigned-trailer encoding (what boto3
sends over HTTPS) and SigV4 streaming with per-chunk signatures (what other SDKs send)."""

import base64
import hashlib
import hmac
import io
import os
import uuid
import xml.etree.ElementTree as ET
import zlib

import botocore.httpchecksum
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


@pytest.fixture
def bucket(s3):
    name = f"compat-chunk-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=item["Key"])
    for upload in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
    s3.delete_bucket(Bucket=name)


@pytest.fixture
def trailer_checksums(monkeypatch):
    """Makes botocore use its HTTPS behaviour on this plain-HTTP endpoint: `aws-chunked` bodies with
    `STREAMING-UNSIGNED-PAYLOAD-TRAILER` and the checksum as a trailer."""
    real = botocore.httpchecksum.urlparse
    monkeypatch.setattr(botocore.httpchecksum, "urlparse", lambda url: real(url)._replace(scheme="https"))


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def test_boto3_unsigned_trailer_put(s3, bucket, trailer_checksums):
    data = os.urandom(300_000)
    put = s3.put_object(Bucket=bucket, Key="chunked", Body=io.BytesIO(data))
    assert put["ChecksumCRC32"] == crc32_b64(data)
    got = s3.get_object(Bucket=bucket, Key="chunked", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    assert got["ChecksumCRC32"] == crc32_b64(data)
    # aws-chunked is a transfer detail, never the stored Content-Encoding.
    assert "ContentEncoding" not in got


def test_boto3_unsigned_trailer_keeps_real_content_encoding(s3, bucket, trailer_checksums):
    s3.put_object(Bucket=bucket, Key="gz", Body=io.BytesIO(b"not really gzip"), ContentEncoding="gzip")
    assert s3.head_object(Bucket=bucket, Key="gz")["ContentEncoding"] == "gzip"


def test_boto3_unsigned_trailer_upload_part(s3, bucket, trailer_checksums):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mpu")["UploadId"]
    data = os.urandom(70_000)
    part = s3.upload_part(Bucket=bucket, Key="mpu", UploadId=upload_id, PartNumber=1, Body=io.BytesIO(data))
    s3.complete_multipart_upload(Bucket=bucket, Key="mpu", UploadId=upload_id,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="mpu")["Body"].read() == data


def _sign(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signed_streaming_put(url, chunks, trailer=None, tamper=None):
    """A `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` upload with valid chunk signatures, built by hand;
    `tamper` may change the encoded body (keeping its length) after signing."""
    data = b"".join(chunks)
    payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" + ("-TRAILER" if trailer else "")

    def encoded_length():
        length = sum(len(f"{len(c):x};chunk-signature={'0' * 64}\r\n") + len(c) + 2 for c in chunks)
        length += len(f"0;chunk-signature={'0' * 64}\r\n")
        if trailer:
            name, value = trailer
            length += len(f"{name}:{value}\r\n") + len(f"x-amz-trailer-signature:{'0' * 64}\r\n")
        return length + 2

    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(data)),
               "Content-Length": str(encoded_length())}
    if trailer:
        headers["X-Amz-Trailer"] = trailer[0]
    request = AWSRequest(method="PUT", url=url, headers=headers)
    auth = S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1")
    auth.payload = lambda _request: payload
    auth.add_auth(request)
    timestamp = request.headers["X-Amz-Date"]
    scope = f"{timestamp[:8]}/us-east-1/s3/aws4_request"
    key = _sign(_sign(_sign(_sign(b"AWS4test", timestamp[:8]), "us-east-1"), "s3"), "aws4_request")
    previous = request.headers["Authorization"].split("Signature=")[1]
    empty = hashlib.sha256(b"").hexdigest()
    body = b""
    for chunk in [*chunks, b""]:
        string_to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", timestamp, scope, previous, empty,
                                    hashlib.sha256(chunk).hexdigest()])
        previous = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        body += f"{len(chunk):x};chunk-signature={previous}\r\n".encode() + chunk + (b"\r\n" if chunk else b"")
    if trailer:
        name, value = trailer
        trailer_text = f"{name}:{value}\n"
        string_to_sign = "\n".join(["AWS4-HMAC-SHA256-TRAILER", timestamp, scope, previous,
                                    hashlib.sha256(trailer_text.encode()).hexdigest()])
        body += f"{name}:{value}\r\n".encode()
        body += f"x-amz-trailer-signature:{hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()}\r\n".encode()
    body += b"\r\n"
    if tamper:
        tampered = tamper(body)
        assert tampered != body and len(tampered) == len(body)
        body = tampered
    assert len(body) == int(headers["Content-Length"])
    return requests.put(url, data=body, headers=dict(request.headers.items()), timeout=30)


def test_signed_streaming_put(s3, bucket, aws_endpoint):
    chunks = [os.urandom(65536), os.urandom(65536), os.urandom(1234)]
    response = signed_streaming_put(f"{aws_endpoint}/{bucket}/signed", chunks)
    assert response.status_code == 200, response.text
    assert s3.get_object(Bucket=bucket, Key="signed")["Body"].read() == b"".join(chunks)


def test_signed_streaming_put_with_trailer(s3, bucket, aws_endpoint):
    chunks = [os.urandom(8192), os.urandom(100)]
    trailer = ("x-amz-checksum-crc32", crc32_b64(b"".join(chunks)))
    response = signed_streaming_put(f"{aws_endpoint}/{bucket}/signed-trailer", chunks, trailer=trailer)
    assert response.status_code == 200, response.text
    assert response.headers["x-amz-checksum-crc32"] == trailer[1]
    assert s3.get_object(Bucket=bucket, Key="signed-trailer")["Body"].read() == b"".join(chunks)


def test_wrong_trailer_checksum_rejected(s3, bucket, aws_endpoint):
    chunks = [b"some data"]
    response = signed_streaming_put(f"{aws_endpoint}/{bucket}/bad-trailer", chunks,
                                    trailer=("x-amz-checksum-crc32", crc32_b64(b"other data")))
    assert response.status_code == 400
    assert ET.fromstring(response.content).findtext("Code") == "BadDigest"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_truncated_chunked_body_rejected(s3, bucket, aws_endpoint):
    url = f"{aws_endpoint}/{bucket}/truncated"
    body = b"10;chunk-signature=" + b"0" * 64 + b"\r\nonly-ten-bytes"
    request = AWSRequest(method="PUT", url=url, headers={
        "Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": "16", "Content-Length": str(len(body))})
    auth = S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1")
    auth.payload = lambda _request: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    auth.add_auth(request)
    response = requests.put(url, data=body, headers=dict(request.headers.items()), timeout=30)
    assert response.status_code in (400, 403)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_tampered_chunk_rejected_and_nothing_stored(s3, bucket, aws_endpoint):
    """The stack runs with --strict-signatures: every chunk signature is checked, not only the seed."""
    s3.put_object(Bucket=bucket, Key="victim", Body=b"original")
    chunks = [b"A" * 65536, b"B" * 65536, b"C" * 100]
    # The second chunk's data changes after signing; its signature no longer matches.
    tamper = lambda body: body.replace(b"B" * 16, b"X" * 16, 1)
    response = signed_streaming_put(f"{aws_endpoint}/{bucket}/victim", chunks, tamper=tamper)
    assert response.status_code == 403, response.text
    assert ET.fromstring(response.content).findtext("Code") == "SignatureDoesNotMatch"
    assert s3.get_object(Bucket=bucket, Key="victim")["Body"].read() == b"original"

    response = signed_streaming_put(f"{aws_endpoint}/{bucket}/fresh", chunks, tamper=tamper)
    assert response.status_code == 403
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["victim"]


def test_tampered_trailer_rejected(s3, bucket, aws_endpoint):
    data = b"trailer data"
    trailer = ("x-amz-checksum-crc32", crc32_b64(data))
    forged = crc32_b64(b"something else")
    tamper = lambda body: body.replace(trailer[1].encode(), forged.encode())
    response = signed_streaming_put(f"{aws_endpoint}/{bucket}/trailer", [data], trailer=trailer, tamper=tamper)
    assert response.status_code == 403, response.text
    assert ET.fromstring(response.content).findtext("Code") == "SignatureDoesNotMatch"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
