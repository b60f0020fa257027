import NimbusCore

/// `Fn::GetAtt`: the attributes templates use to wire resources together, as AWS would spell them.
extension TemplateContext {
    func getAtt(_ argument: TemplateNode, line: Int?, at path: String) throws(TemplateError) -> TemplateNode {
        let resource: String
        let attribute: String
        if argument.items != nil {
            let items = try arguments(of: "Fn::GetAtt", argument, count: 2...2, at: path)
            resource = try resolveValue(items[0], at: path, in: "Fn::GetAtt").text(at: path)
            attribute = try resolveValue(items[1], at: path, in: "Fn::GetAtt").text(at: path)
        } else {
            let dotted = try resolveValue(argument, at: path, in: "Fn::GetAtt").text(at: path)
            guard let dot = dotted.firstIndex(of: ".") else {
                throw .at(path, line: line, "Fn::GetAtt: expected 'Resource.Attribute', got '\(dotted)'")
            }
            resource = String(dotted[..<dot])
            attribute = String(dotted[dotted.index(after: dot)...])
        }
        return .string(try attributeValue(resource, attribute, in: "Fn::GetAtt", line: line, at: path), line: line)
    }

    func attributeValue(_ logicalID: String, _ attribute: String, in function: String, line: Int?, at path: String)
        throws(TemplateError) -> String
    {
        guard let type = resources[logicalID]?.type ?? implicitResourceType(of: logicalID) else {
            throw .at(path, line: line, "\(function): unknown resource '\(logicalID)'")
        }
        let prefix = "arn:aws"
        if ResourceType.supported.contains(type) {
            let name = try physicalName(of: logicalID, line: line, at: path)
            let value: String? =
                switch (type, attribute) {
                case (ResourceType.serverlessFunction, "Arn"):
                    "\(prefix):lambda:\(region):\(accountID):function:\(name)"
                case (ResourceType.dynamoTable, "Arn"), (ResourceType.simpleTable, "Arn"):
                    "\(prefix):dynamodb:\(region):\(accountID):table/\(name)"
                case (ResourceType.dynamoTable, "StreamArn"), (ResourceType.simpleTable, "StreamArn"):
                    "\(prefix):dynamodb:\(region):\(accountID):table/\(name)/stream/1970-01-01T00:00:00.000"
                case (ResourceType.bucket, "Arn"): "\(prefix):s3:::\(name)"
                case (ResourceType.bucket, "DomainName"): "\(name).s3.amazonaws.com"
                case (ResourceType.bucket, "RegionalDomainName"): "\(name).s3.\(region).amazonaws.com"
                case (ResourceType.bucket, "WebsiteURL"): "http://\(name).s3-website-\(region).amazonaws.com"
                case (ResourceType.serverlessLayer, "Arn"), (ResourceType.lambdaLayer, "Arn"):
                    try layerARN(name: layerName(of: resources[logicalID]!))
                default: nil
                }
            guard let value else {
                throw .at(path, line: line, "\(function): \(logicalID) (\(type)) has no attribute '\(attribute)'")
            }
            return value
        }
        // Types Nimbus ignores: an ARN in the right shape keeps policies and wiring readable.
        guard attribute == "Arn" else {
            warn(path, "\(function) \(logicalID).\(attribute) of ignored type \(type) resolves to '\(logicalID)'")
            return logicalID
        }
        let parts = type.split(separator: "::")
        let service = parts.count > 1 ? parts[1].lowercased() : "unknown"
        if service == "iam" { return "\(prefix):iam::\(accountID):role/\(logicalID)" }
        return "\(prefix):\(service):\(region):\(accountID):\(logicalID)"
    }

    func layerARN(name: String) -> String {
        LambdaARN.layer(name, region: region, accountID: accountID)
    }
}
