/// Content headers in the on-disk metadata of objects and uploads.
extension ContentHeaders {
    func encode(into writer: inout BinaryWriter) {
        writer.write(contentType)
        writer.write(contentEncoding)
        writer.write(contentDisposition)
        writer.write(cacheControl)
        writer.write(contentLanguage)
        writer.write(expires)
    }

    init(decoding reader: inout BinaryReader) throws(BinaryReader.Failure) {
        self.init(
            contentType: try reader.readOptionalString(), contentEncoding: try reader.readOptionalString(),
            contentDisposition: try reader.readOptionalString(), cacheControl: try reader.readOptionalString(),
            contentLanguage: try reader.readOptionalString(), expires: try reader.readOptionalString())
    }
}
