"""A short AWS CLI session against the S3 endpoint: mb, cp up and down, ls, sync, rm, rb; and an
`aws s3api` session on a versioned bucket."""

import json
import subprocess
import uuid

import pytest


def aws(aws_cli_env, aws_endpoint, *args):
    result = subprocess.run(["aws", "--endpoint-url", aws_endpoint, "s3", *args], env=aws_cli_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"aws s3 {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def bucket_url(aws_cli_env, aws_endpoint):
    name = f"compat-cli-{uuid.uuid4().hex[:12]}"
    aws(aws_cli_env, aws_endpoint, "mb", f"s3://{name}")
    yield f"s3://{name}"
    aws(aws_cli_env, aws_endpoint, "rb", "--force", f"s3://{name}")


def test_cli_session(aws_cli_env, aws_endpoint, bucket_url, tmp_path):
    source = tmp_path / "source"
    (source / "nested" / "deeper").mkdir(parents=True)
    (source / "hello.txt").write_text("hello from the cli\n")
    (source / "nested" / "data.bin").write_bytes(bytes(range(256)) * 40000)  # ~10 MB: multipart
    (source / "nested" / "deeper" / "name with spaces.txt").write_text("spaces\n")

    aws(aws_cli_env, aws_endpoint, "cp", str(source / "hello.txt"), f"{bucket_url}/single/hello.txt")
    listing = aws(aws_cli_env, aws_endpoint, "ls", f"{bucket_url}/single/")
    assert "hello.txt" in listing

    aws(aws_cli_env, aws_endpoint, "sync", str(source), f"{bucket_url}/tree")
    recursive = aws(aws_cli_env, aws_endpoint, "ls", "--recursive", bucket_url)
    for name in ["tree/hello.txt", "tree/nested/data.bin", "tree/nested/deeper/name with spaces.txt"]:
        assert name in recursive
    top = aws(aws_cli_env, aws_endpoint, "ls", f"{bucket_url}/tree/")
    assert "PRE nested/" in top

    # A second sync has nothing to do.
    assert aws(aws_cli_env, aws_endpoint, "sync", str(source), f"{bucket_url}/tree").strip() == ""

    target = tmp_path / "target"
    aws(aws_cli_env, aws_endpoint, "sync", f"{bucket_url}/tree", str(target))
    for path in source.rglob("*"):
        if path.is_file():
            assert (target / path.relative_to(source)).read_bytes() == path.read_bytes()

    aws(aws_cli_env, aws_endpoint, "cp", f"{bucket_url}/single/hello.txt", str(tmp_path / "down.txt"))
    assert (tmp_path / "down.txt").read_text() == "hello from the cli\n"

    aws(aws_cli_env, aws_endpoint, "rm", "--recursive", f"{bucket_url}/tree")
    assert "tree/" not in aws(aws_cli_env, aws_endpoint, "ls", "--recursive", bucket_url)


def test_cli_versioning_session(aws_cli_env, aws_endpoint, tmp_path):
    """`aws s3api` turns versioning on, writes two versions, reads the old one back, hides the key
    behind a delete marker, and empties the bucket version by version."""

    def s3api(*args):
        result = subprocess.run(["aws", "--endpoint-url", aws_endpoint, "s3api", *args, "--output", "json"],
                                env=aws_cli_env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"aws s3api {' '.join(args)} failed:\n{result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip() else {}

    name = f"compat-cli-v-{uuid.uuid4().hex[:12]}"
    s3api("create-bucket", "--bucket", name)
    s3api("put-bucket-versioning", "--bucket", name, "--versioning-configuration", "Status=Enabled")
    assert s3api("get-bucket-versioning", "--bucket", name)["Status"] == "Enabled"
    body = tmp_path / "body"
    ids = []
    for text in ("first", "second"):
        body.write_text(text)
        ids.append(s3api("put-object", "--bucket", name, "--key", "doc.txt", "--body", str(body))["VersionId"])
    out = tmp_path / "out"
    s3api("get-object", "--bucket", name, "--key", "doc.txt", "--version-id", ids[0], str(out))
    assert out.read_text() == "first"
    assert s3api("delete-object", "--bucket", name, "--key", "doc.txt")["DeleteMarker"] is True
    listing = s3api("list-object-versions", "--bucket", name)
    assert [v["VersionId"] for v in listing["Versions"]] == ids[::-1]
    assert [m["IsLatest"] for m in listing["DeleteMarkers"]] == [True]
    for entry in listing["Versions"] + listing["DeleteMarkers"]:
        s3api("delete-object", "--bucket", name, "--key", entry["Key"], "--version-id", entry["VersionId"])
    s3api("delete-bucket", "--bucket", name)
