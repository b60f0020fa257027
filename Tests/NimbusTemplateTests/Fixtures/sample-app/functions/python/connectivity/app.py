import json
import os

import boto3
from nimbus_common import respond


def handler(event, context):
    request = json.loads(event.get("body") or "{}")
    action = request.get("action")
    if action == "echo":
        return respond({"success": True, "action": action, "message": request.get("message")})
    if action == "dynamodb_put":
        table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
        table.put_item(Item={"id": request["key"], "value": request["value"]})
        return respond({"success": True, "action": action})
    if action == "s3_put":
        boto3.client("s3").put_object(Bucket=request["bucket"], Key=request["key"], Body=request["content"])
        return respond({"success": True, "action": action})
    if action == "chain_invoke":
        child = boto3.client("lambda").invoke(FunctionName=request["target"], Payload=b"{}")
        return respond({"success": True, "action": action, "child": json.loads(child["Payload"].read())})
    return respond({"success": False, "error": f"unknown action {action}"}, status=400)
