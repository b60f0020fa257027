import Foundation
import NimbusCore

/// Loads an AWS SAM template (`Transform: AWS::Serverless-2016-10-31`, YAML or JSON) into the
/// `StackDefinition` Nimbus runs: parameters and conditions applied, Globals merged, intrinsic
/// functions evaluated, code folders made absolute. Anything not understood is either an error
/// (the first one, thrown) or a warning in `StackDefinition.warnings`; nothing is dropped silently.
public struct TemplateLoader: Sendable {
    /// Values for template `Parameters`, overriding their `Default`.
    public var parameterOverrides: [String: String]
    /// `AWS::Region`, also used in ARNs.
    public var region: String
    /// `AWS::AccountId`, also used in ARNs.
    public var accountID: String
    /// `AWS::StackName`.
    public var stackName: String

    public init(
        parameterOverrides: [String: String] = [:],
        region: String = "us-east-1",
        accountID: String = "000000000000",
        stackName: String = "nimbus"
    ) {
        self.parameterOverrides = parameterOverrides
        self.region = region
        self.accountID = accountID
        self.stackName = stackName
    }

    /// Loads and resolves a template file. Relative CodeUri/ContentUri resolve against the template's folder.
    public func load(fileAt path: String) throws(TemplateError) -> StackDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw TemplateError(file: path, path: "", line: nil, message: "the template file \(reason)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(yaml: text, fileName: path, baseDirectory: folder)
    }

    /// Same from text; `fileName` is used in error messages, `baseDirectory` for relative paths.
    public func load(yaml: String, fileName: String, baseDirectory: String) throws(TemplateError) -> StackDefinition {
        let context = TemplateContext(
            region: region, accountID: accountID, stackName: stackName,
            baseDirectory: URL(fileURLWithPath: baseDirectory).standardizedFileURL.path)
        do {
            let root = try YAMLReader.parse(yaml)
            return try TemplateReader(context: context, parameterOverrides: parameterOverrides).read(root)
        } catch {
            var located = error
            located.file = fileName
            throw located
        }
    }
}
