// TEMPORARY (not to be committed): serves DynamoService over plain HTTP for boto3 runs.
import Foundation
import Logging
import Testing

@testable import NimbusDynamo

#if canImport(Glibc)
import Glibc
#endif

private final class Box<T>: @unchecked Sendable { var value: T?; init() {} }

@Test(.enabled(if: ProcessInfo.processInfo.environment["NIMBUS_DYNAMO_SERVE_PORT"] != nil))
func temporaryServeForBoto3() throws {
    let port = UInt16(ProcessInfo.processInfo.environment["NIMBUS_DYNAMO_SERVE_PORT"]!)!
    let dir = ProcessInfo.processInfo.environment["NIMBUS_DYNAMO_DIR"] ?? "/tmp/nimbus-dynamo-serve"
    let service = try DynamoService(directory: dir, logger: Logger(label: "serve"))
    let ttl = TimeToLiveService(dynamo: service, interval: .milliseconds(500), logger: Logger(label: "ttl"))
    Thread.detachNewThread {
        let s = DispatchSemaphore(value: 0)
        Task { try? await ttl.run(); s.signal() }
        s.wait()
    }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    precondition(bound == 0, "bind failed")
    listen(fd, 64)
    print("SERVING on \(port)")
    while true {
        let client = accept(fd, nil, nil)
        if client < 0 { continue }
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        Thread.detachNewThread { serve(client, service) }
    }
}

private func serve(_ client: Int32, _ service: DynamoService) {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    defer { close(client) }
    while true {
        // Read headers.
        var headerEnd: Int?
        while headerEnd == nil {
            if let r = buffer.firstRange(of: [13, 10, 13, 10]) { headerEnd = r.upperBound; break }
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var length = 0
        var target = ""
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0].lowercased() == "content-length" { length = Int(parts[1]) ?? 0 }
            if parts[0].lowercased() == "x-amz-target" { target = parts[1] }
        }
        while buffer.count < headerEnd! + length {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let body = Array(buffer[headerEnd!..<(headerEnd! + length)])
        buffer.removeFirst(headerEnd! + length)
        let box = Box<DynamoResponse>()
        let s = DispatchSemaphore(value: 0)
        Task { box.value = await service.handle(target: target, body: body); s.signal() }
        s.wait()
        let response = box.value!
        var out = "HTTP/1.1 \(response.status) \(response.status == 200 ? "OK" : "Bad Request")\r\n"
        for (k, v) in response.headers { out += "\(k): \(v)\r\n" }
        out += "Content-Length: \(response.body.count)\r\n\r\n"
        let bytes = Array(out.utf8) + response.body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["NIMBUS_DYNAMO_PERF"] != nil))
func temporaryPerf() async throws {
    let dir = "/tmp/nimbus-dynamo-perf-\(UUID().uuidString)"
    let service = try DynamoService(directory: dir, logger: Logger(label: "perf"))
    _ = await service.handle(target: "DynamoDB_20120810.CreateTable", body: Array(#"{"TableName":"bench","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#.utf8))
    func body(_ i: Int) -> [UInt8] { Array(#"{"TableName":"bench","Item":{"pk":{"S":"key-\#(i)"},"name":{"S":"\#(String(repeating: "x", count: 100))"},"n":{"N":"\#(i)"},"tags":{"SS":["a","b"]}}}"#.utf8) }
    func key(_ i: Int) -> [UInt8] { Array(#"{"TableName":"bench","Key":{"pk":{"S":"key-\#(i)"}}}"#.utf8) }
    for (op, make) in [("PutItem", body), ("GetItem", key)] {
        var times: [Double] = []
        for i in 0..<3000 {
            let b = make(i)
            let start = ContinuousClock.now
            let r = await service.handle(target: "DynamoDB_20120810.\(op)", body: b)
            times.append(Double((ContinuousClock.now - start).components.attoseconds) / 1e15)
            precondition(r.status == 200)
        }
        times.sort()
        print("PERF \(op) p50=\(times[times.count / 2])ms p99=\(times[times.count * 99 / 100])ms")
    }
    service.close()
    try? FileManager.default.removeItem(atPath: dir)
}
