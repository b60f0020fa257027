import json


def handler(event, context):
    body = event.get("body") if isinstance(event, dict) else None
    return {"statusCode": 200, "body": json.dumps({"echo": body})}
