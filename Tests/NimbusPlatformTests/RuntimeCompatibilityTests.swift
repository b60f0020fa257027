import Foundation
import NimbusCore
import Testing

@testable import NimbusWorkers

/// Start-up warnings about runtimes the host runs differently or not at all.
struct RuntimeCompatibilityTests {
    static func function(_ runtime: String) -> FunctionConfiguration {
        FunctionConfiguration(name: FunctionName("f-\(runtime.filter(\.isLetter))")!, logicalID: "F", runtime: runtime, handler: "app.handler", codePath: "/tmp")
    }

    @Test func pythonVersionsThatDifferFromTheHostAreNamed() throws {
        let host = try #require(RuntimeCompatibility.hostPythonVersion(WorkersConfiguration().pythonExecutable))
        let other = host == "3.9" ? "python3.13" : "python3.9"
        let warnings = RuntimeCompatibility.warnings(
            for: [Self.function("python\(host)"), Self.function(other)], configuration: WorkersConfiguration())
        #expect(warnings == ["f-python: runtime \(other) runs on the host's python \(host)"])
    }

    @Test func unsupportedRuntimesAreNamed() {
        let warnings = RuntimeCompatibility.warnings(for: [Self.function("java17")], configuration: WorkersConfiguration())
        #expect(warnings == ["f-java: runtime java17 is not supported yet; invocations will fail"])
    }

    @Test func aMissingInterpreterIsReported() {
        var configuration = WorkersConfiguration()
        configuration.pythonExecutable = "/nonexistent/python3"
        let warnings = RuntimeCompatibility.warnings(for: [Self.function("python3.11")], configuration: configuration)
        #expect(warnings == ["/nonexistent/python3 was not found: python functions cannot start"])
    }
}
