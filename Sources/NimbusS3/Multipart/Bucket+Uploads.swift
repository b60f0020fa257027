/// Multipart uploads on disk: `uploads/<id>/upload` plus `uploads/<id>/part-<n>` files.
extension Bucket {
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
        let staged = try StagedFile.create(in: stagingDirectory)
        do {
            try staged.append(upload.encoded())
        } catch {
            staged.discard()
            throw error
        }
        try staged.close(durable: durable)
        try POSIX.rename(staged.path, directory + "/" + MultipartUpload.fileName)
        if durable {
            try POSIX.syncDirectory(directory)
            try POSIX.syncDirectory(uploadsDirectory)
        }
    }

    /// The upload's metadata, or NoSuchUpload.
    func upload(_ id: String) throws -> MultipartUpload {
        guard MultipartUpload.isValidID(id) else { throw S3Error.noSuchUpload(id) }
        let path = uploadDirectory(id) + "/" + MultipartUpload.fileName
        guard let descriptor = try POSIX.openForReading(path) else { throw S3Error.noSuchUpload(id) }
        let file = OpenFile(descriptor: descriptor, path: path)
        let size = try POSIX.fileSize(descriptor, path: path)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        _ = try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
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

    /// The uploaded parts by number, each with its metadata (size, ETag, checksums).
    func parts(uploadID: String) throws -> [Int: ObjectMetadata] {
        guard let names = try POSIX.directoryEntries(uploadDirectory(uploadID)) else {
            throw S3Error.noSuchUpload(uploadID)
        }
        var parts: [Int: ObjectMetadata] = [:]
        for name in names {
            guard let number = MultipartUpload.partNumber(fromFileName: name) else { continue }
            let path = uploadDirectory(uploadID) + "/" + name
            guard let opened = try ObjectFile.open(path, readAllUpTo: 0) else { continue }
            parts[number] = opened.metadata
        }
        return parts
    }

    /// Deletes an upload (abort, complete, lifecycle); NoSuchUpload when it is already gone.
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

    /// Every upload in progress, sorted by key then initiation time.
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
