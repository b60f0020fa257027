/// A bucket's CORS configuration: the document as the client wrote it (returned by GetBucketCors)
/// and its rules, which preflight (`OPTIONS`) and cross-origin requests are matched against.
struct CORSConfiguration: BucketDocument {
    /// The `<CORSConfiguration>` element, without an XML declaration.
    let xml: String
    let rules: [CORSRule]

    /// Parses and validates a PutBucketCors body, with S3's errors.
    init(xml body: [UInt8]) throws(S3Error) {
        let root = try XMLReader.document(body, root: "CORSConfiguration")
        let elements = root.children("CORSRule")
        guard !elements.isEmpty, elements.count <= 100 else { throw S3Error.malformedXML }
        var rules: [CORSRule] = []
        for element in elements {
            rules.append(try Self.rule(element))
        }
        self.rules = rules
        self.xml = XMLReader.documentWithoutDeclaration(body)
    }

    private static func rule(_ element: XMLTree) throws(S3Error) -> CORSRule {
        let values = { (name: String) in element.children(name).map { $0.text.trimmingXMLWhitespace() } }
        let rule = CORSRule(
            id: element.value("ID"), allowedOrigins: values("AllowedOrigin"), allowedMethods: values("AllowedMethod"),
            allowedHeaders: values("AllowedHeader"), exposeHeaders: values("ExposeHeader"),
            maxAgeSeconds: try element.value("MaxAgeSeconds").map(Self.maxAge))
        guard !rule.allowedOrigins.isEmpty, !rule.allowedMethods.isEmpty else { throw S3Error.malformedXML }
        if let id = rule.id, id.count > 255 {
            throw S3Error.invalidArgument("ID length should not exceed allowed limit of 255")
        }
        for method in rule.allowedMethods where !CORSRule.methods.contains(method) {
            throw S3Error.invalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is \(method)")
        }
        for origin in rule.allowedOrigins where origin.count(of: "*") > 1 {
            throw S3Error.invalidRequest("AllowedOrigin \"\(origin)\" can not have more than one wildcard.")
        }
        for header in rule.allowedHeaders where header.count(of: "*") > 1 {
            throw S3Error.invalidRequest("AllowedHeader \"\(header)\" can not have more than one wildcard.")
        }
        return rule
    }

    private static func maxAge(_ text: String) throws(S3Error) -> Int {
        guard let seconds = Int(text), seconds >= 0 else { throw S3Error.malformedXML }
        return seconds
    }

    /// The first rule that admits a request from `origin` with `method` (and, for a preflight,
    /// the headers it announces), as S3 evaluates them: in order.
    func rule(origin: String, method: String, headers: [String] = []) -> CORSRule? {
        rules.first { $0.allows(origin: origin) && $0.allows(method: method) && $0.allows(headers: headers) }
    }
}

extension String {
    fileprivate func count(of character: Character) -> Int {
        reduce(0) { $1 == character ? $0 + 1 : $0 }
    }
}
