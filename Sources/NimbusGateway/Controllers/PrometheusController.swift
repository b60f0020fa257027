import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics` (seed STD-014, adapted): every metric of the given registries, then this
/// process's `process_*` metrics read from `/proc/self` at scrape time, in the Prometheus text
/// exposition format. Unauthenticated, as scrape targets usually are.
public struct PrometheusController: Sendable {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let registries: [PrometheusCollectorRegistry]

    /// - Parameter registries: emitted in this order; a registry given twice is emitted once.
    public init(registries: [PrometheusCollectorRegistry]) {
        var unique: [PrometheusCollectorRegistry] = []
        for registry in registries where !unique.contains(where: { $0 === registry }) { unique.append(registry) }
        self.registries = unique
    }

    public func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: Self.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: self.exposition())))
        }
    }

    /// The whole scrape body.
    func exposition() -> [UInt8] {
        var bytes: [UInt8] = []
        for registry in registries { registry.emit(into: &bytes) }
        ProcessMetrics.current()?.emit(into: &bytes)
        return bytes
    }
}

/// The standard `process_*` metrics of Prometheus client libraries, for this process. Linux
/// only (`/proc`); elsewhere nothing is reported.
struct ProcessMetrics {
    var cpuSeconds: Double
    var residentMemoryBytes: Int
    var virtualMemoryBytes: Int
    var startTimeSeconds: Double
    var openFileDescriptors: Int?
    var maxFileDescriptors: Int?

    static func current() -> ProcessMetrics? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let fields = parseStat(stat)
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard ticks > 0 else { return nil }
        let bootTime = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)).flatMap(parseBootTime) ?? 0
        return ProcessMetrics(
            cpuSeconds: Double(fields.userTicks + fields.systemTicks) / ticks,
            residentMemoryBytes: fields.residentPages * pageSize,
            virtualMemoryBytes: fields.virtualBytes,
            startTimeSeconds: Double(bootTime) + Double(fields.startTicks) / ticks,
            openFileDescriptors: (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count,
            maxFileDescriptors: (try? String(contentsOfFile: "/proc/self/limits", encoding: .utf8)).flatMap(parseMaxOpenFiles))
        #else
        return nil
        #endif
    }

    struct StatFields: Equatable {
        var userTicks: Int
        var systemTicks: Int
        var startTicks: Int
        var virtualBytes: Int
        var residentPages: Int
    }

    /// `/proc/[pid]/stat`: fields after the command name, which is in parentheses and may itself
    /// contain spaces and parentheses, so parsing starts after the last `)`.
    static func parseStat(_ text: String) -> StatFields? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // Field 3 (state) is index 0 here; utime is field 14, stime 15, starttime 22, vsize 23, rss 24.
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 21,
            let user = Int(fields[11]), let system = Int(fields[12]), let start = Int(fields[19]),
            let virtual = Int(fields[20]), let resident = Int(fields[21])
        else { return nil }
        return StatFields(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: resident)
    }

    /// `btime` of `/proc/stat`: boot time in seconds since the epoch.
    static func parseBootTime(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The soft limit on the `Max open files` line of `/proc/[pid]/limits`; nil when unlimited.
    static func parseMaxOpenFiles(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            let values = line.dropFirst("Max open files".count).split(separator: " ", omittingEmptySubsequences: true)
            return values.first.flatMap { Int($0) }
        }
        return nil
    }

    func emit(into bytes: inout [UInt8]) {
        func sample(_ name: String, _ type: String, _ help: String, _ value: String) {
            bytes.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n".utf8)
        }
        sample("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", "\(cpuSeconds)")
        if let openFileDescriptors {
            sample("process_open_fds", "gauge", "Number of open file descriptors.", "\(openFileDescriptors)")
        }
        if let maxFileDescriptors {
            sample("process_max_fds", "gauge", "Maximum number of open file descriptors.", "\(maxFileDescriptors)")
        }
        sample("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", "\(virtualMemoryBytes)")
        sample("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", "\(residentMemoryBytes)")
        sample(
            "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            "\(startTimeSeconds)")
    }
}
