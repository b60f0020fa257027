"""The runtime smoke contract (seed 000): POST /api/connectivity/python with an action."""
import json
import os

import boto3


def respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


def handler(event, context):
    request = json.loads(event.get("body") or "{}")
    action = request.get("action")
    if action == "echo":
        return respond(200, {"success": True, "action": action, "message": f"Echo: {request.get('message', '')}"})
    if action == "dynamodb_put":
        table = os.environ.get("TABLE_NAME", "e2e-test-table")
        boto3.client("dynamodb").put_item(
            TableName=table, Item={"id": {"S": request["key"]}, "value": {"S": request.get("value", "")}})
        return respond(200, {"success": True, "action": action, "table": table, "key": request["key"]})
    if action == "s3_put":
        boto3.client("s3").put_object(Bucket=request["bucket"], Key=request["key"], Body=request.get("content", "").encode())
        return respond(200, {"success": True, "action": action, "bucket": request["bucket"], "key": request["key"]})
    if action == "chain_invoke":
        target = request.get("target") or os.environ.get("ECHO_FUNCTION", "lambda-echo")
        event = {"body": json.dumps({"message": request.get("message", "from-chain")})}
        answer = boto3.client("lambda").invoke(FunctionName=target, Payload=json.dumps(event).encode())
        child = json.loads(answer["Payload"].read())
        body = json.loads(child.get("body") or "{}") if isinstance(child, dict) else {}
        return respond(200, {"success": True, "action": action, "child": child, "child_success": body.get("success", False)})
    return respond(400, {"success": False, "error": f"unknown action: {action}"})
