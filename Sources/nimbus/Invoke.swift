import ArgumentParser
import Crypto
import Foundation
import NimbusSigV4

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct Invoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Invoke a function of a running stack through its Invoke API.")

    @Argument(help: "Function name or ARN.")
    var name: String

    @Option(help: "Event JSON, or @file to read it from a file.")
    var payload: String = "{}"

    @Option(help: "The stack's AWS endpoint (else $AWS_ENDPOINT_URL, else http://127.0.0.1:4566).")
    var endpoint: String?

    @Flag(help: "Run asynchronously (InvocationType Event).")
    var async = false

    @Flag(help: "Print the invocation's log tail to standard error.")
    var tail = false

    func run() async throws {
        let body: Data
        if payload.hasPrefix("@") {
            body = try Data(contentsOf: URL(fileURLWithPath: String(payload.dropFirst())))
        } else {
            body = Data(payload.utf8)
        }
        let base = endpoint ?? ProcessInfo.processInfo.environment["AWS_ENDPOINT_URL"] ?? "http://127.0.0.1:4566"
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
        guard let url = URL(string: "\(base)/2015-03-31/functions/\(encoded)/invocations") else {
            throw ValidationError("invalid endpoint \(base)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(async ? "Event" : "RequestResponse", forHTTPHeaderField: "X-Amz-Invocation-Type")
        if tail { request.setValue("Tail", forHTTPHeaderField: "X-Amz-Log-Type") }
        sign(&request, body: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        if tail, let log = http.value(forHTTPHeaderField: "X-Amz-Log-Result"), let text = Data(base64Encoded: log) {
            FileHandle.standardError.write(text)
        }
        print(String(decoding: data, as: UTF8.self))
        if http.statusCode >= 300 || http.value(forHTTPHeaderField: "X-Amz-Function-Error") != nil {
            throw ExitCode(1)
        }
    }

    /// Signs like the AWS SDKs do, with $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY (default
    /// test/test, the stack's default), so stacks with `--strict-signatures` accept the call.
    private func sign(_ request: inout URLRequest, body: Data) {
        let environment = ProcessInfo.processInfo.environment
        let credentials = SigV4Credentials(
            accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "test",
            secretAccessKey: environment["AWS_SECRET_ACCESS_KEY"] ?? "test")
        guard let url = request.url, let host = url.host else { return }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        var headers: [(name: String, value: String)] = [("host", authority)]
        for (name, value) in request.allHTTPHeaderFields ?? [:] { headers.append((name, value)) }
        let unsigned = SigV4Request(method: "POST", rawPath: url.path(percentEncoded: true), rawQuery: url.query(percentEncoded: true) ?? "", headers: headers)
        let payloadHash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let signed = SigV4Signer.sign(
            unsigned, payloadHash: payloadHash, credentials: credentials,
            region: environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1", service: "lambda", date: Date())
        for (name, value) in signed.headers where name.lowercased() != "host" {
            request.setValue(value, forHTTPHeaderField: name)
        }
    }
}
