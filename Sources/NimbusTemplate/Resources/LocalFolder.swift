import Foundation

/// `CodeUri`, `ContentUri`, `Content`: a folder on this machine, relative to the template's folder.
extension TemplateContext {
    func localFolder(_ value: TemplateNode, at path: String, mustExist: Bool) throws(TemplateError) -> String {
        guard value.entries == nil else {
            throw .at(path, line: value.line, "S3 locations are not supported; use a local folder")
        }
        let written = try value.text(at: path)
        let absolute = absolutePath(written)
        guard mustExist else { return absolute }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw .at(path, line: value.line, "folder '\(written)' does not exist")
        }
        guard isDirectory.boolValue else {
            throw .at(path, line: value.line, "'\(written)' is not a folder (archives are not supported)")
        }
        return absolute
    }
}
