import Foundation
import Hummingbird
import NIOPosix
import NimbusCore

/// Lambda's read-only control plane for the template's functions: ListFunctions
/// (`GET /2015-03-31/functions/`), GetFunction (`…/functions/{name}`) and GetFunctionConfiguration
/// (`…/functions/{name}/configuration`), as boto3, the AWS CLI and its `function-active` waiter
/// call them. Functions come from the template, so there is nothing to create, update or delete.
public struct FunctionsController: Sendable {
    static let defaultPageSize = 50

    /// Each function with the revision id it has since start-up.
    let functions: [FunctionName: (configuration: FunctionConfiguration, revisionID: String)]
    let region: String
    let accountID: String
    let deployed: Date

    public init(functions: [FunctionConfiguration], region: String, accountID: String, deployed: Date = Date()) {
        self.functions = Dictionary(
            functions.map { ($0.name, ($0, UUID().uuidString.lowercased())) }, uniquingKeysWith: { first, _ in first })
        self.region = region
        self.accountID = accountID
        self.deployed = deployed
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        // Describing a function reads its whole code folder (CodeSha256): on the thread pool, not on
        // the event loop that serves other connections meanwhile.
        router.get("2015-03-31/functions") { request, _ in
            try await NIOThreadPool.singleton.runIfActive { self.list(request) }
        }
        router.get("2015-03-31/functions/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            return try await NIOThreadPool.singleton.runIfActive { self.describe(request, name: name) { $0.getFunctionAnswer } }
        }
        router.get("2015-03-31/functions/:name/configuration") { request, context in
            let name = context.parameters.get("name") ?? ""
            return try await NIOThreadPool.singleton.runIfActive { self.describe(request, name: name) { $0.configuration } }
        }
    }

    /// ListFunctions: in name order, `MaxItems` a page (50 by default), `Marker` the last name of
    /// the page before.
    func list(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        var pageSize = Self.defaultPageSize
        if let text = query.get("MaxItems") {
            guard let value = Int(text), (1...10_000).contains(value) else {
                return InvokeController.error(
                    .badRequest, "InvalidParameterValueException",
                    "1 validation error detected: Value '\(text)' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000")
            }
            pageSize = value
        }
        let marker = query.get("Marker")
        let remaining = functions.keys.sorted().filter { marker == nil || $0.rawValue > marker! }
        let page = remaining.prefix(pageSize)
        var answer: [String: Any] = ["Functions": page.compactMap { description(of: $0)?.configuration }]
        if remaining.count > pageSize, let last = page.last { answer["NextMarker"] = last.rawValue }
        return HTTPResponses.json(.ok, answer)
    }

    /// GetFunction / GetFunctionConfiguration: a name, partial or full ARN, with or without a
    /// qualifier, as Invoke accepts them.
    func describe(_ request: Request, name: String, answer: (FunctionDescription) -> [String: Any]) -> Response {
        let reference = name.removingPercentEncoding ?? name
        let qualifierParameter = request.uri.queryParameters.get("Qualifier")
        guard let (function, qualifier) = FunctionReference.parse(reference, qualifier: qualifierParameter),
            let configuration = functions[function]?.configuration, InvokeController.accepts(qualifier, for: configuration),
            let description = description(of: function)
        else {
            let qualified = reference + (qualifierParameter.map { ":" + $0 } ?? "")
            return InvokeController.functionNotFound(qualified, region: region, accountID: accountID)
        }
        return HTTPResponses.json(.ok, answer(description))
    }

    private func description(of name: FunctionName) -> FunctionDescription? {
        guard let (function, revisionID) = functions[name] else { return nil }
        return FunctionDescription(
            function: function, region: region, accountID: accountID, deployed: deployed, revisionID: revisionID,
            code: CodeDigest(folder: function.codePath))
    }
}
