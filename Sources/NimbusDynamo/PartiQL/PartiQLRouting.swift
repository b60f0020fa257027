/// Which PartiQL calls only read, decided from the statements' first word before anything is
/// parsed or planned: those run on a reader like Query and Scan, the rest on the writer. A
/// statement that fails to lex goes to the writer, which reports the error.
enum PartiQLRouting {
    static func readsOnly(_ operation: String, _ request: RequestFields) -> Bool {
        switch operation {
        case "ExecuteStatement":
            return isSelect(request["Statement"])
        case "BatchExecuteStatement":
            guard case .array(let entries)? = request["Statements"], !entries.isEmpty else { return false }
            return entries.allSatisfy { isSelect($0["Statement"]) }
        default:
            return false
        }
    }

    private static func isSelect(_ statement: JSON?) -> Bool {
        guard case .string(let text)? = statement, let tokens = try? PartiQLLexer.tokenize(text) else { return false }
        return tokens[0].isKeyword("SELECT")
    }
}
