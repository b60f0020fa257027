/// A parsed PartiQL statement with its `?` parameters still unbound, so one parse serves every
/// execution of the same text.
enum PartiQLStatement: Equatable, Sendable {
    case select(Select)
    case insert(Insert)
    case update(Update)
    case delete(Delete)
    /// `EXISTS(SELECT …)`: a condition check, allowed only among ExecuteTransaction's writes.
    case exists(Select)

    struct Select: Equatable, Sendable {
        /// nil for `*`.
        var projection: [DocumentPath]?
        var table: String
        var index: String?
        var condition: Condition?
        /// `ORDER BY <key>`: the path, and whether DESC reads the partition backwards.
        var orderBy: DocumentPath?
        var descending = false
    }

    struct Insert: Equatable, Sendable {
        var table: String
        var item: Value
    }

    struct Update: Equatable, Sendable {
        var table: String
        var actions: [Action]
        var condition: Condition?
        var returning: Returning?
    }

    struct Delete: Equatable, Sendable {
        var table: String
        var condition: Condition?
        var returning: Returning?
    }

    enum Action: Equatable, Sendable {
        case set(DocumentPath, Value)
        case remove(DocumentPath)
    }

    /// `RETURNING ALL OLD *` and friends, as UpdateItem's ReturnValues.
    enum Returning: String, Equatable, Sendable {
        case allOld = "ALL_OLD"
        case allNew = "ALL_NEW"
        case modifiedOld = "UPDATED_OLD"
        case modifiedNew = "UPDATED_NEW"
    }

    /// A value expression: literals (which may hold parameters), paths, functions and `+`/`-`.
    indirect enum Value: Equatable, Sendable {
        case literal(AttributeValue)
        /// The zero-based position of a `?`.
        case parameter(Int)
        case path(DocumentPath)
        case map([MapEntry])
        case list([Value])
        /// `<< … >>`.
        case set([Value])
        /// Lowercased name.
        case function(String, [Value])
        case plus(Value, Value)
        case minus(Value, Value)
    }

    struct MapEntry: Equatable, Sendable {
        var key: String
        var value: Value
    }

    indirect enum Condition: Equatable, Sendable {
        case compare(Syntax.Comparator, Value, Value)
        case between(Value, Value, Value)
        case inList(Value, [Value])
        /// `IS [NOT] MISSING`, `IS [NOT] NULL`, `IS [NOT] STRING`…
        case isType(Value, String)
        /// Lowercased name: begins_with, contains, attribute_exists, attribute_not_exists, attribute_type.
        case function(String, [Value])
        case and(Condition, Condition)
        case or(Condition, Condition)
        case not(Condition)
    }

    var table: String {
        switch self {
        case .select(let s), .exists(let s): s.table
        case .insert(let i): i.table
        case .update(let u): u.table
        case .delete(let d): d.table
        }
    }

    var isRead: Bool {
        if case .select = self { return true }
        return false
    }
}
