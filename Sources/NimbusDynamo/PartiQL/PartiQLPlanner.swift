/// Turns a parsed statement and its parameters into what the engine runs: for SELECT one Query
/// per partition the WHERE confines it to (`pk = v`, `pk IN [...]`, `pk = a OR pk = b`), or a
/// Scan; one item write for INSERT, UPDATE and DELETE, a condition check for EXISTS. Pure: tables
/// come from `schema`.
enum PartiQLPlanner {
    struct Read {
        var schema: TableSchema
        var index: SecondaryIndex?
        /// The partitions (each with the sort-key range) to read, one Query each in this order;
        /// empty for a Scan.
        var keyConditions: [KeyCondition] = []
        /// The whole WHERE. Applied to every item read, key conditions included, which is harmless
        /// and keeps the planner from having to split conditions exactly.
        var filter: Expression.Condition?
        var projection: [DocumentPath]?
        var forward = true
        /// The table's primary key when the WHERE fixes it by equality (batch and transaction reads).
        var fullKey: Item?

        var isQuery: Bool { !keyConditions.isEmpty }
    }

    enum Plan {
        case read(Read)
        case write(TransactWrite, returning: PartiQLStatement.Returning?)
    }

    static let incompleteKey = DynamoError.validation("Where clause does not contain a mandatory equality on all key attributes")

    static func plan(
        _ parsed: PartiQLParser.Parsed, parameters: [AttributeValue], returnOldOnFailure: Bool = false,
        schema: (String) throws(DynamoError) -> TableSchema
    ) throws(DynamoError) -> Plan {
        guard parameters.count == parsed.parameterCount else {
            throw .validation("Number of parameters in request and statement don't match.")
        }
        let binder = PartiQLBinder(parameters: parameters)
        switch parsed.statement {
        case .select(let select):
            return .read(try read(select, binder: binder, schema: try schema(select.table)))
        case .insert(let insert):
            let table = try schema(insert.table)
            guard case .m(let item) = try binder.value(insert.item) else {
                throw .validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")
            }
            let key = try table.storageKey(ofItem: item)
            try table.validateIndexKeys(of: item)
            try ItemShape.check(item)
            _ = try TableSchema.checkSize(item)
            let write = TransactWrite(
                kind: .insert(item), schema: table, key: key, keyItem: table.key.key(of: item), condition: nil,
                returnOldOnFailure: returnOldOnFailure)
            return .write(write, returning: nil)
        case .update(let update):
            let table = try schema(update.table)
            let (keyItem, rest) = try splitKey(update.condition, binder: binder, key: table.key)
            let actions = try binder.updateActions(update.actions)
            for action in actions where table.key.attributes.contains(where: { $0.name == action.path.head }) {
                throw .validation("One or more parameter values were invalid: Cannot update attribute \(action.path.head). This attribute is part of the key")
            }
            // UPDATE is no upsert: the item must exist.
            let mustExist = Expression.Condition.exists(DocumentPath(name: table.key.hash.name))
            let write = TransactWrite(
                kind: .update(actions), schema: table, key: try table.storageKey(forKey: keyItem), keyItem: keyItem,
                condition: .all([mustExist] + rest), returnOldOnFailure: returnOldOnFailure)
            return .write(write, returning: update.returning)
        case .delete(let delete):
            let table = try schema(delete.table)
            let (keyItem, rest) = try splitKey(delete.condition, binder: binder, key: table.key)
            // Deleting a missing item succeeds; the rest of the WHERE only guards an existing one.
            let absent = Expression.Condition.notExists(DocumentPath(name: table.key.hash.name))
            let write = TransactWrite(
                kind: .delete, schema: table, key: try table.storageKey(forKey: keyItem), keyItem: keyItem,
                condition: rest.isEmpty ? nil : .or(absent, .all(rest)), returnOldOnFailure: returnOldOnFailure)
            return .write(write, returning: delete.returning)
        case .exists(let select):
            let table = try schema(select.table)
            if select.index != nil { throw .validation("Operations on indices are not supported in transactions") }
            guard let (keyItem, rest) = try? splitKey(select.condition, binder: binder, key: table.key) else {
                throw .validation("EXISTS() must contain a single item read with additional condition")
            }
            let mustExist = Expression.Condition.exists(DocumentPath(name: table.key.hash.name))
            let write = TransactWrite(
                kind: .check, schema: table, key: try table.storageKey(forKey: keyItem), keyItem: keyItem,
                condition: .all([mustExist] + rest), returnOldOnFailure: returnOldOnFailure)
            return .write(write, returning: nil)
        }
    }

    private static func read(_ select: PartiQLStatement.Select, binder: PartiQLBinder, schema: TableSchema) throws(DynamoError) -> Read {
        var index: SecondaryIndex?
        if let name = select.index {
            guard let found = schema.index(named: name) else {
                throw .validation("The table does not have the specified index: \(name)")
            }
            index = found
        }
        var read = Read(schema: schema, index: index, projection: select.projection, forward: !select.descending)
        let keySchema = index?.key ?? schema.key
        if let orderBy = select.orderBy, !orderBy.isTopLevel || !keySchema.attributes.contains(where: { $0.name == orderBy.head }) {
            throw .validation("Variable reference \(PartiQLOutput.name(of: orderBy)) in ORDER BY clause must be part of the primary key")
        }
        guard let condition = select.condition else {
            if select.orderBy != nil {
                throw .validation("Must have WHERE clause in the statement when using ORDER BY clause.")
            }
            return read
        }
        let filter = try binder.condition(condition)
        read.filter = filter
        let conjuncts = Self.conjuncts(filter)
        if var partitions = try partitions(of: keySchema.hash, in: conjuncts) {
            var sort: KeyCondition.SortCondition?
            if let range = keySchema.range {
                sort = equality(on: range, in: conjuncts).map { .compare(.equal, $0) } ?? sortCondition(on: range, in: conjuncts)
            }
            // Partitions come in the statement's order, unless the ORDER BY is on the partition key.
            if select.orderBy?.head == keySchema.hash.name {
                let forward = read.forward
                partitions.sort { a, b in
                    let order = AttributeValue.compare(a, b) ?? 0
                    return forward ? order < 0 : order > 0
                }
            }
            read.keyConditions = partitions.map { KeyCondition(partition: $0, sort: sort) }
        } else if select.orderBy != nil {
            throw .validation("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.")
        }
        if index == nil, let (keyItem, _) = try? splitKey(condition, binder: binder, key: schema.key) {
            read.fullKey = keyItem
        }
        return read
    }

    /// The top-level AND-ed parts of a condition.
    static func conjuncts(_ condition: Expression.Condition) -> [Expression.Condition] {
        if case .and(let a, let b) = condition { return conjuncts(a) + conjuncts(b) }
        return [condition]
    }

    /// The value a conjunct `attribute = value` fixes a key attribute to, when its type fits the key.
    private static func equality(on attribute: KeyAttribute, in conjuncts: [Expression.Condition]) -> AttributeValue? {
        for conjunct in conjuncts {
            guard case .compare(.equal, let a, let b) = conjunct else { continue }
            switch (a, b) {
            case (.path(let p), .value(let v)), (.value(let v), .path(let p)):
                if p.isTopLevel, p.head == attribute.name, attribute.type.matches(v), v != .s("") { return v }
            default:
                continue
            }
        }
        return nil
    }

    /// A sort-key range from a comparison, BETWEEN or begins_with conjunct.
    private static func sortCondition(on range: KeyAttribute, in conjuncts: [Expression.Condition]) -> KeyCondition.SortCondition? {
        func isRange(_ operand: Expression.Operand) -> Bool {
            if case .path(let p) = operand { return p.isTopLevel && p.head == range.name }
            return false
        }
        for conjunct in conjuncts {
            switch conjunct {
            case .compare(let comparator, let a, .value(let v)) where comparator != .notEqual && isRange(a) && range.type.matches(v):
                return .compare(comparator, v)
            case .compare(let comparator, .value(let v), let b) where comparator != .notEqual && isRange(b) && range.type.matches(v):
                return .compare(comparator.flipped, v)
            case .between(let a, .value(let low), .value(let high)) where isRange(a) && range.type.matches(low) && range.type.matches(high):
                return .between(low, high)
            case .beginsWith(let a, .value(let prefix)) where isRange(a) && range.type != .n && range.type.matches(prefix):
                return .beginsWith(prefix)
            default:
                continue
            }
        }
        return nil
    }

    /// Splits a write's WHERE into the primary key (an equality on each key attribute, AND-ed at
    /// the top level) and the remaining conditions.
    static func splitKey(
        _ condition: PartiQLStatement.Condition?, binder: PartiQLBinder, key: KeySchema
    ) throws(DynamoError) -> (Item, [Expression.Condition]) {
        guard let condition else { throw incompleteKey }
        var rest = conjuncts(try binder.condition(condition))
        var keyItem: Item = [:]
        for attribute in key.attributes {
            let found = rest.firstIndex { conjunct in
                guard case .compare(.equal, let a, let b) = conjunct else { return false }
                switch (a, b) {
                case (.path(let p), .value), (.value, .path(let p)): return p.isTopLevel && p.head == attribute.name
                default: return false
                }
            }
            guard let found, case .compare(_, let a, let b) = rest[found] else { throw incompleteKey }
            if case .value(let v) = a { keyItem[attribute.name] = v }
            if case .value(let v) = b { keyItem[attribute.name] = v }
            rest.remove(at: found)
        }
        return (keyItem, rest)
    }
}
