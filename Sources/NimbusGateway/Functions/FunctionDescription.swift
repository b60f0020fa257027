import Foundation
import NimbusCore

/// A function as Lambda's control plane describes it (`FunctionConfiguration` of GetFunction,
/// GetFunctionConfiguration and ListFunctions), derived from the template: Nimbus deploys what the
/// template says at `nimbus up`, so every function is `$LATEST`, `Active`, and last modified then.
struct FunctionDescription {
    let function: FunctionConfiguration
    let region: String
    let accountID: String
    /// When the stack started: the functions' `LastModified`.
    let deployed: Date
    /// A UUID made at start-up: each start is a new deployment, as a redeployment is on Lambda.
    let revisionID: String
    let code: CodeDigest

    var arn: String { LambdaARN.function(function.name.rawValue, region: region, accountID: accountID) }

    /// The `FunctionConfiguration` object, with the key names and value shapes boto3 parses.
    var configuration: [String: Any] {
        var object: [String: Any] = [
            "FunctionName": function.name.rawValue,
            "FunctionArn": arn,
            "Runtime": function.runtime,
            // SAM names a function's generated role after its logical id.
            "Role": "arn:aws:iam::\(accountID):role/\(function.logicalID)Role",
            "Handler": function.handler,
            "CodeSize": code.size,
            "CodeSha256": code.sha256,
            "Description": "",
            "Timeout": Int(function.timeout.rounded(.up)),
            "MemorySize": function.memorySize,
            "LastModified": Self.lastModifiedFormat.string(from: deployed),
            "Version": "$LATEST",
            "RevisionId": revisionID,
            "TracingConfig": ["Mode": "PassThrough"],
            "State": "Active",
            "LastUpdateStatus": "Successful",
            "PackageType": "Zip",
            "Architectures": function.architectures,
            "EphemeralStorage": ["Size": function.ephemeralStorage],
            "LoggingConfig": ["LogFormat": "Text", "LogGroup": "/aws/lambda/\(function.name)"],
            "SnapStart": ["ApplyOn": "None", "OptimizationStatus": "Off"],
        ]
        if !function.environment.isEmpty { object["Environment"] = ["Variables": function.environment] }
        if !function.layers.isEmpty {
            object["Layers"] = function.layers.map { path in
                ["Arn": LambdaARN.layer(Self.layerName(path), region: region, accountID: accountID), "CodeSize": CodeDigest(folder: path).size]
            }
        }
        return object
    }

    /// GetFunction's answer: the configuration, where the code is, and the reserved concurrency.
    var getFunctionAnswer: [String: Any] {
        var object: [String: Any] = [
            "Configuration": configuration,
            // Lambda answers a presigned URL of the deployment package; Nimbus runs the folder itself.
            "Code": ["RepositoryType": "Local", "Location": URL(fileURLWithPath: function.codePath).absoluteString],
        ]
        if let reserved = function.reservedConcurrency {
            object["Concurrency"] = ["ReservedConcurrentExecutions": reserved]
        }
        return object
    }

    static func layerName(_ path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let allowed = name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return allowed.isEmpty ? "layer" : allowed
    }

    /// Lambda's own timestamp form: `2026-12-08T01:59:33.000+0000`.
    static let lastModifiedFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return formatter
    }()
}
