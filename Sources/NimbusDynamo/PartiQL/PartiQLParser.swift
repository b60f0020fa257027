/// Parses DynamoDB's PartiQL statements (SELECT, INSERT, UPDATE, DELETE, and EXISTS for
/// transactions) into `PartiQLStatement`. Syntax errors are ValidationExceptions with DynamoDB's
/// "Statement wasn't well formed, can't be processed: …" prefix; recursive descent, one token
/// of lookahead. Value and condition grammar is in `PartiQLParser+Expressions.swift`.
struct PartiQLParser {
    struct Parsed: Sendable {
        var statement: PartiQLStatement
        /// How many `?` the statement has: the request's `Parameters` must supply exactly these.
        var parameterCount: Int
    }

    /// Words that cannot be unquoted attribute or table names.
    static let reservedWords: Set<String> = [
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "INSERT", "INTO", "VALUE", "VALUES",
        "UPDATE", "SET", "REMOVE", "DELETE", "EXISTS", "ORDER", "BY", "ASC", "DESC", "RETURNING", "LIMIT", "OFFSET",
        "MISSING", "NULL", "TRUE", "FALSE", "GROUP", "HAVING", "JOIN", "UNION", "AS", "AT", "LIKE", "UPSERT", "REPLACE",
        "CREATE", "DROP", "ALTER", "TABLE", "INDEX", "DISTINCT", "ALL", "CASE", "WHEN", "THEN", "ELSE", "END",
    ]

    /// How deep conditions and values may nest (parentheses, NOT, maps, lists, sets, function
    /// arguments): deeper recursion could overflow the stack of the thread parsing, and with it
    /// take the server down; an 8 KB statement could otherwise nest ~4,000 levels.
    static let maximumNesting = 128

    var tokens: [PartiQLToken]
    var position = 0
    var parameterCount = 0
    var nesting = 0

    static func parse(_ text: String) throws(DynamoError) -> Parsed {
        var parser = PartiQLParser(tokens: try PartiQLLexer.tokenize(text))
        let statement = try parser.statement()
        return Parsed(statement: statement, parameterCount: parser.parameterCount)
    }

    // MARK: Token helpers

    var current: PartiQLToken { tokens[position] }

    mutating func advance() -> PartiQLToken {
        defer { if position < tokens.count - 1 { position += 1 } }
        return tokens[position]
    }

    mutating func accept(keyword: String) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        position += 1
        return true
    }

    mutating func accept(symbol: String) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    mutating func expect(keyword: String) throws(DynamoError) {
        guard accept(keyword: keyword) else { throw unexpected() }
    }

    mutating func expect(symbol: String) throws(DynamoError) {
        guard accept(symbol: symbol) else { throw unexpected() }
    }

    /// Enters one level of a nested condition or value.
    mutating func enter() throws(DynamoError) {
        nesting += 1
        if nesting > Self.maximumNesting {
            throw .malformedStatement("Nesting deeper than \(Self.maximumNesting) levels")
        }
    }

    /// DynamoDB's wording for the token it stopped at.
    func unexpected() -> DynamoError {
        switch current.kind {
        case .end: .malformedStatement("Unexpected end of statement")
        case .word where Self.reservedWords.contains(current.text.uppercased()): .malformedStatement("Unexpected keyword")
        default: .malformedStatement("Unexpected token")
        }
    }

    /// An attribute, table or index name: an unquoted word that is not reserved, or a quoted name.
    mutating func name() throws(DynamoError) -> String {
        switch current.kind {
        case .quotedName:
            return advance().text
        case .word where !Self.reservedWords.contains(current.text.uppercased()):
            return advance().text
        default:
            throw unexpected()
        }
    }

    // MARK: Statements

    private mutating func statement() throws(DynamoError) -> PartiQLStatement {
        let statement: PartiQLStatement
        if accept(keyword: "SELECT") {
            statement = .select(try select())
        } else if accept(keyword: "INSERT") {
            statement = .insert(try insert())
        } else if accept(keyword: "UPDATE") {
            statement = .update(try update())
        } else if accept(keyword: "DELETE") {
            statement = .delete(try delete())
        } else if accept(keyword: "EXISTS") {
            try expect(symbol: "(")
            try expect(keyword: "SELECT")
            let check = try select()
            try expect(symbol: ")")
            statement = .exists(check)
        } else if current.kind == .end {
            throw .malformedStatement("Unexpected end of statement")
        } else {
            throw .malformedStatement("Expected data manipulation")
        }
        _ = accept(symbol: ";")
        guard current.kind == .end else {
            if let clause = ["LIMIT", "OFFSET", "GROUP", "HAVING"].first(where: current.isKeyword) {
                throw .validation("Unsupported clause: \(clause)")
            }
            throw unexpected()
        }
        return statement
    }

    /// After SELECT: `* | path, …` FROM table[.index] [WHERE …] [ORDER BY key [ASC|DESC]].
    private mutating func select() throws(DynamoError) -> PartiQLStatement.Select {
        var projection: [DocumentPath]?
        if accept(symbol: "*") {
            if current.isSymbol(",") {
                throw .validation("Other attributes should not be present in the projection when '*' is used.")
            }
        } else {
            var paths: [DocumentPath] = []
            repeat {
                if current.kind == .word, tokens[position + 1].isSymbol("(") {
                    throw .validation("Unsupported operation: functions in the select clause")
                }
                paths.append(try path())
                if current.isKeyword("AS") { throw .validation("Aliasing is not supported") }
                if accept(symbol: "*") || current.isSymbol("*") { throw unexpected() }
            } while accept(symbol: ",")
            try Self.checkDistinctNames(paths)
            projection = paths
        }
        try expect(keyword: "FROM")
        let table = try name()
        var index: String?
        if accept(symbol: ".") { index = try name() }
        if current.isSymbol(",") || current.isKeyword("JOIN") {
            throw .validation("Only select from a single table or index is supported.")
        }
        var select = PartiQLStatement.Select(projection: projection, table: table, index: index)
        if accept(keyword: "WHERE") { select.condition = try condition() }
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            select.orderBy = try path()
            if accept(keyword: "DESC") {
                select.descending = true
            } else {
                _ = accept(keyword: "ASC")
            }
        }
        return select
    }

    /// A projection returns each path under its last name, so two paths may not end alike.
    private static func checkDistinctNames(_ paths: [DocumentPath]) throws(DynamoError) {
        var seen = Set<String>()
        for path in paths where !seen.insert(PartiQLOutput.name(of: path)).inserted {
            throw .validation("Duplicate identifiers in select clause: \(PartiQLOutput.name(of: path))")
        }
    }

    /// After INSERT: INTO table VALUE {…}.
    private mutating func insert() throws(DynamoError) -> PartiQLStatement.Insert {
        try expect(keyword: "INTO")
        let table = try name()
        if current.isKeyword("VALUES") || current.isSymbol("<<") {
            throw .validation(#"Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead"#)
        }
        try expect(keyword: "VALUE")
        guard current.isSymbol("{") || current.kind == .parameter else {
            throw .validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")
        }
        let item = try value()
        if current.isKeyword("RETURNING") { throw .validation("RETURNING is not supported in INSERT") }
        return PartiQLStatement.Insert(table: table, item: item)
    }

    /// After UPDATE: table (SET path = value, … | REMOVE path, …)+ [WHERE …] [RETURNING …].
    private mutating func update() throws(DynamoError) -> PartiQLStatement.Update {
        let table = try name()
        var actions: [PartiQLStatement.Action] = []
        while true {
            if accept(keyword: "SET") {
                repeat {
                    let target = try path()
                    try expect(symbol: "=")
                    actions.append(.set(target, try value()))
                } while accept(symbol: ",")
            } else if accept(keyword: "REMOVE") {
                repeat { actions.append(.remove(try path())) } while accept(symbol: ",")
            } else if current.isKeyword("ADD") || (current.isKeyword("DELETE") && !actions.isEmpty) {
                throw .validation("Only SET and REMOVE are supported in update expressions at this time")
            } else {
                break
            }
        }
        if actions.isEmpty { throw unexpected() }
        var update = PartiQLStatement.Update(table: table, actions: actions)
        if accept(keyword: "WHERE") { update.condition = try condition() }
        update.returning = try returning()
        return update
    }

    /// After DELETE: FROM table [WHERE …] [RETURNING ALL OLD *].
    private mutating func delete() throws(DynamoError) -> PartiQLStatement.Delete {
        try expect(keyword: "FROM")
        var delete = PartiQLStatement.Delete(table: try name())
        if accept(keyword: "WHERE") { delete.condition = try condition() }
        delete.returning = try returning()
        if let returning = delete.returning, returning != .allOld {
            throw .validation("Invalid returning clause: RETURNING \(returning.words). Only RETURNING ALL OLD * is allowed in DELETE statements.")
        }
        return delete
    }

    /// `RETURNING (ALL | MODIFIED) (OLD | NEW) *`.
    private mutating func returning() throws(DynamoError) -> PartiQLStatement.Returning? {
        guard accept(keyword: "RETURNING") else { return nil }
        let all = accept(keyword: "ALL")
        if !all { try expect(keyword: "MODIFIED") }
        let old = accept(keyword: "OLD")
        if !old { try expect(keyword: "NEW") }
        guard accept(symbol: "*") else {
            throw .validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
        }
        switch (all, old) {
        case (true, true): return .allOld
        case (true, false): return .allNew
        case (false, true): return .modifiedOld
        case (false, false): return .modifiedNew
        }
    }
}

extension PartiQLStatement.Returning {
    /// The clause as written: `ALL OLD *`.
    var words: String {
        switch self {
        case .allOld: "ALL OLD *"
        case .allNew: "ALL NEW *"
        case .modifiedOld: "MODIFIED OLD *"
        case .modifiedNew: "MODIFIED NEW *"
        }
    }
}
