import Foundation

/// Lambda extracts every layer into one `/opt`, later layers overwriting earlier ones. Bind
/// mounts cannot merge folders, so this computes the fewest read-only binds that show the same
/// merged tree: a folder only one layer has is bound whole; a folder several have is merged
/// entry by entry; for a file (or a folder shadowed by a later file) the last layer wins.
enum LayerMounts {
    struct Bind: Sendable, Equatable {
        var source: String
        var destination: String
    }

    /// What a folder holds: entry name → is a folder. Nil when it cannot be read.
    typealias Lister = (String) -> [String: Bool]?

    static func binds(layers: [String], at destination: String = "/opt", list: Lister = Self.listDirectory) -> [Bind] {
        merge(layers, at: destination, list: list)
    }

    private static func merge(_ sources: [String], at destination: String, list: Lister) -> [Bind] {
        if sources.isEmpty { return [] }
        if sources.count == 1 { return [Bind(source: sources[0], destination: destination)] }
        let listings = sources.map { list($0) ?? [:] }
        var names: [String] = []
        for listing in listings { for name in listing.keys.sorted() where !names.contains(name) { names.append(name) } }
        var binds: [Bind] = []
        for name in names {
            // What survives extraction in order: a file replaces everything before it, a folder
            // replaces a file and merges with folders.
            var holders: [(source: String, isDirectory: Bool)] = []
            for (source, listing) in zip(sources, listings) {
                guard let isDirectory = listing[name] else { continue }
                if !isDirectory || holders.last?.isDirectory == false { holders.removeAll() }
                holders.append(("\(source)/\(name)", isDirectory))
            }
            let target = destination == "/" ? "/\(name)" : "\(destination)/\(name)"
            if holders.count == 1 {
                binds.append(Bind(source: holders.last!.source, destination: target))
            } else {
                binds += merge(holders.map(\.source), at: target, list: list)
            }
        }
        return binds
    }

    static func listDirectory(_ path: String) -> [String: Bool]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        var listing: [String: Bool] = [:]
        for name in names {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isDirectory) { listing[name] = isDirectory.boolValue }
        }
        return listing
    }
}
