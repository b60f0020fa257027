"""S3 bucket versioning through boto3, as Amazon S3 documents it: the bucket's Enabled/Suspended
state, version ids on PUT, COPY and multipart uploads, reads of a given version, delete markers
(404 with x-amz-delete-marker on the key, 405 on the marker's own version), permanent deletes of a
version, the `null` version of objects written before versioning or while it is suspended,
ListObjectVersions (order, IsLatest, pagination, common prefixes), batch deletes, tagging of one
version, and buckets that stay non-empty while any version or marker remains."""

import pytest
from botocore.exceptions import ClientError

from test_s3 import empty_bucket, error_code, status, unique_name


def purge(s3, name):
    """Deletes every version and delete marker, then the bucket; for teardown, so it never fails."""
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
            entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
            if entries:
                s3.delete_objects(Bucket=name, Delete={
                    "Objects": [{"Key": e["Key"], "VersionId": e["VersionId"]} for e in entries], "Quiet": True})
    except ClientError:
        pass
    try:
        empty_bucket(s3, name)
        s3.delete_bucket(Bucket=name)
    except ClientError:
        pass


@pytest.fixture
def bucket(s3):
    """A bucket that has never had versioning enabled."""
    name = unique_name("versioning")
    s3.create_bucket(Bucket=name)
    yield name
    purge(s3, name)


@pytest.fixture
def versioned(s3, bucket):
    enable(s3, bucket)
    return bucket


def enable(s3, name, state="Enabled"):
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": state})


def put(s3, name, key, body):
    return s3.put_object(Bucket=name, Key=key, Body=body)["VersionId"]


def versions(s3, name, **kwargs):
    """(Key, VersionId, IsLatest) of the object versions, and of the delete markers, in listing order."""
    listing = s3.list_object_versions(Bucket=name, **kwargs)
    return ([(v["Key"], v["VersionId"], v["IsLatest"]) for v in listing.get("Versions", [])],
            [(m["Key"], m["VersionId"], m["IsLatest"]) for m in listing.get("DeleteMarkers", [])])


# --- the bucket's versioning state -------------------------------------------------------------


def test_versioning_status_round_trip_and_bad_status(s3, bucket):
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    enable(s3, bucket)
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    enable(s3, bucket, "Suspended")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"
    with pytest.raises(ClientError) as excinfo:
        enable(s3, bucket, "Bogus")
    assert (status(excinfo), error_code(excinfo)) == (400, "MalformedXML")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"


# --- versions of one key -----------------------------------------------------------------------


def test_each_put_makes_a_new_readable_version(s3, versioned):
    first, second = put(s3, versioned, "k", b"one"), put(s3, versioned, "k", b"two")
    assert first != second and "null" not in (first, second)
    latest = s3.get_object(Bucket=versioned, Key="k")
    assert (latest["Body"].read(), latest["VersionId"]) == (b"two", second)
    old = s3.get_object(Bucket=versioned, Key="k", VersionId=first)
    assert (old["Body"].read(), old["VersionId"]) == (b"one", first)
    head = s3.head_object(Bucket=versioned, Key="k", VersionId=first)
    assert (head["ContentLength"], head["VersionId"]) == (3, first)
    assert s3.head_object(Bucket=versioned, Key="k")["VersionId"] == second


def test_list_object_versions_newest_first(s3, versioned):
    first, second = put(s3, versioned, "k", b"one"), put(s3, versioned, "k", b"second")
    listing = s3.list_object_versions(Bucket=versioned)
    assert "DeleteMarkers" not in listing
    assert [(v["Key"], v["VersionId"], v["IsLatest"], v["Size"]) for v in listing["Versions"]] == [
        ("k", second, True, 6), ("k", first, False, 3)]
    etags = [s3.head_object(Bucket=versioned, Key="k", VersionId=v)["ETag"] for v in (second, first)]
    assert [v["ETag"] for v in listing["Versions"]] == etags


# --- delete markers ----------------------------------------------------------------------------


def test_delete_without_version_id_adds_a_delete_marker(s3, versioned):
    first, second = put(s3, versioned, "k", b"one"), put(s3, versioned, "k", b"two")
    deleted = s3.delete_object(Bucket=versioned, Key="k")
    assert deleted["DeleteMarker"] is True
    marker = deleted["VersionId"]
    assert marker not in (first, second, "null")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=versioned, Key="k")
    assert (status(excinfo), error_code(excinfo)) == (404, "NoSuchKey")
    assert excinfo.value.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=versioned, Key="k")
    assert status(excinfo) == 404
    assert excinfo.value.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
    assert "Contents" not in s3.list_objects_v2(Bucket=versioned)
    assert versions(s3, versioned) == ([("k", second, False), ("k", first, False)], [("k", marker, True)])
    assert s3.get_object(Bucket=versioned, Key="k", VersionId=first)["Body"].read() == b"one"


def test_reading_the_delete_marker_version_is_method_not_allowed(s3, versioned):
    put(s3, versioned, "k", b"one")
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=versioned, Key="k", VersionId=marker)
    assert (status(excinfo), error_code(excinfo)) == (405, "MethodNotAllowed")
    assert excinfo.value.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker") == "true"
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=versioned, Key="k", VersionId=marker)
    assert status(excinfo) == 405


def test_deleting_the_delete_marker_restores_the_object(s3, versioned):
    version = put(s3, versioned, "k", b"one")
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    removed = s3.delete_object(Bucket=versioned, Key="k", VersionId=marker)
    assert (removed["DeleteMarker"], removed["VersionId"]) == (True, marker)
    got = s3.get_object(Bucket=versioned, Key="k")
    assert (got["Body"].read(), got["VersionId"]) == (b"one", version)
    assert versions(s3, versioned) == ([("k", version, True)], [])


def test_deleting_a_version_removes_it_for_good(s3, versioned):
    first, second = put(s3, versioned, "k", b"one"), put(s3, versioned, "k", b"two")
    removed = s3.delete_object(Bucket=versioned, Key="k", VersionId=second)
    assert removed["VersionId"] == second and not removed.get("DeleteMarker")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=versioned, Key="k", VersionId=second)
    assert (status(excinfo), error_code(excinfo)) == (404, "NoSuchVersion")
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=versioned, Key="k", VersionId=second)
    assert status(excinfo) == 404
    got = s3.get_object(Bucket=versioned, Key="k")
    assert (got["Body"].read(), got["VersionId"]) == (b"one", first)
    assert versions(s3, versioned) == ([("k", first, True)], [])


def test_unknown_and_malformed_version_ids(s3, versioned):
    other = put(s3, versioned, "other", b"x")
    put(s3, versioned, "k", b"y")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=versioned, Key="k", VersionId=other)
    assert (status(excinfo), error_code(excinfo)) == (404, "NoSuchVersion")
    error = excinfo.value.response["Error"]
    assert error["Message"] == "The specified version does not exist."
    assert (error.get("Key"), error.get("VersionId")) == ("k", other)
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=versioned, Key="k", VersionId="not-a-version!")
    assert (status(excinfo), error_code(excinfo)) == (400, "InvalidArgument")
    assert excinfo.value.response["Error"]["Message"] == "Invalid version id specified"


# --- the null version --------------------------------------------------------------------------


def test_suspended_bucket_writes_and_deletes_the_null_version(s3, versioned):
    enabled_era = put(s3, versioned, "k", b"versioned")
    enable(s3, versioned, "Suspended")
    assert put(s3, versioned, "k", b"null one") == "null"
    assert put(s3, versioned, "k", b"null two") == "null"
    assert versions(s3, versioned) == ([("k", "null", True), ("k", enabled_era, False)], [])
    assert s3.get_object(Bucket=versioned, Key="k", VersionId="null")["Body"].read() == b"null two"
    deleted = s3.delete_object(Bucket=versioned, Key="k")
    assert (deleted["DeleteMarker"], deleted["VersionId"]) == (True, "null")
    # The marker replaces the null version; the Enabled-era version stays.
    assert versions(s3, versioned) == ([("k", enabled_era, False)], [("k", "null", True)])
    assert s3.get_object(Bucket=versioned, Key="k", VersionId=enabled_era)["Body"].read() == b"versioned"


def test_objects_from_before_versioning_are_the_null_version(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"before")
    enable(s3, bucket)
    assert versions(s3, bucket) == ([("k", "null", True)], [])
    assert s3.get_object(Bucket=bucket, Key="k", VersionId="null")["Body"].read() == b"before"
    after = put(s3, bucket, "k", b"after")
    assert after != "null"
    assert versions(s3, bucket) == ([("k", after, True), ("k", "null", False)], [])
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"after"
    assert s3.get_object(Bucket=bucket, Key="k", VersionId="null")["Body"].read() == b"before"


def test_unversioned_bucket_has_no_version_ids(s3, bucket):
    assert "VersionId" not in s3.put_object(Bucket=bucket, Key="k", Body=b"plain")
    assert s3.get_object(Bucket=bucket, Key="k", VersionId="null")["Body"].read() == b"plain"


# --- other operations on versions --------------------------------------------------------------


def test_copy_of_an_old_version(s3, versioned):
    old, current = put(s3, versioned, "k", b"old bytes"), put(s3, versioned, "k", b"new bytes")
    copied = s3.copy_object(Bucket=versioned, Key="restored",
                            CopySource={"Bucket": versioned, "Key": "k", "VersionId": old})
    assert copied["CopySourceVersionId"] == old
    assert copied["VersionId"] not in (old, current, "null")
    got = s3.get_object(Bucket=versioned, Key="restored")
    assert (got["Body"].read(), got["VersionId"]) == (b"old bytes", copied["VersionId"])


def test_delete_objects_with_and_without_version_ids(s3, versioned):
    first, second = put(s3, versioned, "a", b"1"), put(s3, versioned, "a", b"2")
    put(s3, versioned, "b", b"3")
    response = s3.delete_objects(Bucket=versioned, Delete={"Objects": [{"Key": "a", "VersionId": second},
                                                                       {"Key": "b"}]})
    assert "Errors" not in response
    deleted = {d["Key"]: d for d in response["Deleted"]}
    assert deleted["a"]["VersionId"] == second and not deleted["a"].get("DeleteMarker")
    assert deleted["b"]["DeleteMarker"] is True
    marker = deleted["b"]["DeleteMarkerVersionId"]
    assert s3.get_object(Bucket=versioned, Key="a")["VersionId"] == first
    assert versions(s3, versioned, Prefix="b")[1] == [("b", marker, True)]


def test_multipart_upload_gets_a_version_id(s3, versioned):
    upload = s3.create_multipart_upload(Bucket=versioned, Key="mp")["UploadId"]
    part = s3.upload_part(Bucket=versioned, Key="mp", UploadId=upload, PartNumber=1, Body=b"tiny part")
    done = s3.complete_multipart_upload(Bucket=versioned, Key="mp", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    version = done["VersionId"]
    assert version != "null"
    put(s3, versioned, "mp", b"overwritten")
    got = s3.get_object(Bucket=versioned, Key="mp", VersionId=version)
    assert (got["Body"].read(), got["VersionId"]) == (b"tiny part", version)


def test_tagging_one_version(s3, versioned):
    old, current = put(s3, versioned, "k", b"one"), put(s3, versioned, "k", b"two")
    tagged = s3.put_object_tagging(Bucket=versioned, Key="k", VersionId=old,
                                   Tagging={"TagSet": [{"Key": "era", "Value": "old"}]})
    assert tagged["VersionId"] == old
    got = s3.get_object_tagging(Bucket=versioned, Key="k", VersionId=old)
    assert (got["VersionId"], got["TagSet"]) == (old, [{"Key": "era", "Value": "old"}])
    latest = s3.get_object_tagging(Bucket=versioned, Key="k")
    assert (latest["VersionId"], latest["TagSet"]) == (current, [])


# --- listings and emptying ---------------------------------------------------------------------


def test_list_object_versions_pagination(s3, versioned):
    expected = []
    for key in ("c", "a", "b"):
        older, newer = put(s3, versioned, key, b"1"), put(s3, versioned, key, b"2")
        expected += [(key, newer), (key, older)]
    expected.sort(key=lambda entry: entry[0])  # stable: newest first within a key
    page = s3.list_object_versions(Bucket=versioned, MaxKeys=4)
    assert page["IsTruncated"] is True
    seen = [(v["Key"], v["VersionId"]) for v in page["Versions"]]
    assert seen == expected[:4]
    assert (page["NextKeyMarker"], page["NextVersionIdMarker"]) == expected[3]
    rest = s3.list_object_versions(Bucket=versioned, MaxKeys=4, KeyMarker=page["NextKeyMarker"],
                                   VersionIdMarker=page["NextVersionIdMarker"])
    assert rest["IsTruncated"] is False
    assert seen + [(v["Key"], v["VersionId"]) for v in rest["Versions"]] == expected


def test_list_object_versions_prefix_and_delimiter(s3, versioned):
    for key in ("dir/a", "dir/sub/b", "dir/sub/c", "top"):
        put(s3, versioned, key, b"x")
    put(s3, versioned, "dir/a", b"y")
    listing = s3.list_object_versions(Bucket=versioned, Prefix="dir/", Delimiter="/")
    assert [v["Key"] for v in listing["Versions"]] == ["dir/a", "dir/a"]
    assert listing["CommonPrefixes"] == [{"Prefix": "dir/sub/"}]
    root = s3.list_object_versions(Bucket=versioned, Delimiter="/")
    assert [v["Key"] for v in root["Versions"]] == ["top"]
    assert root["CommonPrefixes"] == [{"Prefix": "dir/"}]


def test_bucket_with_only_old_versions_is_not_empty(s3, versioned):
    put(s3, versioned, "k", b"one")
    put(s3, versioned, "k", b"two")
    s3.delete_object(Bucket=versioned, Key="k")
    assert "Contents" not in s3.list_objects_v2(Bucket=versioned)
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket=versioned)
    assert (status(excinfo), error_code(excinfo)) == (409, "BucketNotEmpty")
    listing = s3.list_object_versions(Bucket=versioned)
    for entry in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
        s3.delete_object(Bucket=versioned, Key=entry["Key"], VersionId=entry["VersionId"])
    assert versions(s3, versioned) == ([], [])
    s3.delete_bucket(Bucket=versioned)
    with pytest.raises(ClientError) as excinfo:
        s3.head_bucket(Bucket=versioned)
    assert status(excinfo) == 404


def test_resource_object_versions_all_and_delete(s3, s3_resource, versioned):
    put(s3, versioned, "a", b"1")
    put(s3, versioned, "a", b"2")
    put(s3, versioned, "b", b"3")
    marker = s3.delete_object(Bucket=versioned, Key="b")["VersionId"]
    resource_bucket = s3_resource.Bucket(versioned)
    listed = sorted((v.object_key, v.id) for v in resource_bucket.object_versions.all())
    expected = versions(s3, versioned)
    assert listed == sorted([(k, v) for k, v, _ in expected[0] + expected[1]])
    assert len(listed) == 4 and ("b", marker) in listed
    resource_bucket.object_versions.delete()
    assert versions(s3, versioned) == ([], [])
    resource_bucket.delete()
    with pytest.raises(ClientError) as excinfo:
        s3.head_bucket(Bucket=versioned)
    assert status(excinfo) == 404


def test_template_bucket_is_versioned(s3):
    """The test stack's template declares `VersioningConfiguration: {Status: Enabled}`."""
    assert s3.get_bucket_versioning(Bucket="e2e-versioned-bucket")["Status"] == "Enabled"
    key = f"template/{unique_name('k')}"
    first = put(s3, "e2e-versioned-bucket", key, b"1")
    assert put(s3, "e2e-versioned-bucket", key, b"2") != first
    for entry in s3.list_object_versions(Bucket="e2e-versioned-bucket", Prefix=key)["Versions"]:
        s3.delete_object(Bucket="e2e-versioned-bucket", Key=key, VersionId=entry["VersionId"])


def test_mfa_delete_cannot_be_enabled(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"})
    assert (status(excinfo), error_code(excinfo)) == (501, "NotImplemented")
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
