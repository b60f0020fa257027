/// Bound (placeholder-free) expressions: what the evaluator and the update applier run.
enum Expression {
    indirect enum Operand: Equatable, Sendable {
        case path(DocumentPath)
        case value(AttributeValue)
        case size(Operand)
    }

    indirect enum Condition: Equatable, Sendable {
        case compare(Syntax.Comparator, Operand, Operand)
        case between(Operand, Operand, Operand)
        case inList(Operand, [Operand])
        case exists(DocumentPath)
        case notExists(DocumentPath)
        case attributeType(Operand, String)
        case beginsWith(Operand, Operand)
        case contains(Operand, Operand)
        case and(Condition, Condition)
        case or(Condition, Condition)
        case not(Condition)
        case constant(Bool)

        static func all(_ conditions: [Condition]) -> Condition {
            guard var result = conditions.first else { return .constant(true) }
            for c in conditions.dropFirst() { result = .and(result, c) }
            return result
        }

        static func any(_ conditions: [Condition]) -> Condition {
            guard var result = conditions.first else { return .constant(true) }
            for c in conditions.dropFirst() { result = .or(result, c) }
            return result
        }
    }

    indirect enum UpdateOperand: Equatable, Sendable {
        case path(DocumentPath)
        case value(AttributeValue)
        case ifNotExists(DocumentPath, UpdateOperand)
        case listAppend(UpdateOperand, UpdateOperand)
    }

    enum UpdateValue: Equatable, Sendable {
        case operand(UpdateOperand)
        case plus(UpdateOperand, UpdateOperand)
        case minus(UpdateOperand, UpdateOperand)
    }

    enum UpdateAction: Equatable, Sendable {
        case set(DocumentPath, UpdateValue)
        case remove(DocumentPath)
        case add(DocumentPath, AttributeValue)
        case delete(DocumentPath, AttributeValue)
        /// Legacy `AttributeUpdates` ADD, which also appends to lists.
        case legacyAdd(DocumentPath, AttributeValue)

        var path: DocumentPath {
            switch self {
            case .set(let p, _), .remove(let p), .add(let p, _), .delete(let p, _), .legacyAdd(let p, _): p
            }
        }
    }
}
