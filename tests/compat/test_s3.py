"""S3 compatibility: buckets, objects, listings and errors, through boto3 against a live stack.

Fixtures `s3`, `s3_resource`, `aws_endpoint` and `aws_cli_env` come from conftest.py.
"""

import base64
import datetime
import hashlib
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def unique_name(prefix="compat"):
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def empty_bucket(s3, name):
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=name):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=name, Delete={"Objects": keys, "Quiet": True})
    for upload in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])


@pytest.fixture
def bucket(s3):
    name = unique_name()
    s3.create_bucket(Bucket=name)
    yield name
    try:
        empty_bucket(s3, name)
        s3.delete_bucket(Bucket=name)
    except ClientError:
        pass


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def signed(method, url, body=b"", headers=None, payload_hash=None):
    """A SigV4-signed raw request (for what boto3 will not send: bad XML, odd methods, Host tricks)."""
    request = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    payload = payload_hash or hashlib.sha256(body).hexdigest()
    auth = S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1")
    auth.payload = lambda _request: payload
    auth.add_auth(request)
    return dict(request.headers.items())


def raw(method, aws_endpoint, path, body=b"", headers=None, host=None):
    """Sends a signed request to the endpoint; `host` overrides the Host header (virtual hosting)."""
    url = aws_endpoint.rstrip("/") + path
    sign_url = url
    if host:
        parsed = urlparse(url)
        sign_url = f"{parsed.scheme}://{host}{path}"
    request_headers = signed(method, sign_url, body, headers)
    if host:
        request_headers["Host"] = host
    return requests.request(method, url, data=body, headers=request_headers, timeout=30)


# --- buckets -----------------------------------------------------------------------------------


def test_create_head_list_delete_bucket(s3):
    name = unique_name()
    assert s3.create_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    s3.head_bucket(Bucket=name)
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as excinfo:
        s3.head_bucket(Bucket=name)
    assert status(excinfo) == 404


def test_bucket_already_owned_by_you(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket=bucket)
    assert error_code(excinfo) == "BucketAlreadyOwnedByYou"
    assert status(excinfo) == 409


def test_location_constraint(s3):
    name = unique_name()
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    try:
        assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
        head = s3.head_bucket(Bucket=name)
        assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "eu-west-1"
    finally:
        s3.delete_bucket(Bucket=name)


def test_default_location_is_us_east_1(s3, bucket):
    assert s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") is None


def test_delete_non_empty_bucket(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket=bucket)
    assert error_code(excinfo) == "BucketNotEmpty"
    assert status(excinfo) == 409


@pytest.mark.parametrize("name", ["ab", "Upper-Case", "under_score", "-leading", "a..b", "192.168.1.1", "x" * 64])
def test_invalid_bucket_name(s3, name):
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket=name)
    assert error_code(excinfo) == "InvalidBucketName"
    assert status(excinfo) == 400


def test_no_such_bucket(s3):
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=unique_name("missing"), Key="k")
    assert error_code(excinfo) == "NoSuchBucket"
    assert status(excinfo) == 404
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket=unique_name("missing"))
    assert error_code(excinfo) == "NoSuchBucket"


def test_bucket_versioning_is_empty(s3, bucket):
    response = s3.get_bucket_versioning(Bucket=bucket)
    assert "Status" not in response


def test_virtual_host_addressing(s3, bucket, aws_endpoint):
    port = urlparse(aws_endpoint).port
    host = f"{bucket}.localhost:{port}"
    put = raw("PUT", aws_endpoint, "/vhost.txt", body=b"virtual", host=host)
    assert put.status_code == 200, put.text
    assert s3.get_object(Bucket=bucket, Key="vhost.txt")["Body"].read() == b"virtual"
    get = raw("GET", aws_endpoint, "/vhost.txt", host=host)
    assert get.status_code == 200 and get.content == b"virtual"
    listing = raw("GET", aws_endpoint, "/?list-type=2", host=host)
    assert "<Key>vhost.txt</Key>" in listing.text


# --- objects -----------------------------------------------------------------------------------


def test_put_get_roundtrip_and_etag(s3, bucket):
    body = b"hello nimbus"
    put = s3.put_object(Bucket=bucket, Key="greeting.txt", Body=body)
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="greeting.txt")
    assert got["Body"].read() == body
    assert got["ETag"] == put["ETag"]
    assert got["ContentLength"] == len(body)
    assert got["AcceptRanges"] == "bytes"
    assert "x-amz-request-id" in got["ResponseMetadata"]["HTTPHeaders"]


def test_overwrite_last_writer_wins(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"first")
    s3.put_object(Bucket=bucket, Key="k", Body=b"overwritten")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"overwritten"


def test_empty_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    got = s3.get_object(Bucket=bucket, Key="empty")
    assert got["Body"].read() == b""
    assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'


def test_metadata_and_content_headers_round_trip(s3, bucket):
    expires = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    s3.put_object(
        Bucket=bucket, Key="meta", Body=b"{}", ContentType="application/json", ContentEncoding="identity",
        ContentDisposition='attachment; filename="x.json"', CacheControl="max-age=60", ContentLanguage="de-DE",
        Expires=expires, Metadata={"colour": "blue", "Mixed-Case": "Value 1"},
    )
    for response in (s3.head_object(Bucket=bucket, Key="meta"), s3.get_object(Bucket=bucket, Key="meta")):
        assert response["ContentType"] == "application/json"
        assert response["ContentEncoding"] == "identity"
        assert response["ContentDisposition"] == 'attachment; filename="x.json"'
        assert response["CacheControl"] == "max-age=60"
        assert response["ContentLanguage"] == "de-DE"
        assert response["Expires"] == expires
        assert response["Metadata"] == {"colour": "blue", "mixed-case": "Value 1"}


def test_default_content_type(s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")
    assert s3.head_object(Bucket=bucket, Key="plain")["ContentType"] == "binary/octet-stream"


def test_head_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="h", Body=b"12345")
    head = s3.head_object(Bucket=bucket, Key="h")
    assert head["ContentLength"] == 5
    assert head["ETag"] == f'"{hashlib.md5(b"12345").hexdigest()}"'
    assert isinstance(head["LastModified"], datetime.datetime)
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="missing")
    assert status(excinfo) == 404


def test_delete_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="doomed", Body=b"x")
    assert s3.delete_object(Bucket=bucket, Key="doomed")["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="doomed")
    assert error_code(excinfo) == "NoSuchKey"
    assert excinfo.value.response["Error"]["Key"] == "doomed"
    # Deleting what is not there succeeds, as in S3.
    assert s3.delete_object(Bucket=bucket, Key="doomed")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_delete_objects_batch(s3, bucket):
    for key in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "nope"}]})
    assert sorted(d["Key"] for d in result["Deleted"]) == ["a", "b", "nope"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "c"}], "Quiet": True})
    assert "Deleted" not in quiet
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_delete_objects_malformed_xml(bucket, aws_endpoint):
    body = b"<Delete><Object><Key>a</Key></Object>"
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    response = raw("POST", aws_endpoint, f"/{bucket}?delete", body=body, headers={"Content-MD5": md5})
    assert response.status_code == 400
    assert ET.fromstring(response.content).findtext("Code") == "MalformedXML"


# --- ranges and conditional requests ------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected, content_range",
    [
        ("bytes=0-4", b"01234", "bytes 0-4/10"),
        ("bytes=5-", b"56789", "bytes 5-9/10"),
        ("bytes=-3", b"789", "bytes 7-9/10"),
        ("bytes=8-100", b"89", "bytes 8-9/10"),
    ],
)
def test_range_get(s3, bucket, header, expected, content_range):
    s3.put_object(Bucket=bucket, Key="digits", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="digits", Range=header)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["Body"].read() == expected
    assert got["ContentRange"] == content_range
    assert got["ContentLength"] == len(expected)


def test_unsatisfiable_range(s3, bucket):
    s3.put_object(Bucket=bucket, Key="digits", Body=b"0123456789")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="digits", Range="bytes=10-20")
    assert error_code(excinfo) == "InvalidRange"
    assert status(excinfo) == 416


def test_conditional_get(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"conditional")["ETag"]
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag)["Body"].read() == b"conditional"
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"0000"')
    assert error_code(excinfo) == "PreconditionFailed"
    assert status(excinfo) == 412
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert status(excinfo) == 304
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=future)
    assert status(excinfo) == 304
    assert s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=past)["Body"].read() == b"conditional"
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c", IfUnmodifiedSince=past)
    assert error_code(excinfo) == "PreconditionFailed"
    # If-Match true wins over a failing If-Unmodified-Since, as in S3.
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag, IfUnmodifiedSince=past)["Body"].read()


def test_conditional_head(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"x")["ETag"]
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert status(excinfo) == 304
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="c", IfMatch='"nope"')
    assert status(excinfo) == 412


def test_conditional_put_if_none_match(s3, bucket):
    s3.put_object(Bucket=bucket, Key="once", Body=b"1", IfNoneMatch="*")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="once", Body=b"2", IfNoneMatch="*")
    assert error_code(excinfo) == "PreconditionFailed"
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"1"


# --- copy --------------------------------------------------------------------------------------


def test_copy_object_same_and_other_bucket(s3, bucket):
    other = unique_name()
    s3.create_bucket(Bucket=other)
    try:
        key = "src dir/ünïcode + plus?.txt"
        put = s3.put_object(Bucket=bucket, Key=key, Body=b"copy me", Metadata={"k": "v"}, ContentType="text/plain")
        result = s3.copy_object(Bucket=other, Key="dst", CopySource={"Bucket": bucket, "Key": key})
        assert result["CopyObjectResult"]["ETag"] == put["ETag"]
        copied = s3.get_object(Bucket=other, Key="dst")
        assert copied["Body"].read() == b"copy me"
        assert copied["Metadata"] == {"k": "v"}
        assert copied["ContentType"] == "text/plain"
        s3.copy_object(Bucket=bucket, Key="same-bucket", CopySource=f"{bucket}/{key}")
        assert s3.get_object(Bucket=bucket, Key="same-bucket")["Body"].read() == b"copy me"
    finally:
        empty_bucket(s3, other)
        s3.delete_bucket(Bucket=other)


def test_copy_metadata_directive_replace(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", Metadata={"old": "1"}, ContentType="text/plain")
    s3.copy_object(
        Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"}, MetadataDirective="REPLACE",
        Metadata={"new": "2"}, ContentType="application/octet-stream",
    )
    head = s3.head_object(Bucket=bucket, Key="dst")
    assert head["Metadata"] == {"new": "2"}
    assert head["ContentType"] == "application/octet-stream"


def test_copy_onto_itself(s3, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"x", Metadata={"v": "1"})
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"})
    assert error_code(excinfo) == "InvalidRequest"
    s3.copy_object(
        Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"}, MetadataDirective="REPLACE",
        Metadata={"v": "2"},
    )
    assert s3.head_object(Bucket=bucket, Key="self")["Metadata"] == {"v": "2"}


def test_copy_errors(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "missing"})
    assert error_code(excinfo) == "NoSuchKey"
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"}, CopySourceIfMatch='"no"')
    assert error_code(excinfo) == "PreconditionFailed"


# --- keys ----------------------------------------------------------------------------------------


TRICKY_KEYS = [
    "../escape.txt",
    "../../../../etc/passwd",
    "a/./b",
    "a/../b",
    "/leading-slash",
    "double//slash",
    "trailing/",
    "..",
    ".",
    "spaces and+plus&amp;=?#",
    "ünïcödé/日本語/😀",
    "percent%2Fencoded%00",
    "back\\slash",
    "k" * 1024,
]


@pytest.mark.parametrize("key", TRICKY_KEYS, ids=range(len(TRICKY_KEYS)))
def test_tricky_keys_stay_in_their_bucket(s3, bucket, key):
    s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [key]
    s3.delete_object(Bucket=bucket, Key=key)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_key_too_long(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert error_code(excinfo) == "KeyTooLongError"
    assert status(excinfo) == 400


# --- listing -----------------------------------------------------------------------------------


def test_list_with_prefix_and_delimiter(s3, bucket):
    for key in ["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/readme", "docs/x", "top"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    result = s3.list_objects_v2(Bucket=bucket, Prefix="photos/", Delimiter="/")
    assert [o["Key"] for o in result["Contents"]] == ["photos/readme"]
    assert [p["Prefix"] for p in result["CommonPrefixes"]] == ["photos/2024/", "photos/2025/"]
    assert result["KeyCount"] == 3
    root = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in root["CommonPrefixes"]] == ["docs/", "photos/"]
    assert [o["Key"] for o in root["Contents"]] == ["top"]
    v1 = s3.list_objects(Bucket=bucket, Prefix="photos/2024/")
    assert [o["Key"] for o in v1["Contents"]] == ["photos/2024/a.jpg", "photos/2024/b.jpg"]


def test_list_v2_pagination(s3, bucket):
    keys = [f"key-{i:03d}" for i in range(23)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    first = s3.list_objects_v2(Bucket=bucket, MaxKeys=10)
    assert first["IsTruncated"] and first["KeyCount"] == 10
    second = s3.list_objects_v2(Bucket=bucket, MaxKeys=10, ContinuationToken=first["NextContinuationToken"])
    assert [o["Key"] for o in second["Contents"]] == keys[10:20]
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 7}))
    assert len(pages) == 4
    assert [o["Key"] for p in pages for o in p["Contents"]] == keys
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="key-020")
    assert [o["Key"] for o in after["Contents"]] == ["key-021", "key-022"]


def test_list_v2_pagination_with_common_prefixes(s3, bucket):
    for key in ["a/1", "a/2", "b/1", "c", "d/1", "e"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    seen = []
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Delimiter="/", PaginationConfig={"PageSize": 2}
    ):
        seen += [p["Prefix"] for p in page.get("CommonPrefixes", [])] + [o["Key"] for o in page.get("Contents", [])]
    assert sorted(seen) == ["a/", "b/", "c", "d/", "e"]


def test_list_v1_marker_pagination(s3, bucket):
    keys = [f"k{i:02d}" for i in range(12)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    first = s3.list_objects(Bucket=bucket, MaxKeys=5)
    assert first["IsTruncated"]
    rest = s3.list_objects(Bucket=bucket, Marker=first["Contents"][-1]["Key"])
    assert [o["Key"] for o in rest["Contents"]] == keys[5:]
    pages = list(s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 5}))
    assert [o["Key"] for p in pages for o in p["Contents"]] == keys


def test_list_utf8_binary_order_and_url_encoding(s3, bucket):
    keys = ["b", "B", "a b", "a+b", "é", "e\u0301", "z", "~", "\u00ff", "日本"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == sorted(keys, key=lambda k: k.encode("utf-8"))


def test_list_fetch_owner(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert "Owner" not in s3.list_objects_v2(Bucket=bucket)["Contents"][0]
    assert "ID" in s3.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"][0]["Owner"]


def test_list_max_keys_zero_and_invalid(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert s3.list_objects_v2(Bucket=bucket, MaxKeys=0)["KeyCount"] == 0
    with pytest.raises(ClientError) as excinfo:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="not base64!")
    assert error_code(excinfo) == "InvalidArgument"


def test_object_versions_of_an_unversioned_bucket(s3, s3_resource, bucket):
    for key in ("v/1", "v/2", "w"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    versions = s3.list_object_versions(Bucket=bucket, Prefix="v/")["Versions"]
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in versions] == [("v/1", "null", True), ("v/2", "null", True)]
    s3_resource.Bucket(bucket).object_versions.delete()
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_resource_api(s3_resource, bucket):
    b = s3_resource.Bucket(bucket)
    b.put_object(Key="r/1", Body=b"one")
    b.put_object(Key="r/2", Body=b"two")
    assert sorted(o.key for o in b.objects.filter(Prefix="r/")) == ["r/1", "r/2"]
    assert s3_resource.Object(bucket, "r/2").get()["Body"].read() == b"two"


# --- integrity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA1", "SHA256"])
def test_checksum_round_trip(s3, bucket, algorithm):
    put = s3.put_object(Bucket=bucket, Key="sum", Body=b"checksummed body", ChecksumAlgorithm=algorithm)
    value = put[f"Checksum{algorithm}"]
    got = s3.get_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")
    assert got[f"Checksum{algorithm}"] == value
    assert got["Body"].read() == b"checksummed body"


def test_bad_checksum_rejected(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"data", ChecksumSHA256=base64.b64encode(b"\0" * 32).decode())
    assert error_code(excinfo) == "BadDigest"
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="bad")
    assert status(excinfo) == 404


def test_bad_content_md5_rejected(s3, bucket):
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"data", ContentMD5=wrong)
    assert error_code(excinfo) == "BadDigest"


def test_payload_hash_mismatch_rejected(bucket, aws_endpoint):
    url = aws_endpoint.rstrip("/") + f"/{bucket}/lying"
    headers = signed("PUT", url, b"actual", payload_hash=hashlib.sha256(b"claimed").hexdigest())
    response = requests.put(url, data=b"actual", headers=headers, timeout=30)
    assert response.status_code in (400, 403)
    assert ET.fromstring(response.content).findtext("Code") in ("XAmzContentSHA256Mismatch", "SignatureDoesNotMatch")


# --- errors ------------------------------------------------------------------------------------


def test_error_document_shape(bucket, aws_endpoint):
    response = raw("GET", aws_endpoint, f"/{bucket}/no/such/key")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/xml"
    document = ET.fromstring(response.content)
    assert document.tag == "Error"
    assert document.findtext("Code") == "NoSuchKey"
    assert document.findtext("Message") == "The specified key does not exist."
    assert document.findtext("Key") == "no/such/key"
    assert document.findtext("RequestId") == response.headers["x-amz-request-id"]


def test_method_not_allowed(bucket, aws_endpoint):
    response = raw("PATCH", aws_endpoint, f"/{bucket}/k")
    assert response.status_code == 405
    assert ET.fromstring(response.content).findtext("Code") == "MethodNotAllowed"


def test_unsupported_subresource_not_implemented(s3, bucket):
    for call in (lambda: s3.put_bucket_policy(Bucket=bucket, Policy='{"Version": "2012-10-17", "Statement": []}'),
                 lambda: s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "i.html"}}),
                 lambda: s3.get_bucket_analytics_configuration(Bucket=bucket, Id="a")):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert (status(excinfo), error_code(excinfo)) == (501, "NotImplemented")


# Features Nimbus never configures read back as on a bucket that never had them (what Terraform's
# bucket refresh reads), with S3's 404 codes where S3 has no such configuration to return.
UNCONFIGURED_404 = {
    "get_bucket_policy": "NoSuchBucketPolicy",
    "get_bucket_policy_status": "NoSuchBucketPolicy",
    "get_public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "get_bucket_website": "NoSuchWebsiteConfiguration",
    "get_bucket_replication": "ReplicationConfigurationNotFoundError",
    "get_object_lock_configuration": "ObjectLockConfigurationNotFoundError",
}


@pytest.mark.parametrize("operation", sorted(UNCONFIGURED_404))
def test_unconfigured_feature_reads_are_s3s_not_found(s3, bucket, operation):
    with pytest.raises(ClientError) as excinfo:
        getattr(s3, operation)(Bucket=bucket)
    assert (status(excinfo), error_code(excinfo)) == (404, UNCONFIGURED_404[operation])
    assert excinfo.value.response["Error"]["BucketName"] == bucket
    with pytest.raises(ClientError) as excinfo:
        getattr(s3, operation)(Bucket=unique_name("missing"))
    assert (status(excinfo), error_code(excinfo)) == (404, "NoSuchBucket")


def test_unconfigured_feature_reads_are_empty_documents(s3, bucket):
    assert set(s3.get_bucket_notification_configuration(Bucket=bucket)) == {"ResponseMetadata"}
    assert set(s3.get_bucket_logging(Bucket=bucket)) == {"ResponseMetadata"}
    assert "Status" not in s3.get_bucket_accelerate_configuration(Bucket=bucket)
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "BucketOwner"
    rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_logging(Bucket=unique_name("missing"))
    assert error_code(excinfo) == "NoSuchBucket"
