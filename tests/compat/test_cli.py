"""`nimbus validate` and `nimbus invoke` as a user runs them."""
import json
import subprocess
import textwrap

import pytest

from conftest import ROOT, nimbus_binary


def run(*args, **kwargs):
    return subprocess.run([nimbus_binary(), *args], capture_output=True, text=True, timeout=60, **kwargs)


def test_validate_accepts_the_demo():
    result = run("validate", str(ROOT / "examples/demo/template.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


@pytest.mark.parametrize("body, expected", [
    ("Resources:\n  Echo:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.11\n      CodeUri: .\n",
     "Resources.Echo.Properties.Handler: missing"),
    ("Resources: [unclosed", "invalid YAML"),
    ("Resources:\n  Thing:\n    Properties: {}\n", "Resources.Thing"),
])
def test_validate_names_file_resource_and_field(tmp_path, body, expected):
    template = tmp_path / "template.yaml"
    template.write_text(body)
    result = run("validate", str(template))
    assert result.returncode == 1
    assert "template.yaml" in result.stdout
    assert expected in result.stdout


def test_invoke_through_a_running_stack(stack):
    result = run("invoke", "lambda-faulty", "--payload", '{"action":"hello"}', "--endpoint", stack.aws)
    assert result.returncode == 0, result.stderr
    assert json.loads(json.loads(result.stdout)["body"])["message"] == "hello"


def test_invoke_reports_function_errors_with_exit_status(stack):
    result = run("invoke", "lambda-faulty", "--payload", '{"action":"error"}', "--endpoint", stack.aws)
    assert result.returncode == 1
    assert "ValueError" in result.stdout


def test_invoke_tail_prints_the_log_to_stderr(stack):
    result = run("invoke", "lambda-faulty", "--payload", '{"action":"print","text":"cli-tail-marker"}',
                 "--endpoint", stack.aws, "--tail")
    assert result.returncode == 0, result.stderr
    assert "cli-tail-marker" in result.stderr
    assert "REPORT RequestId:" in result.stderr


def test_invoke_async_is_accepted(stack):
    result = run("invoke", "lambda-faulty", "--payload", '{"action":"hello"}', "--endpoint", stack.aws, "--async")
    assert result.returncode == 0, result.stderr
