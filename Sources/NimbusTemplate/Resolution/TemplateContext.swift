import Foundation

/// The state of one `load` call: settings, parameters, mappings, conditions, declared resources,
/// memoised names and the warnings collected so far. A class because conditions and physical
/// names are evaluated lazily and memoised while resources refer to each other.
final class TemplateContext {
    let region: String
    let accountID: String
    let stackName: String
    /// The template's folder; relative `CodeUri` / `ContentUri` resolve against it.
    let baseDirectory: String

    var warnings: [String] = []
    var parameters: [String: ParameterValue] = [:]
    var mappings: [TemplateNode.Entry] = []
    var conditionDefinitions: [String: TemplateNode] = [:]
    var conditionValues: [String: Bool] = [:]
    var conditionsInProgress: Set<String> = []
    var resources: [String: ResourceEntry] = [:]
    var physicalNames: [String: String] = [:]
    var namesInProgress: Set<String> = []

    init(region: String, accountID: String, stackName: String, baseDirectory: String) {
        self.region = region
        self.accountID = accountID
        self.stackName = stackName
        self.baseDirectory = baseDirectory
    }

    func warn(_ path: String, _ message: String) {
        warnings.append(path.isEmpty ? message : "\(path): \(message)")
    }

    /// An absolute, standardised path for a folder named in the template.
    func absolutePath(_ path: String) -> String {
        let base = URL(fileURLWithPath: baseDirectory, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
    }
}
