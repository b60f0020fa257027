import Crypto
import Foundation

/// The size and digest of a code folder, standing in for Lambda's deployment package: the sum of
/// its regular files' sizes, and the base64 SHA-256 over their relative paths and contents in path
/// order, so it changes exactly when the code does.
struct CodeDigest {
    let size: Int
    let sha256: String

    init(folder: String) {
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            if enumerator?.fileAttributes?[.type] as? FileAttributeType == .typeRegular { files.append(path) }
        }
        var hasher = SHA256()
        var size = 0
        for path in files.sorted() {
            guard let contents = FileManager.default.contents(atPath: folder + "/" + path) else { continue }
            hasher.update(data: Data(path.utf8))
            hasher.update(data: [0])
            hasher.update(data: contents)
            size += contents.count
        }
        self.size = size
        self.sha256 = Data(hasher.finalize()).base64EncodedString()
    }
}
