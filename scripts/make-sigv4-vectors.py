#!/usr/bin/env python3
"""Generate Tests/NimbusSigV4Tests/BotocoreVectors.swift from botocore's own SigV4 signers.

The vectors pin NimbusSigV4 to a signer nobody here wrote: for each request botocore signs with
fixed credentials at a fixed instant, we record the request as it would go on the wire, the
canonical request botocore built and the signature it produced.

    python3 scripts/make-sigv4-vectors.py   # needs botocore (tested with 1.43)
"""

import datetime
import hashlib
import pathlib
import types
from urllib.parse import parse_qs, urlsplit

import boto3
import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FQoGZXIvYXdzEXAMPLETOKEN//+=="
FIXED_NOW = datetime.datetime(2024, 5, 24, 12, 34, 56)
TIMESTAMP = FIXED_NOW.strftime("%Y%m%dT%H%M%SZ")
ENDPOINT = "http://127.0.0.1:4566"
OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/NimbusSigV4Tests/BotocoreVectors.swift"

UNSTABLE_HEADERS = {"amz-sdk-invocation-id": "00000000-0000-4000-8000-000000000000", "user-agent": "Boto3/1.43"}

# Every signer calls this for "now"; pinning it makes the output reproducible.
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: FIXED_NOW

# Every SigV4 signer builds its canonical request here; keep the last one for the vector.
CANONICAL_REQUESTS = []
_canonical_request = botocore.auth.SigV4Auth.canonical_request


def _capture_canonical_request(self, request):
    CANONICAL_REQUESTS.append(_canonical_request(self, request))
    return CANONICAL_REQUESTS[-1]


botocore.auth.SigV4Auth.canonical_request = _capture_canonical_request


def vector(name, signer, method, url, headers=(), body=b"", token=None, unsigned_payload=False):
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
    auth = signer(credentials)
    request = AWSRequest(method=method, url=url, data=body or None)
    for header_name, header_value in headers:
        request.headers[header_name] = header_value  # HTTPMessage appends: repeats stay repeats
    if unsigned_payload:
        # S3 skips hashing the body when the client opts out (TLS + payload_signing_enabled=False).
        request.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
    unsigned_query = urlsplit(url).query

    auth.add_auth(request)
    presigned = isinstance(auth, botocore.auth.SigV4QueryAuth)
    return record(name, auth._service_name, auth._region_name, request, unsigned_query, body,
                  auth._expires if presigned else None, token)


def record(name, service_name, region, request, unsigned_query, body, expires, token):
    """The vector for a signed AWSRequest: the request as the HTTP client puts it on the wire."""
    parts = urlsplit(request.url)
    wire_headers = []
    for header_name, value in request.headers.items():
        value = value.decode() if isinstance(value, bytes) else value
        # Unsigned and run-dependent (a UUID, the host's OS): pinned so regeneration is stable.
        if header_name.lower() in UNSTABLE_HEADERS:
            value = UNSTABLE_HEADERS[header_name.lower()]
        wire_headers.append((header_name, value))
    if not any(n.lower() == "host" for n, _ in wire_headers):
        # botocore signs the URL's host; the HTTP client sends it as the Host header.
        wire_headers.insert(0, ("Host", botocore.auth._host_from_url(request.url)))
    if expires is not None:
        signature = parts.query.rsplit("X-Amz-Signature=", 1)[1]
    else:
        authorization = dict((n.lower(), v) for n, v in wire_headers)["authorization"]
        signature = authorization.rsplit("Signature=", 1)[1]
    return {
        "name": name,
        "service": service_name,
        "region": region,
        "method": request.method,
        "rawPath": parts.path,
        "rawQuery": parts.query,
        "unsignedQuery": unsigned_query,
        "headers": wire_headers,
        "payloadHash": hashlib.sha256(body).hexdigest(),
        "expires": expires,
        "sessionToken": token,
        "canonicalRequest": CANONICAL_REQUESTS[-1],
        "signature": signature,
    }


def client_vector(name, service_name, call, region="us-east-1"):
    """What a real boto3 client sends for `call(client)`: serializers, checksums and all."""
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=region)
    # Without s3v4, boto3 presigns us-east-1 S3 URLs with SigV2 (AWSAccessKeyId=…&Signature=…).
    client = session.client(service_name, endpoint_url=ENDPOINT, config=Config(signature_version="s3v4")
                            if service_name == "s3" else None)
    sent = []

    def intercept(request, **_):
        # Answer before the network: the request is fully signed by now.
        sent.append(request)
        return AWSResponse(request.url, 200, {}, types.SimpleNamespace(stream=lambda *a, **k: iter([b""])))

    client.meta.events.register("before-send", intercept)
    result = call(client)
    if isinstance(result, str):  # a presigned URL: nothing was sent
        parts = urlsplit(result)
        request = AWSRequest(method="GET", url=result)
        unsigned = "&".join(p for p in parts.query.split("&") if not p.startswith("X-Amz-"))
        expires = int(parse_qs(parts.query)["X-Amz-Expires"][0])
        return record(name, service_name, region, request, unsigned, b"", expires, None)
    request = sent[-1]
    body = request.body.getvalue() if hasattr(request.body, "getvalue") else (request.body or b"")
    body = body.encode() if isinstance(body, str) else body
    return record(name, service_name, region, request, urlsplit(request.url).query, body, None, None)


def quietly(call):
    """Runs a client call whose (empty, fake) response may not parse; only the request matters."""
    def run(client):
        try:
            return call(client)
        except Exception:  # noqa: BLE001 - the response is a stub
            return None
    return run


def s3(region="us-east-1"):
    return lambda c: botocore.auth.S3SigV4Auth(c, "s3", region)


def s3_presign(expires, region="us-east-1"):
    return lambda c: botocore.auth.S3SigV4QueryAuth(c, "s3", region, expires=expires)


def service(name, region="us-east-1"):
    return lambda c: botocore.auth.SigV4Auth(c, name, region)


def service_presign(name, expires, region="us-east-1"):
    return lambda c: botocore.auth.SigV4QueryAuth(c, name, region, expires=expires)


VECTORS = [
    vector("s3-get-object", s3(), "GET", f"{ENDPOINT}/bucket/key.txt",
           headers=[("User-Agent", "Boto3/1.43 botocore/1.43")]),
    vector("s3-put-encoded-key", s3(), "PUT", f"{ENDPOINT}/bucket/a%20b/%C3%BC%2B%25.txt",
           headers=[("Content-Type", "text/plain"), ("X-Amz-Meta-Spaced", "  a   b \t c  "),
                    ("X-Amz-Meta-Multi", "one"), ("X-Amz-Meta-Multi", "two")],
           body="héllo wörld\n".encode()),
    vector("s3-list-repeated-and-empty-params", s3("eu-west-1"), "GET",
           f"{ENDPOINT}/bucket?list-type=2&prefix=a%20b%2F&delimiter=%2F&tag=b&tag=a&empty=&flag"),
    vector("s3-post-delete-objects", s3(), "POST", f"{ENDPOINT}/bucket?delete",
           headers=[("Content-Type", "application/xml"), ("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")],
           body=b"<Delete><Object><Key>a b</Key></Object></Delete>"),
    vector("s3-put-unsigned-payload", s3(), "PUT", "https://s3.amazonaws.com/bucket/big.bin",
           headers=[("Content-MD5", "XUFAKrxLKna5cZ2REBfFkg==")], body=b"hello", unsigned_payload=True),
    vector("s3-head-session-token", s3(), "HEAD", f"{ENDPOINT}/bucket/%7Etilde~.txt",
           token=SESSION_TOKEN),
    vector("dynamodb-get-item", service("dynamodb", "us-west-2"), "POST", f"{ENDPOINT}/",
           headers=[("X-Amz-Target", "DynamoDB_20120810.GetItem"),
                    ("Content-Type", "application/x-amz-json-1.0")],
           body=b'{"TableName":"t","Key":{"pk":{"S":"a b"}}}', token=SESSION_TOKEN),
    vector("lambda-invoke-arn-path", service("lambda"), "POST",
           f"{ENDPOINT}/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations",
           headers=[("X-Amz-Invocation-Type", "RequestResponse"), ("Content-Type", "application/json")],
           body=b'{"hello": "world"}'),
    vector("lambda-list-functions-query", service("lambda"), "GET",
           f"{ENDPOINT}/2015-03-31/functions/?MaxItems=10&Marker=a%2Fb%20c&FunctionVersion=ALL"),
    vector("lambda-get-dot-segments", service("lambda"), "GET",
           f"{ENDPOINT}/2015-03-31/functions//my%20fn/./x/../configuration"),
    vector("s3-presign-get", s3_presign(3600), "GET",
           f"{ENDPOINT}/bucket/a%20b/%C3%BC%2B%25.txt?response-content-type=text%2Fplain&versionId="),
    vector("s3-presign-put", s3_presign(900, "eu-central-1"), "PUT", f"{ENDPOINT}/bucket/upload.txt",
           headers=[("Content-Type", "text/plain")]),
    vector("s3-presign-session-token", s3_presign(60), "GET", f"{ENDPOINT}/bucket/key.txt",
           token=SESSION_TOKEN),
    vector("sts-presign-get-caller-identity", service_presign("sts", 300), "GET",
           f"{ENDPOINT}/?Action=GetCallerIdentity&Version=2011-06-15"),
    client_vector("boto3-s3-put-object", "s3", quietly(
        lambda c: c.put_object(Bucket="bucket", Key="dir/ü b+c.txt", Body=b"hello", ContentType="text/plain",
                               Metadata={"owner": "me"}))),
    client_vector("boto3-s3-list-objects-v2", "s3", quietly(
        lambda c: c.list_objects_v2(Bucket="bucket", Prefix="a b/", Delimiter="/", MaxKeys=10))),
    client_vector("boto3-s3-presigned-get-object", "s3", lambda c: c.generate_presigned_url(
        "get_object", Params={"Bucket": "bucket", "Key": "a b/ü.txt"}, ExpiresIn=120)),
    client_vector("boto3-dynamodb-put-item", "dynamodb", quietly(
        lambda c: c.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "1"}}))),
    client_vector("boto3-lambda-invoke", "lambda", quietly(
        lambda c: c.invoke(FunctionName="my-fn", Qualifier="live", Payload=b'{"x": 1}'))),
]


def swift_string(text):
    """A Swift string literal, ASCII only, so the generated file stays diff-friendly."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append("\\u{%x}" % ord(ch))
    return '"' + "".join(out) + '"'


def swift_optional(value, render):
    return "nil" if value is None else render(value)


def render(v):
    headers = ",\n".join(
        f"            (name: {swift_string(n)}, value: {swift_string(val)})" for n, val in v["headers"]
    )
    return f"""    BotocoreVector(
        name: {swift_string(v["name"])},
        service: {swift_string(v["service"])},
        region: {swift_string(v["region"])},
        method: {swift_string(v["method"])},
        rawPath: {swift_string(v["rawPath"])},
        rawQuery: {swift_string(v["rawQuery"])},
        unsignedQuery: {swift_string(v["unsignedQuery"])},
        headers: [
{headers}
        ],
        payloadHash: {swift_string(v["payloadHash"])},
        expires: {swift_optional(v["expires"], str)},
        sessionToken: {swift_optional(v["sessionToken"], swift_string)},
        canonicalRequest: {swift_string(v["canonicalRequest"])},
        signature: {swift_string(v["signature"])}
    )"""


def main():
    body = ",\n".join(render(v) for v in VECTORS)
    OUTPUT.write_text(f"""// GENERATED by scripts/make-sigv4-vectors.py from botocore {botocore.__version__}; do not edit.
// Regenerate: python3 scripts/make-sigv4-vectors.py
// Credentials: {ACCESS_KEY} / {SECRET_KEY}, signed at {TIMESTAMP}.

let botocoreAccessKeyID = {swift_string(ACCESS_KEY)}
let botocoreSecretAccessKey = {swift_string(SECRET_KEY)}
let botocoreTimestamp = {swift_string(TIMESTAMP)}

let botocoreVectors: [BotocoreVector] = [
{body},
]
""")
    print(f"wrote {len(VECTORS)} vectors to {OUTPUT}")


if __name__ == "__main__":
    main()
