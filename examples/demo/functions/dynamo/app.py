"""Seed 002's lambda-dynamo (STD-001..004): POST /api/dynamo with an action, run through boto3
against the stack's DynamoDB. Items are {"id": S, "message": S}; `item` answers in DynamoDB JSON.

  {"action": "put_get", "message": m}        -> {"item_id", "retrieved_item"}
  {"action": "put", "id"?: i, "message": m}  -> {"item_id"}
  {"action": "update", "id": i, "message": m} -> {"item_id", "attributes"}
  {"action": "get", "id": i}                 -> {"found", "item"}
  {"action": "delete", "id": i}              -> {"deleted"}
"""
import json
import os
import uuid

import boto3
from botocore.exceptions import ClientError

TABLE = os.environ.get("TABLE_NAME", "e2e-test-table")
dynamodb = boto3.client("dynamodb")  # created once per worker, as AWS's guidance has it


def respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


def put_get(request):
    item_id = str(uuid.uuid4())
    dynamodb.put_item(TableName=TABLE, Item={"id": {"S": item_id}, "message": {"S": request.get("message", "")}})
    item = dynamodb.get_item(TableName=TABLE, Key={"id": {"S": item_id}}, ConsistentRead=True).get("Item")
    return {"item_id": item_id, "retrieved_item": item}


def put(request):
    item_id = request.get("id") or str(uuid.uuid4())
    dynamodb.put_item(TableName=TABLE, Item={"id": {"S": item_id}, "message": {"S": request.get("message", "")}})
    return {"item_id": item_id}


def update(request):
    answer = dynamodb.update_item(
        TableName=TABLE, Key={"id": {"S": request["id"]}},
        UpdateExpression="SET message = :m", ConditionExpression="attribute_exists(id)",
        ExpressionAttributeValues={":m": {"S": request["message"]}}, ReturnValues="ALL_NEW")
    return {"item_id": request["id"], "attributes": answer["Attributes"]}


def get(request):
    item = dynamodb.get_item(TableName=TABLE, Key={"id": {"S": request["id"]}}, ConsistentRead=True).get("Item")
    return {"found": item is not None, "item": item}


def delete(request):
    answer = dynamodb.delete_item(TableName=TABLE, Key={"id": {"S": request["id"]}}, ReturnValues="ALL_OLD")
    return {"deleted": "Attributes" in answer}


ACTIONS = {"put_get": put_get, "put": put, "update": update, "get": get, "delete": delete}


def handler(event, context):
    try:
        request = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError:
        return respond(400, {"success": False, "error": "body must be JSON"})
    action = ACTIONS.get(request.get("action"))
    if action is None:
        return respond(400, {"success": False, "error": f"unknown action: {request.get('action')}"})
    try:
        result = action(request)
    except KeyError as missing:
        return respond(400, {"success": False, "error": f"missing field: {missing.args[0]}"})
    except ClientError as error:
        code = error.response["Error"]["Code"]
        status = 404 if code == "ConditionalCheckFailedException" else 500
        return respond(status, {"success": False, "action": request["action"], "error": code})
    return respond(200, {"success": True, "action": request["action"], **result})
