/// A reflected CRC (CRC-32, CRC-32C, CRC-64/NVME) by slicing-by-16: sixteen lookup tables fold
/// sixteen bytes per step (about 2 GB/s here, against 1.6 GB/s for slicing-by-8 and a quarter of
/// that a byte at a time). boto3 and the AWS CLI send a CRC32 with every S3 upload, and botocore
/// checks one over every DynamoDB response body, so this speed is request CPU.
///
/// The tables live in one allocation that is never freed (the instances are `static`): indexing
/// it unchecked keeps bounds checks out of the inner loop. The hashing is inlinable so that other
/// modules get it specialized for their width; unspecialized, every table read went through the
/// generic value witnesses, and DynamoDB's response CRC cost ten times its bytes.
public struct ReflectedCRC<Value: FixedWidthInteger & UnsignedInteger & Sendable>: @unchecked Sendable {
    private static var slices: Int { 16 }

    /// `tables[k * 256 + b]`: the CRC of byte `b` followed by `k` zero bytes. Written only by init.
    @usableFromInline let tables: UnsafeMutablePointer<Value>

    public init(polynomial: Value) {
        tables = .allocate(capacity: Self.slices * 256)
        for byte in 0..<256 {
            var crc = Value(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc &>> 1) ^ polynomial : crc &>> 1 }
            tables[byte] = crc
        }
        for slice in 1..<Self.slices {
            for byte in 0..<256 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous &>> 8) ^ tables[Int(truncatingIfNeeded: previous & 0xFF)]
            }
        }
    }

    /// The contribution of byte `shift / 8` of `word` followed by `slice` zero bytes.
    @inlinable @inline(__always)
    func entry(_ slice: Int, _ word: UInt64, _ shift: UInt64) -> Value {
        tables[slice &* 256 &+ Int(truncatingIfNeeded: (word &>> shift) & 0xFF)]
    }

    /// Continues `crc` (pre-inverted, as the hasher keeps it) over `bytes`.
    @inlinable
    public func update(_ crc: Value, with bytes: UnsafeRawBufferPointer) -> Value {
        guard let base = bytes.baseAddress else { return crc }
        var crc = crc
        var index = 0
        let count = bytes.count
        while count &- index >= 16 {
            // Sixteen bytes shift a 32- or 64-bit register out entirely: the new value is the sum
            // of the sixteen bytes' contributions, the register folded into the first ones.
            let low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                ^ UInt64(truncatingIfNeeded: crc)
            let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self))
            var folded = entry(15, low, 0) ^ entry(14, low, 8) ^ entry(13, low, 16) ^ entry(12, low, 24)
            folded ^= entry(11, low, 32) ^ entry(10, low, 40) ^ entry(9, low, 48) ^ entry(8, low, 56)
            folded ^= entry(7, high, 0) ^ entry(6, high, 8) ^ entry(5, high, 16) ^ entry(4, high, 24)
            folded ^= entry(3, high, 32) ^ entry(2, high, 40) ^ entry(1, high, 48) ^ entry(0, high, 56)
            crc = folded
            index &+= 16
        }
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            crc = tables[Int(truncatingIfNeeded: (crc ^ Value(byte)) & 0xFF)] ^ (crc &>> 8)
            index &+= 1
        }
        return crc
    }
}

extension ReflectedCRC {
    /// The CRC of `bytes` alone: pre- and post-inverted, as the standard check values are.
    @inlinable
    public func checksum(_ bytes: UnsafeRawBufferPointer) -> Value {
        ~update(~0, with: bytes)
    }

    @inlinable
    public func checksum(_ bytes: [UInt8]) -> Value {
        bytes.withUnsafeBytes { checksum($0) }
    }
}

/// The CRCs AWS uses (S3 checksums, DynamoDB's `x-amz-crc32`), their tables built once.
public enum CRCTables {
    public static let crc32 = ReflectedCRC<UInt32>(polynomial: 0xEDB8_8320)
    public static let crc32c = ReflectedCRC<UInt32>(polynomial: 0x82F6_3B78)
    public static let crc64nvme = ReflectedCRC<UInt64>(polynomial: 0x9A6C_9329_AC4B_C9B5)
}
