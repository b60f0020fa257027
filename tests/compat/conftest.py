"""A live `nimbus up` of tests/fixtures/stack for clients nobody here wrote: boto3, the AWS CLI,
awslambdaric, requests. The binary is NIMBUS_BIN or .build/debug/nimbus."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "tests/fixtures/stack/template.yaml"
API_KEY, USER, PASSWORD = "compat-api-key", "compat-user", "compat-password"


def nimbus_binary():
    return os.environ.get("NIMBUS_BIN") or str(ROOT / ".build/debug/nimbus")


def stop_with_parent():
    """A stack must not outlive a pytest that was killed before its teardown ran."""
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """One `nimbus up` process on free ports with its own data directory."""

    def __init__(self, *extra_args, template=TEMPLATE, launcher=()):
        """`launcher`: argv that runs the command it is followed by, given the data directory first
        (test_disk_full puts the data directory on a small file system this way)."""
        self.data_dir = tempfile.mkdtemp(prefix="nimbus-compat-")
        self.port, self.aws_port = free_port(), free_port()
        self.gateway = f"http://127.0.0.1:{self.port}"
        self.aws = f"http://127.0.0.1:{self.aws_port}"
        self.log_path = Path(self.data_dir) / "nimbus.log"
        launch = [*launcher, self.data_dir] if launcher else []
        args = [*launch, nimbus_binary(), "up", str(template), "--port", str(self.port), "--aws-port", str(self.aws_port),
                "--data-dir", self.data_dir, "--api-key", API_KEY, "--user", USER, "--password", PASSWORD,
                "--strict-signatures", *extra_args]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=stop_with_parent)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nimbus exited with {self.process.returncode}:\n{self.log_path.read_text()}")
            try:
                if requests.get(self.gateway + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("nimbus did not become healthy:\n" + self.log_path.read_text())

    def token(self):
        reply = requests.post(self.gateway + "/user/auth/v1", headers={"x-api-key": API_KEY},
                              json={"AuthParameters": {"USERNAME": USER, "PASSWORD": PASSWORD}})
        reply.raise_for_status()
        return reply.json()["AuthenticationResult"]["IdToken"]

    def client(self, service):
        return boto3.client(service, endpoint_url=self.aws, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def cleanup(self):
        shutil.rmtree(self.data_dir, ignore_errors=True)


def worker_pids(data_dir_marker=None):
    """PIDs of live python worker processes started by Nimbus (they carry AWS_LAMBDA_RUNTIME_API)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"AWS_LAMBDA_RUNTIME_API=" in environ and ") Z " not in stat:
            if data_dir_marker is None or data_dir_marker.encode() in environ:
                pids.append(int(entry.name))
    return pids


@pytest.fixture(scope="session")
def stack():
    s = Stack()
    yield s
    s.stop()
    s.cleanup()


@pytest.fixture(scope="session")
def aws_endpoint(stack):
    return stack.aws


@pytest.fixture(scope="session")
def gateway(stack):
    return stack.gateway


@pytest.fixture(scope="session")
def token(stack):
    return stack.token()


@pytest.fixture(scope="session")
def lambda_client(stack):
    return stack.client("lambda")


@pytest.fixture(scope="session")
def s3(stack):
    return stack.client("s3")


@pytest.fixture(scope="session")
def s3_resource(stack):
    return boto3.resource("s3", endpoint_url=stack.aws, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test",
                          config=Config(s3={"addressing_style": "path"}))


@pytest.fixture(scope="session")
def dynamodb(stack):
    return stack.client("dynamodb")


@pytest.fixture
def accounts(dynamodb):
    """A fresh table keyed by the string `id`, deleted afterwards."""
    name = f"accounts-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    yield name
    dynamodb.delete_table(TableName=name)


@pytest.fixture(scope="session")
def dynamodb_resource(stack):
    return boto3.resource("dynamodb", endpoint_url=stack.aws, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")


@pytest.fixture(scope="session")
def aws_cli_env(stack):
    env = dict(os.environ)
    env.update({"AWS_ENDPOINT_URL": stack.aws, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
    return env
