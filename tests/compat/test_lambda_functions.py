"""Lambda's read-only control plane through boto3 and the AWS CLI: ListFunctions, GetFunction and
GetFunctionConfiguration describe the template's functions, and the `function_active` waiter
that deploy scripts use returns."""
import base64
import hashlib
import json
import re
import subprocess

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import ROOT, TEMPLATE, Stack

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def template_function_names():
    return sorted(re.findall(r"^\s+FunctionName: (\S+)$", TEMPLATE.read_text(), re.MULTILINE))


def test_list_functions_pages_through_every_template_function(lambda_client):
    pages = list(lambda_client.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 3}))
    assert len(pages) > 1
    names = [f["FunctionName"] for page in pages for f in page["Functions"]]
    assert names == template_function_names()
    for function in (f for page in pages for f in page["Functions"]):
        assert function["FunctionArn"] == ARN + function["FunctionName"]
        assert function["State"] == "Active" and function["PackageType"] == "Zip"


def test_get_function_describes_the_template(lambda_client):
    answer = lambda_client.get_function(FunctionName="lambda-dynamo")
    configuration = answer["Configuration"]
    assert configuration["Runtime"] == "python3.11"
    assert configuration["Handler"] == "app.handler"
    assert configuration["Timeout"] == 5 and configuration["MemorySize"] == 128  # the template's Globals
    assert configuration["Environment"]["Variables"] == {"TABLE_NAME": "e2e-test-table"}
    assert configuration["Version"] == "$LATEST"
    assert configuration["LoggingConfig"]["LogGroup"] == "/aws/lambda/lambda-dynamo"
    source = (ROOT / "examples/demo/functions/dynamo/app.py").read_bytes()
    assert configuration["CodeSize"] == len(source)
    assert answer["Code"]["Location"].startswith("file://") and answer["Code"]["Location"].endswith("/functions/dynamo/")
    assert "Concurrency" not in answer
    scaling = lambda_client.get_function(FunctionName="lambda-scaling")
    assert scaling["Concurrency"] == {"ReservedConcurrentExecutions": 2}
    isolation = lambda_client.get_function_configuration(FunctionName="lambda-isolation")
    assert isolation["EphemeralStorage"] == {"Size": 640} and isolation["Timeout"] == 10


@pytest.mark.parametrize("reference", ["lambda-echo", "000000000000:function:lambda-echo", ARN + "lambda-echo"])
def test_get_function_configuration_takes_names_and_arns(lambda_client, reference):
    configuration = lambda_client.get_function_configuration(FunctionName=reference)
    assert configuration["FunctionName"] == "lambda-echo"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", configuration["LastModified"])
    configuration.pop("ResponseMetadata")
    assert configuration == lambda_client.get_function(FunctionName="lambda-echo")["Configuration"]


def test_function_active_waiter(lambda_client):
    lambda_client.get_waiter("function_active").wait(FunctionName="lambda-echo", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    lambda_client.get_waiter("function_exists").wait(FunctionName="lambda-s3", WaiterConfig={"Delay": 1, "MaxAttempts": 2})


@pytest.mark.parametrize("call", [
    lambda c: c.get_function(FunctionName="no-such-function"),
    lambda c: c.get_function_configuration(FunctionName="lambda-echo", Qualifier="no-such-alias"),
    lambda c: c.get_function(FunctionName="arn:aws:lambda:us-east-1:000000000000:layer:lambda-echo"),
])
def test_unknown_functions_are_resource_not_found(lambda_client, call):
    with pytest.raises(ClientError) as error:
        call(lambda_client)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error.value.response["Error"]["Message"].startswith("Function not found: arn:aws:lambda:")


@pytest.mark.parametrize("max_items", ["0", "10001", "many"])
def test_a_bad_max_items_is_invalid_parameter_value(aws_endpoint, max_items):
    """boto3 refuses these itself, so the request is signed and sent as it would be without it."""
    request = AWSRequest(method="GET", url=f"{aws_endpoint}/2015-03-31/functions/?MaxItems={max_items}")
    SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(request)
    reply = requests.get(request.url, headers=dict(request.headers))
    assert reply.status_code == 400
    assert reply.headers["x-amzn-ErrorType"] == "InvalidParameterValueException"
    assert "maxItems" in reply.json()["message"]


def test_the_aws_cli_lists_and_waits(aws_cli_env):
    def aws(*args):
        result = subprocess.run(["aws", "lambda", *args], env=aws_cli_env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout
    listed = json.loads(aws("list-functions", "--query", "Functions[].FunctionName", "--output", "json"))
    assert listed == template_function_names()
    aws("wait", "function-active", "--function-name", "lambda-connectivity")


def test_code_sha256_is_the_digest_of_the_folder_and_follows_changes(tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    (code / "app.py").write_text("def handler(event, context):\n    return 1\n")
    template = tmp_path / "template.yaml"
    template.write_text("""AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  One:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: lambda-one, Runtime: python3.11, Handler: app.handler, CodeUri: code/}
""")

    def digest():
        h = hashlib.sha256()
        for relative in sorted(str(p.relative_to(code)) for p in code.rglob("*") if p.is_file()):
            h.update(relative.encode() + b"\0" + (code / relative).read_bytes())
        return base64.b64encode(h.digest()).decode()

    stack = Stack(template=template)
    try:
        client = stack.client("lambda")
        first = client.get_function_configuration(FunctionName="lambda-one")
        assert first["CodeSha256"] == digest()
        (code / "lib").mkdir()
        (code / "lib" / "util.py").write_text("VALUE = 2\n")
        second = client.get_function_configuration(FunctionName="lambda-one")
        assert second["CodeSha256"] == digest() != first["CodeSha256"]
        assert second["CodeSize"] == first["CodeSize"] + len("VALUE = 2\n")
    finally:
        stack.stop()
        stack.cleanup()


@pytest.mark.parametrize("call", [
    lambda c: c.get_account_settings(),  # /2016-08-19/account-settings/
    lambda c: c.list_aliases(FunctionName="lambda-echo"),
    lambda c: c.delete_function(FunctionName="lambda-echo"),
])
def test_lambda_operations_nimbus_lacks_are_unknown_operations_in_lambdas_dialect(lambda_client, call):
    with pytest.raises(ClientError) as error:
        call(lambda_client)
    assert error.value.response["Error"]["Code"] == "UnknownOperationException"
    assert lambda_client.get_function(FunctionName="lambda-echo")["Configuration"]["State"] == "Active"


def test_a_bucket_named_like_a_lambda_api_date_is_still_s3s(s3):
    s3.create_bucket(Bucket="2016-08-19")
    try:
        s3.put_object(Bucket="2016-08-19", Key="account-settings/", Body=b"not lambda")
        assert s3.get_object(Bucket="2016-08-19", Key="account-settings/")["Body"].read() == b"not lambda"
    finally:
        s3.delete_object(Bucket="2016-08-19", Key="account-settings/")
        s3.delete_bucket(Bucket="2016-08-19")
