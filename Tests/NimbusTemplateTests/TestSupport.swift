import Foundation
import NimbusCore
import NimbusTemplate

/// The fixture folders copied into the test bundle.
enum Fixtures {
    static let root: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.standardizedFileURL.path
    static let sampleApp = root + "/sample-app"
    static let echoCode = sampleApp + "/functions/python/echo"
    static let commonLayer = sampleApp + "/layers/common"
}

/// Loads template text as `template.yaml` in the sample app's folder (so `functions/…` exists).
func load(_ yaml: String, loader: TemplateLoader = TemplateLoader()) throws(TemplateError) -> StackDefinition {
    try loader.load(yaml: yaml, fileName: "template.yaml", baseDirectory: Fixtures.sampleApp)
}

/// The error `load` throws, or nil when the template loads.
func loadError(_ yaml: String, loader: TemplateLoader = TemplateLoader()) -> TemplateError? {
    do {
        _ = try load(yaml, loader: loader)
        return nil
    } catch {
        return error
    }
}

/// A runnable function resource named `Echo`, with extra properties appended (indented 6 spaces).
func echoFunction(_ extraProperties: String = "") -> String {
    """
      Echo:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: functions/python/echo
    \(extraProperties.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
    """
}
