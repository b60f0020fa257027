import Foundation
import Logging
import NimbusPlatform
import NimbusTemplate
import Testing

/// `GET /metrics` (seed STD-014, adapted to Nimbus's own metrics): the Prometheus text format,
/// the pools' counters, histograms and gauges, HTTP and process metrics.
@Suite struct PrometheusMetricsTests {
    @Test("STD-014: GET /metrics answers 200 text/plain without a token, and every line parses")
    func exposition() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.request(.get, "/metrics")
        #expect(reply.status == .ok)
        #expect(reply.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(reply.header("Content-Type")?.contains("version=0.0.4") == true)
        let metrics = try PrometheusText(parsing: reply.text)
        #expect(!metrics.samples.isEmpty)
        for name in [
            "process_resident_memory_bytes", "process_virtual_memory_bytes", "process_cpu_seconds_total",
            "process_open_fds", "process_start_time_seconds",
        ] {
            #expect(metrics.value(name) != nil, "\(name)")
        }
        #expect((metrics.value("process_resident_memory_bytes") ?? 0) > 0)
        #expect((metrics.value("process_open_fds") ?? 0) > 0)
        let startTime = metrics.value("process_start_time_seconds") ?? 0
        #expect(startTime > Date().timeIntervalSince1970 - 86_400 * 365 && startTime <= Date().timeIntervalSince1970 + 1)
        #expect(metrics.type(of: "process_cpu_seconds_total") == "counter")
        // Every function has its gauges from the start, before it ever ran.
        for state in ["idle", "busy", "provisioning"] {
            #expect(metrics.value("nimbus_workers", ["function": "lambda-scaling", "state": state]) != nil, "\(state)")
        }
        #expect(metrics.value("nimbus_circuit_breaker_open", ["function": "lambda-echo"]) != nil)
        #expect(metrics.value("nimbus_invocations_total", ["function": "lambda-echo", "outcome": "throttled"]) != nil)
    }

    @Test("An invocation increments nimbus_invocations_total and its histograms for that function")
    func invocationCounted() async throws {
        let stack = try await LiveStack.shared.value
        let labels = ["function": "lambda-echo", "outcome": "success"]
        let before = try await stack.scrapeMetrics()
        let reply = try await stack.invoke("lambda-echo", payload: ["body": #"{"message":"prometheus"}"#])
        #expect(reply.status == .ok)
        #expect(reply.header("X-Amz-Function-Error") == nil)
        let after = try await stack.scrapeMetrics()
        let counted = (after.value("nimbus_invocations_total", labels) ?? 0) - (before.value("nimbus_invocations_total", labels) ?? 0)
        // Other tests share the stack and may call it too.
        #expect(counted >= 1)

        let echo = ["function": "lambda-echo"]
        #expect(after.type(of: "nimbus_invocations_total") == "counter")
        #expect(after.type(of: "nimbus_invocation_duration_seconds") == "histogram")
        let buckets = after.samples.filter { $0.name == "nimbus_invocation_duration_seconds_bucket" && $0.labels["function"] == "lambda-echo" }
        #expect(buckets.count > 5)
        let infinite = try #require(buckets.first { $0.labels["le"] == "+Inf" })
        #expect(infinite.value >= 1)
        #expect(after.value("nimbus_invocation_duration_seconds_count", echo) == infinite.value)
        // Cumulative buckets never decrease.
        let counts = buckets.map(\.value)
        #expect(counts == counts.sorted())
        #expect((after.value("nimbus_queue_wait_seconds_count", echo) ?? 0) >= 1)
        #expect((after.value("nimbus_cold_starts_total", echo) ?? 0) >= 1)
        #expect((after.value("nimbus_cold_start_duration_seconds_count", echo) ?? 0) >= 1)
        let workers = ["idle", "busy", "provisioning"].compactMap { after.value("nimbus_workers", ["function": "lambda-echo", "state": $0]) }
        #expect(workers.count == 3 && workers.reduce(0, +) >= 1)
    }

    @Test("HTTP server metrics from Hummingbird's MetricsMiddleware")
    func httpMetrics() async throws {
        let stack = try await LiveStack.shared.value
        _ = try await stack.request(.get, "/health")
        _ = try await stack.scrapeMetrics()
        let metrics = try await stack.scrapeMetrics()
        let requests = metrics.samples.filter { $0.name == "hb_requests" }
        #expect(!requests.isEmpty)
        #expect(requests.contains { $0.labels["http_route"] == "/health" && $0.labels["http_response_status_code"] == "200" })
        #expect(metrics.samples.contains { $0.name == "http_server_request_duration_bucket" })
    }

    @Test("/metrics/pools and /metrics/containers are unchanged beside /metrics")
    func jsonMetricsStillServed() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        for path in ["/metrics/pools", "/metrics/containers"] {
            #expect(try await stack.request(.get, path).status == .unauthorized, "\(path)")
            let reply = try await stack.request(.get, path, headers: ["Authorization": "Bearer \(token)"])
            #expect(reply.status == .ok, "\(path)")
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true, "\(path)")
        }
    }

    @Test("A second stack in the process: no second bootstrap, and pool series of its own")
    func isolatedStack() async throws {
        let shared = try await LiveStack.shared.value
        let sharedOpen = ["function": "lambda-broken-import", "outcome": "circuit_open"]
        let sharedBefore = try await shared.scrapeMetrics().value("nimbus_invocations_total", sharedOpen)
        try await LiveStack.withIsolatedStack { stack in
            let initial = try await stack.scrapeMetrics()
            #expect(initial.value("nimbus_invocations_total", ["function": "lambda-echo", "outcome": "success"]) == 0)

            #expect(try await stack.invoke("lambda-echo", payload: ["body": "{}"]).status == .ok)
            let failed = try await stack.invoke("lambda-faulty", payload: ["action": "error"])
            #expect(failed.header("X-Amz-Function-Error") == "Unhandled")
            // Threshold 1: the init failure opens the circuit, the next call is refused.
            let broken = try await stack.invoke("lambda-broken-import", payload: [String: String]())
            #expect(broken.header("X-Amz-Function-Error") == "Unhandled")
            _ = try await stack.invoke("lambda-broken-import", payload: [String: String]())

            let metrics = try await stack.scrapeMetrics()
            func invocations(_ function: String, _ outcome: String) -> Double? {
                metrics.value("nimbus_invocations_total", ["function": function, "outcome": outcome])
            }
            #expect(invocations("lambda-echo", "success") == 1)
            #expect(invocations("lambda-faulty", "function_error") == 1)
            #expect(invocations("lambda-broken-import", "init_error") == 1)
            #expect(invocations("lambda-broken-import", "circuit_open") == 1)
            #expect(metrics.value("nimbus_circuit_breaker_open", ["function": "lambda-broken-import"]) == 1)
            #expect(metrics.value("nimbus_circuit_breaker_open", ["function": "lambda-echo"]) == 0)
            #expect(metrics.value("nimbus_cold_starts_total", ["function": "lambda-echo"]) == 1)
            #expect(metrics.value("nimbus_worker_start_failures_total", ["function": "lambda-broken-import"]) == 1)
            #expect(metrics.value("nimbus_workers", ["function": "lambda-echo", "state": "idle"]) == 1)
            #expect(metrics.value("nimbus_workers", ["function": "lambda-echo", "state": "busy"]) == 0)
        }
        // The shared stack's series are untouched by the other stack's calls.
        let sharedAfter = try await shared.scrapeMetrics().value("nimbus_invocations_total", sharedOpen)
        #expect(sharedAfter == sharedBefore)
    }

    @Test("The parser used here rejects what is not the text format", arguments: [
        "metric{label=\"x\" 1", "metric 1 2 3", "metric{label=x} 1", "0metric 1", "metric one",
    ])
    func parserRejects(line: String) {
        #expect(throws: PrometheusText.ParseError.self) { try PrometheusText(parsing: line) }
    }
}

// MARK: - Support

extension LiveStack {
    /// `GET /metrics`, parsed.
    func scrapeMetrics() async throws -> PrometheusText {
        let reply = try await request(.get, "/metrics")
        guard reply.status == .ok else { throw PrometheusText.ParseError(line: "HTTP \(reply.status.code)") }
        return try PrometheusText(parsing: reply.text)
    }

    /// A stack of its own for the duration of `body`, on free ports, then cancelled (which
    /// drains and stops its workers).
    static func withIsolatedStack(_ body: (LiveStack) async throws -> Void) async throws {
        let stack = try TemplateLoader().load(fileAt: "\(repositoryRoot)/tests/fixtures/stack/template.yaml")
        var configuration = PlatformConfiguration()
        configuration.gatewayPort = 0
        configuration.awsPort = 0
        configuration.dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nimbus-test-\(UUID().uuidString)").path
        configuration.gateway.apiKey = apiKey
        configuration.gateway.username = username
        configuration.gateway.password = password
        configuration.echoWorkerOutput = false
        configuration.workers.defaultPool.acquireTimeout = .seconds(5)
        configuration.workers.breaker.failureThreshold = 1
        configuration.workers.breaker.recoveryWindow = .seconds(60)
        configuration.workers.drainTimeout = .milliseconds(500)
        var logger = Logger(label: "nimbus-test-isolated")
        // Cancellation is its shutdown; the servers log that as errors.
        logger.logLevel = .critical
        let platform = try Platform(stack: stack, configuration: configuration, logger: logger)
        defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await platform.run(handleSignals: false) }
            let ports = await platform.waitUntilListening()
            try await body(LiveStack(platform: platform, gatewayPort: ports.gateway, awsPort: ports.aws))
            group.cancelAll()
        }
    }
}

/// The Prometheus text exposition format (0.0.4), strictly: `# HELP` / `# TYPE` comments and
/// `name{label="value",…} value` samples.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var description: String { "not a Prometheus sample line: \(line)" }
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(parsing text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3)
                if parts.count == 4, parts[1] == "TYPE" { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            samples.append(try Self.sample(Substring(line)))
        }
    }

    /// The value of the one sample with this name whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    func type(of family: String) -> String? { types[family] }

    private static func sample(_ line: Substring) throws -> Sample {
        let error = ParseError(line: String(line))
        var rest = line[...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard let first = name.first, first.isLetter || first == "_" || first == ":" else { throw error }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                guard !key.isEmpty else { throw error }
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { throw error }
                rest = rest.dropFirst(2)
                var value = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character == "n" ? "\n" : character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
                labels[String(key)] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw error }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw error }
        let fields = rest.split(separator: " ")
        // A value, optionally a timestamp.
        guard (1...2).contains(fields.count), let value = Self.number(fields[0]) else { throw error }
        if fields.count == 2, Int(fields[1]) == nil { throw error }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}
