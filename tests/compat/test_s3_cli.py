"""A short AWS CLI session against the S3 endpoint: mb, cp up and down, ls, sync, rm, rb."""

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
