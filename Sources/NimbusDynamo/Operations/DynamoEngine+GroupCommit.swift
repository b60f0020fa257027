extension DynamoEngine {
    /// Runs item writes that arrived together in one SQLite transaction, each request in its own
    /// savepoint (so each is still all or nothing on its own), so that one commit, one fsync, makes
    /// them all durable. No result may be sent before this returns. If the commit fails, none of
    /// the writes happened and every request that had succeeded fails.
    func commitTogether(_ calls: [Call]) -> [Result<JSON, DynamoError>] {
        do {
            return try store.database.transaction { () -> [Result<JSON, DynamoError>] in
                calls.map { call in
                    Result { () throws(DynamoError) -> JSON in
                        try transaction { () throws(DynamoError) -> JSON in try call.operation(self)(call.request) }
                    }
                }
            }
        } catch {
            let failure: DynamoError
            switch error {
            case .sqlite(let cause):
                logger.error("SQLite failure committing a group of writes", metadata: ["error": "\(cause)"])
                failure = cause.dynamoError
            case .body(let never):
                switch never {}
            }
            return Array(repeating: .failure(failure), count: calls.count)
        }
    }
}
