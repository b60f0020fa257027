/// Multipart uploads on disk: `uploads/<id>/upload` plus `uploads/<id>/part-<n>` files.
extension DiskBucket {
    func uploadDirectory(_ id: String) -> String {
        uploadsDirectory + "/" + id
    }

    func partPath(uploadID: String, partNumber: Int) -> String {
        uploadDirectory(uploadID) + "/" + MultipartUpload.partFileName(partNumber)
    }

    /// Creates the upload's directory and metadata. The metadata file is renamed in last, so a
    /// crash leaves either no upload or a complete one (a bare directory is ignored and swept).
    func createUpload(_ upload: MultipartUpload) throws {
        let directory = uploadDirectory(upload.id)
        do {
            try POSIX.makeDirectory(directory)
        } catch let failure as POSIXFailure where failure.isNotFound {
            throw S3Error.noSuchBucket(name)
        }
        try StagedFile.write(
            upload.encoded(), named: MultipartUpload.fileName, in: directory, staging: stagingDirectory,
            durable: durable)
        if durable { try POSIX.syncDirectory(uploadsDirectory) }
    }

    func upload(_ id: String) throws -> MultipartUpload {
        guard MultipartUpload.isValidID(id) else { throw S3Error.noSuchUpload(id) }
        let path = uploadDirectory(id) + "/" + MultipartUpload.fileName
        guard let descriptor = try POSIX.openForReading(path) else { throw S3Error.noSuchUpload(id) }
        let file = OpenFile(descriptor: descriptor, path: path)
        var bytes = [UInt8](repeating: 0, count: Int(try POSIX.fileSize(descriptor, path: path)))
        try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
        guard let upload = try? MultipartUpload(decoding: bytes) else { throw ObjectFile.Corrupt(path: path) }
        return upload
    }

    /// Moves a finished part file into the upload, replacing an earlier upload of that number.
    func publishPart(_ staged: StagedFile, uploadID: String, partNumber: Int) throws {
        do {
            try POSIX.rename(staged.path, partPath(uploadID: uploadID, partNumber: partNumber))
        } catch let failure as POSIXFailure where failure.isNotFound {
            _ = try? POSIX.remove(staged.path)
            throw S3Error.noSuchUpload(uploadID)
        }
        if durable { try POSIX.syncDirectory(uploadDirectory(uploadID)) }
    }

    func parts(uploadID: String) throws -> [Int: ObjectMetadata] {
        guard let names = try POSIX.directoryEntries(uploadDirectory(uploadID)) else {
            throw S3Error.noSuchUpload(uploadID)
        }
        var parts: [Int: ObjectMetadata] = [:]
        for name in names {
            guard let number = MultipartUpload.partNumber(fromFileName: name) else { continue }
            guard let opened = try ObjectFile.open(uploadDirectory(uploadID) + "/" + name, prefetch: 0) else { continue }
            parts[number] = opened.metadata
        }
        return parts
    }

    func part(uploadID: String, number: Int) throws -> StoredObject? {
        try ObjectFile.open(partPath(uploadID: uploadID, partNumber: number), prefetch: 0)
    }

    /// The directory is first renamed aside, so the upload disappears atomically.
    func removeUpload(_ id: String) throws {
        guard MultipartUpload.isValidID(id) else { throw S3Error.noSuchUpload(id) }
        let doomed = stagingDirectory + "/removed-" + id + "-" + MultipartUpload.newID()
        do {
            try POSIX.rename(uploadDirectory(id), doomed)
        } catch let failure as POSIXFailure where failure.isNotFound {
            throw S3Error.noSuchUpload(id)
        }
        try POSIX.removeTree(doomed)
    }

    func uploads() throws -> [MultipartUpload] {
        let ids = try POSIX.directoryEntries(uploadsDirectory) ?? []
        var uploads: [MultipartUpload] = []
        for id in ids where MultipartUpload.isValidID(id) {
            if let upload = try? upload(id) { uploads.append(upload) }
        }
        return uploads.sorted { lhs, rhs in
            lhs.key == rhs.key ? lhs.initiated < rhs.initiated : lhs.key.precedesInBinaryOrder(rhs.key)
        }
    }
}
