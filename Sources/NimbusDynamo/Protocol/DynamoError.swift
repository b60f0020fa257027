/// An error as DynamoDB reports it: a code in its namespace, a message, and the extra members some
/// errors carry. The JSON shape and HTTP status live in `DynamoError+Response.swift`.
struct DynamoError: Error, Equatable {
    enum Code: String, Sendable {
        case validation = "ValidationException"
        case serialization = "SerializationException"
        case unknownOperation = "UnknownOperationException"
        case resourceNotFound = "ResourceNotFoundException"
        case resourceInUse = "ResourceInUseException"
        case conditionalCheckFailed = "ConditionalCheckFailedException"
        case transactionCanceled = "TransactionCanceledException"
        case duplicateItem = "DuplicateItemException"
        case idempotentParameterMismatch = "IdempotentParameterMismatchException"
        case expiredIterator = "ExpiredIteratorException"
        case policyNotFound = "PolicyNotFoundException"
        case missingAction = "MissingAction"
        case internalServerError = "InternalServerError"

        /// DynamoDB's type prefix: protocol-level errors come from the Coral framework.
        var namespace: String {
            switch self {
            case .validation: "com.amazon.coral.validate"
            case .serialization, .unknownOperation, .missingAction: "com.amazon.coral.service"
            default: "com.amazonaws.dynamodb.v20120810"
            }
        }

        var status: Int { self == .internalServerError ? 500 : 400 }

        /// The short code PartiQL reports per statement (BatchStatementError, and ExecuteTransaction's
        /// CancellationReasons).
        var statementCode: String {
            switch self {
            case .conditionalCheckFailed: "ConditionalCheckFailed"
            case .duplicateItem: "DuplicateItem"
            case .resourceNotFound: "ResourceNotFound"
            case .transactionCanceled: "TransactionConflict"
            case .internalServerError: "InternalServerError"
            default: "ValidationError"
            }
        }
    }

    var code: Code
    var message: String
    /// `Item` on ConditionalCheckFailedException with `ReturnValuesOnConditionCheckFailure=ALL_OLD`.
    var item: Item?
    var cancellationReasons: [CancellationReason]?

    init(_ code: Code, _ message: String, item: Item? = nil, cancellationReasons: [CancellationReason]? = nil) {
        self.code = code
        self.message = message
        self.item = item
        self.cancellationReasons = cancellationReasons
    }

    static func validation(_ message: String) -> DynamoError { DynamoError(.validation, message) }
    static func serialization(_ message: String) -> DynamoError { DynamoError(.serialization, message) }

    static func tableNotFound(_ name: String? = nil) -> DynamoError {
        DynamoError(.resourceNotFound, name.map { "Requested resource not found: Table: \($0) not found" } ?? "Requested resource not found")
    }

    static func conditionalCheckFailed(item: Item? = nil) -> DynamoError {
        DynamoError(.conditionalCheckFailed, "The conditional request failed", item: item)
    }

    /// An INSERT of a key that is already there.
    static let duplicateItem = DynamoError(.duplicateItem, "Duplicate primary key exists in table")

    /// A PartiQL syntax error, with DynamoDB's prefix.
    static func malformedStatement(_ detail: String) -> DynamoError {
        .validation("Statement wasn't well formed, can't be processed: \(detail)")
    }

    /// "1 validation error detected: Value … at '…' failed to satisfy constraint: …"
    static func constraints(_ violations: [String]) -> DynamoError {
        let count = violations.count
        return .validation("\(count) validation error\(count == 1 ? "" : "s") detected: " + violations.joined(separator: "; "))
    }
}

/// One entry of a TransactionCanceledException's `CancellationReasons`.
struct CancellationReason: Equatable, Sendable {
    var code: String
    var message: String?
    var item: Item?

    static let none = CancellationReason(code: "None", message: nil, item: nil)
}
