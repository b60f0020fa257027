import Foundation
import Testing

/// Function failures as AWS reports them, through the gateway and the Invoke API.
@Suite struct WorkerFaultTests {
    @Test("A raised exception → 502 with the error type; the worker stays warm")
    func handledError() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        let reply = try await stack.post("/api/faulty", json: ["action": "error"], token: token)
        #expect(reply.status == .badGateway)
        #expect(reply.json["errorType"] as? String == "ValueError")
        let hello = try await stack.post("/api/faulty", json: ["action": "hello"], token: token)
        #expect(hello.status == .ok)
    }

    @Test("Invoke API: function errors are 200 with X-Amz-Function-Error: Unhandled")
    func invokeFunctionError() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.invoke("lambda-faulty", payload: ["action": "error"])
        #expect(reply.status == .ok)
        #expect(reply.header("X-Amz-Function-Error") == "Unhandled")
        #expect(reply.json["errorType"] as? String == "ValueError")
        #expect(reply.json["errorMessage"] as? String == "requested failure")
    }

    @Test("A handler that outlives its Timeout ends with Sandbox.Timedout; the next call gets a fresh worker")
    func timeout() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.invoke("lambda-faulty", payload: ["action": "sleep", "seconds": 30])
        #expect(reply.header("X-Amz-Function-Error") == "Unhandled")
        #expect(reply.json["errorType"] as? String == "Sandbox.Timedout")
        #expect((reply.json["errorMessage"] as? String ?? "").contains("Task timed out after 1.00 seconds"))
        let after = try await stack.invoke("lambda-faulty", payload: ["action": "hello"])
        #expect(after.header("X-Amz-Function-Error") == nil)
    }

    @Test("A worker that exits mid-invocation → Runtime.ExitError")
    func exitError() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.invoke("lambda-faulty", payload: ["action": "crash"])
        #expect(reply.json["errorType"] as? String == "Runtime.ExitError")
        #expect((reply.json["errorMessage"] as? String ?? "").contains("exit status 3"))
    }

    @Test("Init failures carry the runtime's own error", arguments: [
        ("lambda-broken-import", "Runtime.ImportModuleError", "Unable to import module 'missing_module'"),
        ("lambda-missing-handler", "Runtime.HandlerNotFound", "Handler 'does_not_exist' missing on module 'app'"),
    ])
    func initErrors(function: String, type: String, message: String) async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.invoke(function, payload: [String: String]())
        #expect(reply.status == .ok)
        #expect(reply.header("X-Amz-Function-Error") == "Unhandled")
        #expect(reply.json["errorType"] as? String == type)
        #expect((reply.json["errorMessage"] as? String ?? "").contains(message))
    }

    @Test("The context object and environment are AWS's")
    func context() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.invoke(
            "lambda-faulty", payload: ["action": "context"],
            headers: ["X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"])
        let context = reply.json
        #expect(context["function_name"] as? String == "lambda-faulty")
        #expect(context["memory_limit_in_mb"] as? String == "128")
        #expect(context["invoked_function_arn"] as? String == "arn:aws:lambda:us-east-1:000000000000:function:lambda-faulty")
        #expect(context["log_group_name"] as? String == "/aws/lambda/lambda-faulty")
        #expect((context["aws_request_id"] as? String)?.count == 36)
        #expect(reply.header("x-amzn-RequestId") == context["aws_request_id"] as? String)
        let remaining = context["remaining_ms"] as? Int ?? 0
        #expect(remaining > 0 && remaining <= 1000)
        #expect((context["trace_id"] as? String ?? "").hasPrefix("Root=1-5759e988-bd862e3fe1be46a994272793"))
        #expect(context["endpoint"] as? String == "http://127.0.0.1:\(stack.awsPort)")
    }

    @Test("Invoke API: Tail returns the invocation's log lines")
    func tail() async throws {
        let stack = try await LiveStack.shared.value
        let reply = try await stack.invoke("lambda-faulty", payload: ["action": "print", "text": "tail-marker-7"], headers: ["X-Amz-Log-Type": "Tail"])
        let log = String(decoding: Data(base64Encoded: reply.header("X-Amz-Log-Result") ?? "") ?? Data(), as: UTF8.self)
        #expect(log.contains("tail-marker-7"))
        #expect(log.contains("REPORT RequestId:"))
    }

    @Test("Invoke API: unknown function → 404 ResourceNotFoundException; DryRun → 204; Event → 202")
    func invokeTypes() async throws {
        let stack = try await LiveStack.shared.value
        let missing = try await stack.invoke("no-such-function", payload: [String: String]())
        #expect(missing.status == .notFound)
        #expect(missing.header("x-amzn-ErrorType") == "ResourceNotFoundException")
        let dry = try await stack.invoke("lambda-faulty", payload: [String: String](), headers: ["X-Amz-Invocation-Type": "DryRun"])
        #expect(dry.status == .noContent)
        let event = try await stack.invoke("lambda-faulty", payload: ["action": "hello"], headers: ["X-Amz-Invocation-Type": "Event"])
        #expect(event.status == .accepted)
    }

    /// Other tests crash and time out this function's workers concurrently, so a run of three
    /// calls may straddle a replacement: up to five runs, one of which must be served by one
    /// worker process throughout. Without reuse every call would meet a new process.
    @Test("A warm worker is reused for consecutive invocations (STD-017)")
    func reuse() async throws {
        let stack = try await LiveStack.shared.value
        let token = try await stack.token()
        typealias Reply = (worker: String, served: Int)
        func servedByOneWorker(_ run: [Reply]) -> Bool {
            Set(run.map(\.worker)).count == 1 && !run[0].worker.isEmpty && zip(run, run.dropFirst()).allSatisfy { $0.served < $1.served }
        }
        var runs: [[Reply]] = []
        while runs.count < 5, !runs.contains(where: servedByOneWorker) {
            var run: [Reply] = []
            for _ in 0..<3 {
                let reply = try await stack.post("/api/faulty", json: ["action": "whoami"], token: token)
                #expect(reply.status == .ok)
                run.append((reply.json["worker"] as? String ?? "", reply.json["served"] as? Int ?? 0))
            }
            runs.append(run)
        }
        #expect(runs.contains(where: servedByOneWorker), "no run of three calls was served by one worker: \(runs)")
        let statuses = await stack.platform.pools.statuses()
        let faulty = try #require(statuses.first { $0.function.rawValue == "lambda-faulty" })
        #expect(faulty.snapshot.totalWorkers <= faulty.configuration.maxCapacity)
    }
}
