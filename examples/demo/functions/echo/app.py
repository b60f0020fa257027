"""The seeds' echo contract: {"message": m} -> {"success": true, "message": "Echo: m", "user": caller}."""
import json
import logging

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    body = event.get("body") or "{}"
    try:
        request = json.loads(body) if isinstance(body, str) else body
    except json.JSONDecodeError:
        return {"statusCode": 400, "body": json.dumps({"success": False, "error": "body must be JSON"})}
    message = request.get("message", "")
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    user = authorizer.get("cognito:username") or (authorizer.get("claims") or {}).get("cognito:username")
    logger.info("Echo: %s", message)
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({
            "success": True,
            "message": f"Echo: {message}",
            "user": user,
            "request_id": context.aws_request_id,
        }),
    }
