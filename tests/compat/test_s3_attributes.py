"""GetObjectAttributes through boto3: ETag (unquoted, as S3 sends it here), size, storage class,
checksums, the part count of multipart objects with paging, a given version, and its errors."""

import hashlib

import pytest
from botocore.exceptions import ClientError

from test_s3 import error_code, status, unique_name

ALL = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]


@pytest.fixture
def bucket(s3):
    name = unique_name("attributes")
    s3.create_bucket(Bucket=name)
    return name


def test_single_part_object(s3, bucket):
    body = b"attributes of a small object"
    s3.put_object(Bucket=bucket, Key="k", Body=body, ChecksumAlgorithm="CRC32", StorageClass="STANDARD_IA")
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    got = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=ALL)
    assert got["ETag"] == hashlib.md5(body).hexdigest() == head["ETag"].strip('"')
    assert (got["ObjectSize"], got["StorageClass"]) == (len(body), "STANDARD_IA")
    assert got["Checksum"]["ChecksumCRC32"] == head["ChecksumCRC32"]
    assert got["Checksum"]["ChecksumType"] == "FULL_OBJECT"
    assert "ObjectParts" not in got  # S3 gives parts only for multipart objects
    assert got["LastModified"] == head["LastModified"]
    only_size = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize"])
    assert only_size["ObjectSize"] == len(body) and "ETag" not in only_size and "StorageClass" not in only_size


def test_multipart_object_counts_its_parts(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    parts = []
    for number, data in ((1, b"a" * (5 * 1024 * 1024)), (2, b"b" * 100)):
        reply = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=number, Body=data)
        parts.append({"PartNumber": number, "ETag": reply["ETag"]})
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": parts})
    got = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=ALL)
    assert got["ETag"].endswith("-2") and got["ObjectSize"] == 5 * 1024 * 1024 + 100
    assert got["ObjectParts"]["TotalPartsCount"] == 2 and got["ObjectParts"]["IsTruncated"] is False
    first = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=["ObjectParts"], MaxParts=1)
    assert (first["ObjectParts"]["IsTruncated"], first["ObjectParts"]["NextPartNumberMarker"]) == (True, 1)
    rest = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=["ObjectParts"], MaxParts=1,
                                    PartNumberMarker=1)
    assert rest["ObjectParts"]["IsTruncated"] is False


def test_a_given_version(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    old = s3.put_object(Bucket=bucket, Key="k", Body=b"old")["VersionId"]
    current = s3.put_object(Bucket=bucket, Key="k", Body=b"current!")["VersionId"]
    got = s3.get_object_attributes(Bucket=bucket, Key="k", VersionId=old, ObjectAttributes=["ObjectSize"])
    assert (got["ObjectSize"], got["VersionId"]) == (3, old)
    latest = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize"])
    assert (latest["ObjectSize"], latest["VersionId"]) == (8, current)


def test_errors(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["Size"])
    assert (status(excinfo), error_code(excinfo)) == (400, "InvalidArgument")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_attributes(Bucket=bucket, Key="missing", ObjectAttributes=["ETag"])
    assert (status(excinfo), error_code(excinfo)) == (404, "NoSuchKey")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ETag"], VersionId="../x")
    assert (status(excinfo), error_code(excinfo)) == (400, "InvalidArgument")
