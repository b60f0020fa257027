import os

import boto3


def handler(event, context):
    table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    table.put_item(Item={"id": "scheduled-run", "scheduled": bool(event.get("scheduled"))})
    return {"ok": True}
