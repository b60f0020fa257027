"""An HTTP API (payload 2.0) route: GET /api/hello/{name} returns a bare object."""
import os


def handler(event, context):
    name = (event.get("pathParameters") or {}).get("name", "world")
    return {"greeting": f"Hello, {name}!", "stage": os.environ.get("STAGE"), "route": event.get("routeKey")}
