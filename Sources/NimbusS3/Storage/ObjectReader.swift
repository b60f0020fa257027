/// The bytes of one stored version of an object: an overwrite after opening does not change
/// what it reads, so a response never mixes two versions.
protocol ObjectReader: Sendable {
    /// Fills `buffer` with the bytes at `offset`; throws when the object ends before it is full.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws
}
