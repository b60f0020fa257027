"""S3 multipart uploads through boto3 (low-level calls and s3transfer) against a live stack."""

import hashlib
import os
import uuid

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MIB = 1024 * 1024


@pytest.fixture
def bucket(s3):
    name = f"compat-mpu-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    yield name
    for upload in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=name, Key=item["Key"])
    s3.delete_bucket(Bucket=name)


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def multipart_etag(parts):
    return '"%s-%d"' % (hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))


def test_multipart_upload_complete(s3, bucket):
    parts = [os.urandom(5 * MIB), os.urandom(MIB + 7)]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big.bin", ContentType="application/x-test",
                                        Metadata={"origin": "multipart"})
    upload_id = upload["UploadId"]
    etags = []
    for number, data in enumerate(parts, start=1):
        response = s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=upload_id, PartNumber=number, Body=data)
        assert response["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
        etags.append(response["ETag"])
    listed = s3.list_parts(Bucket=bucket, Key="big.bin", UploadId=upload_id)
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in listed["Parts"]] == [
        (1, etags[0], 5 * MIB), (2, etags[1], MIB + 7)]
    result = s3.complete_multipart_upload(
        Bucket=bucket, Key="big.bin", UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, start=1)]})
    assert result["ETag"] == multipart_etag(parts)
    got = s3.get_object(Bucket=bucket, Key="big.bin")
    assert got["Body"].read() == b"".join(parts)
    assert got["ETag"] == multipart_etag(parts)
    assert got["ContentType"] == "application/x-test"
    assert got["Metadata"] == {"origin": "multipart"}
    part2 = s3.get_object(Bucket=bucket, Key="big.bin", PartNumber=2)
    assert part2["PartsCount"] == 2
    assert part2["Body"].read() == parts[1]
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_complete_validation_errors(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    small = [s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=n, Body=b"x" * 10)["ETag"]
             for n in (1, 2)]

    def complete(parts):
        with pytest.raises(ClientError) as excinfo:
            s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
        return error_code(excinfo)

    assert complete([{"PartNumber": 2, "ETag": small[1]}, {"PartNumber": 1, "ETag": small[0]}]) == "InvalidPartOrder"
    assert complete([{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]) == "InvalidPart"
    assert complete([{"PartNumber": 3, "ETag": small[0]}]) == "InvalidPart"
    assert complete([{"PartNumber": 1, "ETag": small[0]}, {"PartNumber": 2, "ETag": small[1]}]) == "EntityTooSmall"
    # A single small part is fine: only non-last parts have a minimum size.
    s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": small[0]}]})
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x" * 10


def test_no_such_upload(s3, bucket):
    for call in (
        lambda: s3.upload_part(Bucket=bucket, Key="k", UploadId="0" * 32, PartNumber=1, Body=b"x"),
        lambda: s3.list_parts(Bucket=bucket, Key="k", UploadId="../../etc"),
        lambda: s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId="nope"),
        lambda: s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId="0" * 32,
                                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"x"'}]}),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "NoSuchUpload"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_invalid_part_number(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    with pytest.raises(ClientError) as excinfo:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=10001, Body=b"x")
    assert error_code(excinfo) == "InvalidArgument"


def test_abort_and_list_uploads(s3, bucket):
    first = s3.create_multipart_upload(Bucket=bucket, Key="logs/a")["UploadId"]
    second = s3.create_multipart_upload(Bucket=bucket, Key="data/b")["UploadId"]
    uploads = s3.list_multipart_uploads(Bucket=bucket)["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("data/b", second), ("logs/a", first)]
    assert [u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket, Prefix="logs/")["Uploads"]] == ["logs/a"]
    rolled = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["data/", "logs/"]
    s3.abort_multipart_upload(Bucket=bucket, Key="logs/a", UploadId=first)
    with pytest.raises(ClientError) as excinfo:
        s3.list_parts(Bucket=bucket, Key="logs/a", UploadId=first)
    assert error_code(excinfo) == "NoSuchUpload"
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [second]


def test_upload_part_copy_with_range(s3, bucket):
    source = os.urandom(6 * MIB)
    s3.put_object(Bucket=bucket, Key="source", Body=source)
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="assembled")["UploadId"]
    first = s3.upload_part_copy(Bucket=bucket, Key="assembled", UploadId=upload_id, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "source"},
                                CopySourceRange=f"bytes=0-{5 * MIB - 1}")["CopyPartResult"]["ETag"]
    second = s3.upload_part_copy(Bucket=bucket, Key="assembled", UploadId=upload_id, PartNumber=2,
                                 CopySource=f"{bucket}/source",
                                 CopySourceRange=f"bytes={5 * MIB}-{6 * MIB - 1}")["CopyPartResult"]["ETag"]
    assert first == f'"{hashlib.md5(source[:5 * MIB]).hexdigest()}"'
    s3.complete_multipart_upload(Bucket=bucket, Key="assembled", UploadId=upload_id, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": first}, {"PartNumber": 2, "ETag": second}]})
    assert s3.get_object(Bucket=bucket, Key="assembled")["Body"].read() == source
    with pytest.raises(ClientError) as excinfo:
        other = s3.create_multipart_upload(Bucket=bucket, Key="x")["UploadId"]
        s3.upload_part_copy(Bucket=bucket, Key="x", UploadId=other, PartNumber=1,
                            CopySource={"Bucket": bucket, "Key": "source"}, CopySourceRange="bytes=0-99999999")
    assert error_code(excinfo) == "InvalidArgument"


def test_upload_and_download_file_with_transfer_manager(s3, bucket, tmp_path):
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=4)
    source = tmp_path / "source.bin"
    data = os.urandom(17 * MIB + 3)
    source.write_bytes(data)
    s3.upload_file(str(source), bucket, "transfer/file.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="transfer/file.bin")
    assert head["ContentLength"] == len(data)
    assert head["ETag"].endswith('-4"')
    target = tmp_path / "target.bin"
    s3.download_file(bucket, "transfer/file.bin", str(target), Config=config)
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(data).digest()


def test_resource_upload_fileobj_and_managed_copy(s3_resource, s3, bucket, tmp_path):
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    data = os.urandom(11 * MIB)
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    with open(path, "rb") as handle:
        s3_resource.Bucket(bucket).upload_fileobj(handle, "obj", Config=config)
    s3.copy({"Bucket": bucket, "Key": "obj"}, bucket, "obj-copy", Config=config)
    assert s3.get_object(Bucket=bucket, Key="obj-copy")["Body"].read() == data


def test_checksum_multipart(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="sums", ChecksumAlgorithm="SHA256")["UploadId"]
    data = [os.urandom(5 * MIB), b"tail"]
    parts = []
    for number, chunk in enumerate(data, start=1):
        response = s3.upload_part(Bucket=bucket, Key="sums", UploadId=upload_id, PartNumber=number, Body=chunk,
                                  ChecksumAlgorithm="SHA256")
        parts.append({"PartNumber": number, "ETag": response["ETag"], "ChecksumSHA256": response["ChecksumSHA256"]})
    result = s3.complete_multipart_upload(Bucket=bucket, Key="sums", UploadId=upload_id,
                                          MultipartUpload={"Parts": parts})
    assert result["ChecksumSHA256"].endswith("-2")
    assert s3.get_object(Bucket=bucket, Key="sums", ChecksumMode="ENABLED")["Body"].read() == b"".join(data)
