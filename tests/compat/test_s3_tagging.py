"""S3 object and bucket tagging, storage classes and server-side-encryption headers, through
boto3 and the AWS CLI against a live stack (conftest.py's `nimbus up --strict-signatures`)."""

import subprocess
import tempfile
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import ROOT, Stack
from test_s3 import empty_bucket, error_code, status, unique_name


@pytest.fixture
def bucket(s3):
    name = unique_name("tagging")
    s3.create_bucket(Bucket=name)
    yield name
    empty_bucket(s3, name)
    s3.delete_bucket(Bucket=name)


def tag_set(pairs):
    return {"TagSet": [{"Key": key, "Value": value} for key, value in pairs]}


def tags_of(s3, bucket, key):
    return {tag["Key"]: tag["Value"] for tag in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


# --- object tagging ----------------------------------------------------------------------------


def test_put_object_with_tagging_header_and_tag_count(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data", Tagging="team=storage&note=hello%20world&empty=")
    assert tags_of(s3, bucket, "k") == {"team": "storage", "note": "hello world", "empty": ""}
    assert s3.head_object(Bucket=bucket, Key="k")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "3"
    assert s3.get_object(Bucket=bucket, Key="k")["TagCount"] == 3
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="plain")
    assert s3.get_object_tagging(Bucket=bucket, Key="plain")["TagSet"] == []


def test_put_get_delete_object_tagging_keeps_etag_and_last_modified(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"payload", Tagging="a=1")
    before = s3.head_object(Bucket=bucket, Key="k")
    reply = s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tag_set([("b", "2"), ("c", "three 3")]))
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(s3, bucket, "k") == {"b": "2", "c": "three 3"}
    after = s3.head_object(Bucket=bucket, Key="k")
    assert after["ETag"] == before["ETag"]
    assert after["LastModified"] == before["LastModified"]
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"payload"

    reply = s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="k")
    assert s3.head_object(Bucket=bucket, Key="k")["ETag"] == before["ETag"]


def test_tagging_a_large_object_keeps_its_bytes(s3, bucket):
    body = bytes(range(256)) * 8192  # 2 MiB: written to a staged file, not inside a journal record
    s3.put_object(Bucket=bucket, Key="large", Body=body)
    s3.put_object_tagging(Bucket=bucket, Key="large", Tagging=tag_set([("size", "large")]))
    assert s3.get_object(Bucket=bucket, Key="large")["Body"].read() == body
    assert tags_of(s3, bucket, "large") == {"size": "large"}


def test_object_tagging_errors(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    cases = [
        (tag_set([(f"k{i}", "v") for i in range(11)]), "BadRequest"),
        (tag_set([("k" * 129, "v")]), "InvalidTag"),
        (tag_set([("k", "v" * 257)]), "InvalidTag"),
        (tag_set([("a", "1"), ("a", "2")]), "InvalidTag"),
        (tag_set([("bad,key", "v")]), "InvalidTag"),
        (tag_set([("aws:reserved", "v")]), "InvalidTag"),
    ]
    for tagging, code in cases:
        with pytest.raises(ClientError) as excinfo:
            s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tagging)
        assert error_code(excinfo) == code, tagging
        assert status(excinfo) == 400
    # Limits are inclusive.
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tag_set([(f"k{i}", "v" * 256) for i in range(9)] + [("k" * 128, "")]))
    assert len(tags_of(s3, bucket, "k")) == 10

    for call in (lambda: s3.get_object_tagging(Bucket=bucket, Key="missing"),
                 lambda: s3.put_object_tagging(Bucket=bucket, Key="missing", Tagging=tag_set([("a", "1")])),
                 lambda: s3.delete_object_tagging(Bucket=bucket, Key="missing")):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "NoSuchKey"
        assert status(excinfo) == 404
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_tagging(Bucket=unique_name("absent"), Key="k")
    assert error_code(excinfo) == "NoSuchBucket"


def test_malformed_tagging_document(bucket, aws_endpoint, s3):
    from test_s3 import raw
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    for body in [b"<Tagging><TagSet>", b"<Tagging></Tagging>", b"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"]:
        response = raw("PUT", aws_endpoint, f"/{bucket}/k?tagging", body=body)
        assert response.status_code == 400
        assert b"<Code>MalformedXML</Code>" in response.content


def test_bad_tagging_header_loses_nothing(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"original", Tagging="keep=yes")
    for header, code in [("a=1&a=2", "InvalidArgument"), ("=1", "InvalidArgument"),
                         ("&".join(f"k{i}=v" for i in range(11)), "BadRequest"), ("bad%2Ckey=1", "InvalidTag")]:
        with pytest.raises(ClientError) as excinfo:
            s3.put_object(Bucket=bucket, Key="k", Body=b"replacement", Tagging=header)
        assert error_code(excinfo) == code, header
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"original"
    assert tags_of(s3, bucket, "k") == {"keep": "yes"}


def test_tags_through_multipart_upload(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", Tagging="stage=multipart&n=2")
    part = b"a" * (5 * 1024 * 1024)
    etags = []
    for number, body in [(1, part), (2, b"tail")]:
        etags.append(s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=number, Body=body)["ETag"])
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_tagging(Bucket=bucket, Key="mp")
    assert error_code(excinfo) == "NoSuchKey"
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], MultipartUpload={
        "Parts": [{"PartNumber": n + 1, "ETag": etag} for n, etag in enumerate(etags)]})
    assert tags_of(s3, bucket, "mp") == {"stage": "multipart", "n": "2"}
    assert s3.head_object(Bucket=bucket, Key="mp")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"


def test_tags_through_copy_directives(s3, bucket):
    s3.put_object(Bucket=bucket, Key="source", Body=b"x", Tagging="origin=source")
    source = {"Bucket": bucket, "Key": "source"}
    s3.copy_object(Bucket=bucket, Key="copied", CopySource=source)
    assert tags_of(s3, bucket, "copied") == {"origin": "source"}
    s3.copy_object(Bucket=bucket, Key="explicit-copy", CopySource=source, TaggingDirective="COPY", Tagging="ignored=1")
    assert tags_of(s3, bucket, "explicit-copy") == {"origin": "source"}
    s3.copy_object(Bucket=bucket, Key="replaced", CopySource=source, TaggingDirective="REPLACE", Tagging="origin=copy")
    assert tags_of(s3, bucket, "replaced") == {"origin": "copy"}
    s3.copy_object(Bucket=bucket, Key="cleared", CopySource=source, TaggingDirective="REPLACE")
    assert tags_of(s3, bucket, "cleared") == {}
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="bad", CopySource=source, TaggingDirective="REPLACE", Tagging="a=1&a=2")
    assert error_code(excinfo) == "InvalidArgument"


# --- bucket tagging ----------------------------------------------------------------------------


def test_bucket_tagging(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchTagSet"
    assert status(excinfo) == 404
    s3.put_bucket_tagging(Bucket=bucket, Tagging=tag_set([("team", "storage"), ("env", "test")]))
    assert {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]} == {"team": "storage", "env": "test"}
    s3.put_bucket_tagging(Bucket=bucket, Tagging=tag_set([(f"k{i}", "v") for i in range(50)]))
    assert len(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == 50
    for tagging, code in [(tag_set([(f"k{i}", "v") for i in range(51)]), "BadRequest"),
                          (tag_set([("a", "1"), ("a", "2")]), "InvalidTag"), (tag_set([("a;b", "v")]), "InvalidTag")]:
        with pytest.raises(ClientError) as excinfo:
            s3.put_bucket_tagging(Bucket=bucket, Tagging=tagging)
        assert error_code(excinfo) == code
    assert len(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == 50
    assert s3.delete_bucket_tagging(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchTagSet"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_tagging(Bucket=unique_name("absent"), Tagging=tag_set([("a", "1")]))
    assert error_code(excinfo) == "NoSuchBucket"


# --- storage class -----------------------------------------------------------------------------


def test_storage_class_in_reads_and_listings(s3, bucket):
    s3.put_object(Bucket=bucket, Key="a-cold", Body=b"ice", StorageClass="GLACIER")
    s3.put_object(Bucket=bucket, Key="b-ia", Body=b"x", StorageClass="STANDARD_IA")
    s3.put_object(Bucket=bucket, Key="c-plain", Body=b"x")
    cold = s3.get_object(Bucket=bucket, Key="a-cold")
    assert cold["StorageClass"] == "GLACIER"
    assert cold["Body"].read() == b"ice"  # readable at once: no restore in Nimbus
    assert "StorageClass" not in s3.head_object(Bucket=bucket, Key="c-plain")
    expected = {"a-cold": "GLACIER", "b-ia": "STANDARD_IA", "c-plain": "STANDARD"}
    assert {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]} == expected
    assert {o["Key"]: o["StorageClass"] for o in s3.list_objects(Bucket=bucket)["Contents"]} == expected
    assert {v["Key"]: v["StorageClass"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]} == expected

    upload = s3.create_multipart_upload(Bucket=bucket, Key="d-mp", StorageClass="ONEZONE_IA")
    assert s3.list_parts(Bucket=bucket, Key="d-mp", UploadId=upload["UploadId"])["StorageClass"] == "ONEZONE_IA"
    assert s3.list_multipart_uploads(Bucket=bucket)["Uploads"][0]["StorageClass"] == "ONEZONE_IA"
    etag = s3.upload_part(Bucket=bucket, Key="d-mp", UploadId=upload["UploadId"], PartNumber=1, Body=b"p")["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="d-mp", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.head_object(Bucket=bucket, Key="d-mp")["StorageClass"] == "ONEZONE_IA"

    # A copy takes the class it asks for (STANDARD when none); changing the class of an object
    # in place is a copy onto itself.
    s3.copy_object(Bucket=bucket, Key="e-copy", CopySource={"Bucket": bucket, "Key": "a-cold"})
    assert "StorageClass" not in s3.head_object(Bucket=bucket, Key="e-copy")
    s3.copy_object(Bucket=bucket, Key="c-plain", CopySource={"Bucket": bucket, "Key": "c-plain"}, StorageClass="INTELLIGENT_TIERING")
    assert s3.head_object(Bucket=bucket, Key="c-plain")["StorageClass"] == "INTELLIGENT_TIERING"


def test_invalid_storage_class(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", StorageClass="FROZEN")
    assert error_code(excinfo) == "InvalidStorageClass"
    assert status(excinfo) == 400
    with pytest.raises(ClientError) as excinfo:
        s3.create_multipart_upload(Bucket=bucket, Key="k", StorageClass="FROZEN")
    assert error_code(excinfo) == "InvalidStorageClass"
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


# --- server-side encryption --------------------------------------------------------------------


def test_sse_s3_by_default_on_every_write_and_read(s3, bucket):
    assert s3.put_object(Bucket=bucket, Key="k", Body=b"x")["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"
    assert s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"
    assert s3.copy_object(Bucket=bucket, Key="c", CopySource={"Bucket": bucket, "Key": "k"})["ServerSideEncryption"] == "AES256"
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    assert upload["ServerSideEncryption"] == "AES256"
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=1, Body=b"p")
    assert part["ServerSideEncryption"] == "AES256"
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert done["ServerSideEncryption"] == "AES256"


def test_kms_settings_are_stored_and_echoed(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/app")
    assert put["ServerSideEncryption"] == "aws:kms"
    assert put["SSEKMSKeyId"] == "alias/app"
    head = s3.head_object(Bucket=bucket, Key="k")
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", "alias/app")
    dsse = s3.put_object(Bucket=bucket, Key="d", Body=b"x", ServerSideEncryption="aws:kms:dsse")
    assert dsse["ServerSideEncryption"] == "aws:kms:dsse"
    assert s3.get_object(Bucket=bucket, Key="d")["Body"].read() == b"x"


def test_invalid_sse_values(s3, bucket, aws_endpoint):
    from test_s3 import raw
    response = raw("PUT", aws_endpoint, f"/{bucket}/k", body=b"x", headers={"x-amz-server-side-encryption": "ROT13"})
    assert response.status_code == 400
    assert b"<Code>InvalidArgument</Code>" in response.content
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="AES256", SSEKMSKeyId="alias/app")
    assert error_code(excinfo) == "InvalidArgument"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k")


def test_bucket_encryption(s3, bucket):
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert rule["BucketKeyEnabled"] is False
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/bucket"},
        "BucketKeyEnabled": True}]})
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/bucket"}
    assert rule["BucketKeyEnabled"] is True
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert (put["ServerSideEncryption"], put["SSEKMSKeyId"]) == ("aws:kms", "alias/bucket")
    assert s3.delete_bucket_encryption(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert s3.put_object(Bucket=bucket, Key="later", Body=b"x")["ServerSideEncryption"] == "AES256"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]})
    assert error_code(excinfo) == "InvalidArgument"


# --- durability and templates ------------------------------------------------------------------


def template_with_tags(path, tags):
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31", "Resources:",
             "  TaggedBucket:", "    Type: AWS::S3::Bucket", "    Properties:", "      BucketName: compat-tagged-bucket"]
    if tags:
        lines.append("      Tags:")
        lines += [f"        - {{Key: {key}, Value: {value}}}" for key, value in tags]
    path.write_text("\n".join(lines) + "\n")
    return path


def stack_on(data_dir, template):
    """A stack on an existing data directory (Stack makes a fresh one through tempfile.mkdtemp)."""
    original = tempfile.mkdtemp
    tempfile.mkdtemp = lambda *args, **kwargs: data_dir
    try:
        return Stack(template=template)
    finally:
        tempfile.mkdtemp = original


def test_tags_survive_a_restart_and_template_tags_follow_the_template(tmp_path):
    template = template_with_tags(tmp_path / "template.yaml", [("team", "storage"), ("env", "dev")])
    first = Stack(template=template)
    try:
        s3 = first.client("s3")
        name = "compat-tagged-bucket"
        assert {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]} == {"team": "storage", "env": "dev"}
        s3.put_object(Bucket=name, Key="small", Body=b"s", Tagging="a=1", StorageClass="GLACIER_IR")
        s3.put_object(Bucket=name, Key="large", Body=b"L" * (3 * 1024 * 1024))
        s3.put_object_tagging(Bucket=name, Key="large", Tagging=tag_set([("b", "2")]))
        s3.put_object(Bucket=name, Key="untagged", Body=b"u", Tagging="gone=soon")
        s3.delete_object_tagging(Bucket=name, Key="untagged")
        first.stop()

        template_with_tags(template, [("team", "platform")])
        second = stack_on(first.data_dir, template)
        try:
            s3 = second.client("s3")
            assert tags_of(s3, name, "small") == {"a": "1"}
            assert tags_of(s3, name, "large") == {"b": "2"}
            assert tags_of(s3, name, "untagged") == {}
            assert s3.head_object(Bucket=name, Key="small")["StorageClass"] == "GLACIER_IR"
            assert s3.get_object(Bucket=name, Key="large")["Body"].read() == b"L" * (3 * 1024 * 1024)
            assert {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]} == {"team": "platform"}
        finally:
            second.stop()

        template_with_tags(template, [])
        third = stack_on(first.data_dir, template)
        try:
            with pytest.raises(ClientError) as excinfo:
                third.client("s3").get_bucket_tagging(Bucket=name)
            assert error_code(excinfo) == "NoSuchTagSet"
            assert tags_of(third.client("s3"), name, "small") == {"a": "1"}
        finally:
            third.stop()
    finally:
        first.cleanup()


# --- AWS CLI -----------------------------------------------------------------------------------


def test_cli_put_and_get_object_tagging(s3, bucket, aws_cli_env, aws_endpoint):
    import json
    s3.put_object(Bucket=bucket, Key="cli.txt", Body=b"from the cli")

    def s3api(*args):
        result = subprocess.run(["aws", "--endpoint-url", aws_endpoint, "s3api", *args], env=aws_cli_env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"aws s3api {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    s3api("put-object-tagging", "--bucket", bucket, "--key", "cli.txt",
          "--tagging", "TagSet=[{Key=project,Value=nimbus},{Key=owner,Value=cli}]")
    listed = json.loads(s3api("get-object-tagging", "--bucket", bucket, "--key", "cli.txt"))
    assert {t["Key"]: t["Value"] for t in listed["TagSet"]} == {"project": "nimbus", "owner": "cli"}
    assert tags_of(s3, bucket, "cli.txt") == {"project": "nimbus", "owner": "cli"}
