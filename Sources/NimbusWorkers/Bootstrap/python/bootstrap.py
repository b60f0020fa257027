"""Nimbus's Python runtime: the Lambda Runtime API loop, standard library only.

It follows AWS's contract: import the handler once (init), then GET next / POST response|error
for every invocation, with a context object carrying AWS's attributes.
"""
import importlib
import json
import logging
import os
import socket
import sys
import time

BASE = "/2018-06-01/runtime"


def die_with_parent():
    # A worker must never outlive Nimbus, even when Nimbus is killed with SIGKILL.
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
        if os.getppid() == 1:
            os._exit(1)
    except Exception:
        pass


class RuntimeClient:
    """A minimal keep-alive HTTP/1.1 client for the Runtime API: http.client costs ~20 ms to
    import and far more per request than these few lines."""

    def __init__(self, address):
        host, _, port = address.partition(":")
        self.address = (host, int(port or 80))
        self.host_header = address
        self.sock = None
        self.buffer = b""

    def message(self, method, path, body=b"", headers=None):
        extra = "".join("%s: %s\r\n" % item for item in (headers or {}).items())
        return ("%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n"
                % (method, path, self.host_header, len(body), extra)).encode("latin-1") + body

    def exchange(self, *messages):
        """Sends the requests back to back (HTTP/1.1 pipelining: one write, one wake-up of the
        server) and returns their responses in order."""
        for attempt in (0, 1):
            try:
                if self.sock is None:
                    self.sock = self.connect()
                    self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.buffer = b""
                self.sock.sendall(b"".join(messages))
                return [self.read_response() for _ in messages]
            except OSError:
                self.close()
                if attempt == 1:
                    raise

    def connect(self):
        # A numeric address needs no resolver: create_connection's getaddrinfo imports the idna
        # codec (and unicodedata), ~5 ms of every cold start.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
            return sock
        except OSError:
            sock.close()
            return socket.create_connection(self.address)

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def receive(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("runtime API closed the connection")
        self.buffer += data

    def read_response(self):
        while b"\r\n\r\n" not in self.buffer:
            self.receive()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self.read_chunked()
        else:
            length = int(headers.get("content-length", "0"))
            while len(self.buffer) < length:
                self.receive()
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def read_chunked(self):
        body = b""
        while True:
            while b"\r\n" not in self.buffer:
                self.receive()
            size_line, _, self.buffer = self.buffer.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                self.receive()
            body += self.buffer[:size]
            self.buffer = self.buffer[size + 2:]
            if size == 0:
                return body

    def next(self, answer=None):
        """GET the next invocation. `answer` (path, payload, error type), the previous
        invocation's result, is posted in the same write."""
        messages = [self.answer_message(*answer)] if answer else []
        messages.append(self.message("GET", BASE + "/invocation/next"))
        status, headers, body = self.exchange(*messages)[-1]
        if status != 200:
            raise SystemExit("runtime API refused next: %d" % status)
        return headers, body

    def post(self, path, payload, error_type=None):
        self.exchange(self.answer_message(path, payload, error_type))

    def answer_message(self, path, payload, error_type):
        headers = {"Content-Type": "application/json"}
        if error_type:
            headers["Lambda-Runtime-Function-Error-Type"] = error_type
        return self.message("POST", BASE + path, payload, headers)


def error_payload(exc, error_type=None):
    import traceback
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__))[1:],
    }


def json_default(value):
    import datetime
    import decimal
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class ClientContext:
    def __init__(self, data):
        self.client = data.get("client")
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    # Read from the environment when the runtime starts (`configure`), not at import: a zygote
    # imports this module once and forks workers that each have their own environment.
    function_name = function_version = memory_limit_in_mb = log_group_name = log_stream_name = None

    @classmethod
    def configure(cls):
        cls.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        cls.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        cls.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        cls.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        cls.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")

    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        identity = headers.get("lambda-runtime-cognito-identity")
        context = headers.get("lambda-runtime-client-context")
        self.identity = CognitoIdentity(json.loads(identity)) if identity else None
        self.client_context = ClientContext(json.loads(context)) if context else None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, message):
        sys.stdout.write(str(message))
        sys.stdout.flush()


class RequestIdFilter(logging.Filter):
    request_id = None

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def install_logging():
    # The same line format AWS's python runtime uses for the root logger.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
        "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    if level:
        root.setLevel(level.upper())


def load_handler(spec):
    module_path, _, function_name = spec.rpartition(".")
    if not module_path:
        return None, ("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % spec)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        return None, ("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, exc))
    except ImportError as exc:
        return None, ("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc))
    except Exception as exc:
        return None, ("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc))
    handler = getattr(module, function_name, None)
    if handler is None:
        return None, ("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return handler, None


def main(forked=False):
    """Runs the runtime loop. `forked`: started by the zygote, which already set the parent-death
    signal and the per-worker environment."""
    if not forked:
        die_with_parent()
    LambdaContext.configure()
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    install_logging()
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    started = time.perf_counter()
    handler, failure = load_handler(os.environ["_HANDLER"])
    if os.environ.get("NIMBUS_ZYGOTE_TRACE"):
        print("bootstrap: handler imported in %.2f ms" % ((time.perf_counter() - started) * 1000), flush=True)
    if failure:
        error_type, message = failure
        print("[ERROR] %s: %s" % (error_type, message), flush=True)
        payload = {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}
        client.post("/init/error", json.dumps(payload).encode(), error_type)
        sys.exit(1)

    answer = None
    while True:
        headers, body = client.next(answer)
        request_id = headers.get("lambda-runtime-aws-request-id")
        RequestIdFilter.request_id = request_id
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else {}
            result = handler(event, LambdaContext(headers))
            payload = json.dumps(result, default=json_default).encode()
        except Exception as exc:
            error = error_payload(exc)
            error["requestId"] = request_id
            print("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (
                error["errorType"], error["errorMessage"], "".join(error["stackTrace"])), end="", flush=True)
            answer = ("/invocation/%s/error" % request_id, json.dumps(error).encode(), "Unhandled")
            continue
        answer = ("/invocation/%s/response" % request_id, payload, None)


if __name__ == "__main__":
    main()
