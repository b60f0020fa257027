"""`GET /metrics` (seed STD-014, adapted): Nimbus's Prometheus metrics in the text format.

The seed's agent was written in Go and its scenario looks for `go_goroutines` and
`grpc_server_handled_total`; Nimbus has neither a Go runtime nor gRPC, so this checks the same
guarantee (a scrapeable endpoint exposing the main metrics) with Nimbus's own names."""
import re

import pytest
import requests

SAMPLE = re.compile(
    r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)'
    r'(?:\{(?P<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})?'
    r' (?P<value>[-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(gateway):
    """(reply, [(name, labels, value)]); every non-comment line must be a sample."""
    reply = requests.get(gateway + "/metrics")
    samples = []
    for line in reply.text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        labels = dict(LABEL.findall(match["labels"] or ""))
        samples.append((match["name"], labels, float(match["value"])))
    return reply, samples


def value(samples, name, **labels):
    found = [v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in labels.items())]
    return found[0] if found else None


def echo(gateway, token, message):
    reply = requests.post(gateway + "/api/echo", json={"message": message}, headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    return reply


def test_std014_metrics_endpoint_is_prometheus_text(gateway):
    reply, samples = scrape(gateway)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert "version=0.0.4" in reply.headers["Content-Type"]
    assert samples
    assert "# TYPE nimbus_invocations_total counter" in reply.text


def test_metrics_needs_no_token_but_pool_metrics_do(gateway, token):
    assert requests.get(gateway + "/metrics").status_code == 200
    assert requests.get(gateway + "/metrics/pools").status_code == 401
    pools = requests.get(gateway + "/metrics/pools", headers={"Authorization": f"Bearer {token}"})
    assert pools.status_code == 200 and pools.json()["pools"]


def test_echo_call_counts_in_nimbus_invocations_total(gateway, token):
    echo(gateway, token, "prometheus-warm")
    _, before = scrape(gateway)
    echo(gateway, token, "prometheus-1")
    _, after = scrape(gateway)
    labels = {"function": "lambda-echo", "outcome": "success"}
    assert value(after, "nimbus_invocations_total", **labels) >= value(before, "nimbus_invocations_total", **labels) + 1
    assert any(n == "nimbus_invocations_total" and l.get("function") == "lambda-echo" for n, l, _ in after)


def test_histograms_have_cumulative_buckets(gateway, token):
    echo(gateway, token, "prometheus-histogram")
    reply, samples = scrape(gateway)
    assert "# TYPE nimbus_invocation_duration_seconds histogram" in reply.text
    buckets = [(l["le"], v) for n, l, v in samples
               if n == "nimbus_invocation_duration_seconds_bucket" and l.get("function") == "lambda-echo"]
    assert len(buckets) > 5 and buckets[-1][0] == "+Inf"
    counts = [v for _, v in buckets]
    assert counts == sorted(counts) and counts[-1] >= 1
    assert value(samples, "nimbus_invocation_duration_seconds_count", function="lambda-echo") == counts[-1]
    assert value(samples, "nimbus_invocation_duration_seconds_sum", function="lambda-echo") > 0
    for name in ("nimbus_queue_wait_seconds_bucket", "nimbus_cold_start_duration_seconds_bucket"):
        assert value(samples, name, function="lambda-echo", le="+Inf") >= 1, name
    assert value(samples, "nimbus_cold_starts_total", function="lambda-echo") >= 1


def test_pool_gauges(gateway, token):
    echo(gateway, token, "prometheus-gauges")
    _, samples = scrape(gateway)
    states = {s: value(samples, "nimbus_workers", function="lambda-echo", state=s) for s in ("idle", "busy", "provisioning")}
    assert None not in states.values() and sum(states.values()) >= 1
    assert value(samples, "nimbus_circuit_breaker_open", function="lambda-echo") == 0


def test_process_metrics(gateway):
    _, samples = scrape(gateway)
    for name in ("process_resident_memory_bytes", "process_virtual_memory_bytes", "process_open_fds",
                 "process_start_time_seconds", "process_cpu_seconds_total"):
        assert value(samples, name) is not None, name
    assert value(samples, "process_resident_memory_bytes") > 1_000_000
    assert value(samples, "process_open_fds") > 0
    assert value(samples, "process_cpu_seconds_total") > 0


def test_http_server_metrics(gateway, token):
    requests.get(gateway + "/health")
    echo(gateway, token, "route label")
    requests.get(gateway + "/api/items/42", headers={"Authorization": f"Bearer {token}"})
    scrape(gateway)
    _, samples = scrape(gateway)
    def served(route):
        return sum(v for n, l, v in samples if n == "hb_requests" and l.get("http_route") == route)
    assert served("/health") >= 1
    # Template routes are labelled with their template path, parameters unexpanded.
    assert served("/api/echo") >= 1
    assert served("/api/items/{id}") >= 1
    assert not any(l.get("http_route") == "/api/items/42" for _, l, _ in samples)
    assert any(n == "http_server_request_duration_bucket" for n, _, _ in samples)


def test_official_client_parses_the_exposition(gateway, token):
    """The official Python client's parser (prometheus_client), when installed."""
    parser = pytest.importorskip("prometheus_client.parser")
    echo(gateway, token, "prometheus-parser")
    families = {f.name: f for f in parser.text_string_to_metric_families(requests.get(gateway + "/metrics").text)}
    # The parser names counter families without `_total`.
    invocations = families["nimbus_invocations"]
    assert invocations.type == "counter"
    assert any(s.labels == {"function": "lambda-echo", "outcome": "success"} and s.value >= 1 for s in invocations.samples)
    assert families["nimbus_invocation_duration_seconds"].type == "histogram"
    assert families["process_resident_memory_bytes"].type == "gauge"
