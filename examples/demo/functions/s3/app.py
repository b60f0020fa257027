"""Seed 002's lambda-s3 (STD-019..023): POST /api/s3 with an action, run through boto3 against the
stack's S3. A failed S3 call is a 500 naming S3's error code (STD-021: a GET after a DELETE is
a 500 with NoSuchKey).

  {"action": "put", "key": k, "content": c}  -> {"key", "etag"}
  {"action": "get", "key": k}                -> {"key", "content"}
  {"action": "list", "prefix"?: p}           -> {"objects": [{"key", "size", "etag"}]}
  {"action": "delete", "key": k}             -> {"key"}
Every action takes an optional "bucket" (default BUCKET_NAME).
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

BUCKET = os.environ.get("BUCKET_NAME", "e2e-test-bucket")
s3 = boto3.client("s3")


def respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


def put(bucket, request):
    answer = s3.put_object(Bucket=bucket, Key=request["key"], Body=request.get("content", "").encode(),
                           ContentType="text/plain; charset=utf-8")
    return {"key": request["key"], "etag": answer["ETag"]}


def get(bucket, request):
    body = s3.get_object(Bucket=bucket, Key=request["key"])["Body"].read()
    return {"key": request["key"], "content": body.decode()}


def list_objects(bucket, request):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=request.get("prefix", ""))
    objects = [{"key": o["Key"], "size": o["Size"], "etag": o["ETag"]} for page in pages for o in page.get("Contents", [])]
    return {"prefix": request.get("prefix", ""), "objects": objects}


def delete(bucket, request):
    s3.delete_object(Bucket=bucket, Key=request["key"])
    return {"key": request["key"]}


ACTIONS = {"put": put, "get": get, "list": list_objects, "delete": delete}


def handler(event, context):
    try:
        request = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError:
        return respond(400, {"success": False, "error": "body must be JSON"})
    action = ACTIONS.get(request.get("action"))
    if action is None:
        return respond(400, {"success": False, "error": f"unknown action: {request.get('action')}"})
    bucket = request.get("bucket") or BUCKET
    try:
        result = action(bucket, request)
    except KeyError as missing:
        return respond(400, {"success": False, "error": f"missing field: {missing.args[0]}"})
    except ClientError as error:
        return respond(500, {"success": False, "action": request["action"], "error": error.response["Error"]["Code"]})
    return respond(200, {"success": True, "action": request["action"], "bucket": bucket, **result})
