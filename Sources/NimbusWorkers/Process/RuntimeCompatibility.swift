import Foundation
import NimbusCore

/// Tells users where the host's runtimes differ from what their functions ask for: every
/// `python3.x` runtime runs on the host's python3.
public enum RuntimeCompatibility {
    public static func warnings(for functions: [FunctionConfiguration], configuration: WorkersConfiguration) -> [String] {
        let pythonFunctions = functions.filter { $0.runtimeFamily == .python }
        var warnings: [String] = []
        if !pythonFunctions.isEmpty {
            if let host = hostPythonVersion(configuration.pythonExecutable) {
                for function in pythonFunctions where function.runtime != "python\(host)" {
                    warnings.append("\(function.name): runtime \(function.runtime) runs on the host's python \(host)")
                }
            } else {
                warnings.append("\(configuration.pythonExecutable) was not found: python functions cannot start")
            }
        }
        for function in functions where function.runtimeFamily == nil || function.runtimeFamily != .python {
            warnings.append("\(function.name): runtime \(function.runtime) is not supported yet; invocations will fail")
        }
        return warnings
    }

    /// `3.11` for the interpreter at `executable`, or nil when it cannot be run.
    static func hostPythonVersion(_ executable: String) -> String? {
        IsolationProbe.python(executable)?.version
    }
}
