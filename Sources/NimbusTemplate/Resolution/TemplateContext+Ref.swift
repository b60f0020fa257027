/// `Ref`: pseudo parameters, template parameters and resources (their physical names).
extension TemplateContext {
    /// Resolves a name as `Ref` does; nil for `AWS::NoValue`. `function` names the caller in messages.
    func ref(_ name: String, in function: String, line: Int?, at path: String) throws(TemplateError) -> TemplateNode? {
        if name == "AWS::NoValue" { return nil }
        if let value = pseudoParameter(name) { return value.node(line: line) }
        if let value = parameters[name] { return value.node(line: line) }
        if resources[name] != nil { return .string(try physicalName(of: name, line: line, at: path), line: line) }
        if implicitResourceType(of: name) != nil { return .string(name, line: line) }
        throw .at(path, line: line, "\(function): unknown parameter or resource '\(name)'")
    }

    func pseudoParameter(_ name: String) -> ParameterValue? {
        switch name {
        case "AWS::Region": .string(region)
        case "AWS::AccountId": .string(accountID)
        case "AWS::StackName": .string(stackName)
        case "AWS::StackId":
            .string("arn:aws:cloudformation:\(region):\(accountID):stack/\(stackName)/00000000-0000-0000-0000-000000000000")
        case "AWS::Partition": .string("aws")
        case "AWS::URLSuffix": .string("amazonaws.com")
        case "AWS::NotificationARNs": .list([])
        default: nil
        }
    }

    /// Resources SAM creates behind the scenes, which templates may refer to: the implicit APIs
    /// and a function's execution role. Nimbus has no such resources; references get the logical id.
    func implicitResourceType(of name: String) -> String? {
        switch name {
        case "ServerlessRestApi": return "AWS::ApiGateway::RestApi"
        case "ServerlessHttpApi": return "AWS::ApiGatewayV2::Api"
        default:
            guard name.hasSuffix("Role"), let function = resources[String(name.dropLast(4))],
                function.type == ResourceType.serverlessFunction
            else { return nil }
            return "AWS::IAM::Role"
        }
    }

    /// The name a resource gets (what `Ref` returns): the function, table or bucket name, the
    /// layer's absolute folder, or the logical id for types Nimbus does not run.
    func physicalName(of logicalID: String, line: Int?, at path: String) throws(TemplateError) -> String {
        if let name = physicalNames[logicalID] { return name }
        guard let entry = resources[logicalID] else {
            throw .at(path, line: line, "unknown resource '\(logicalID)'")
        }
        if let condition = entry.condition, try !self.condition(named: condition, line: line, at: path) {
            throw .at(path, line: line, "'\(logicalID)' is not created because condition '\(condition)' is false")
        }
        guard namesInProgress.insert(logicalID).inserted else {
            throw .at(path, line: line, "circular reference through '\(logicalID)'")
        }
        defer { namesInProgress.remove(logicalID) }
        let name: String
        switch entry.type {
        case let type where ResourceType.isFunction(type):
            name = try nameProperty("FunctionName", of: entry) ?? logicalID
        case let type where ResourceType.isTable(type):
            name = try nameProperty("TableName", of: entry) ?? logicalID
        case ResourceType.bucket:
            name = try nameProperty("BucketName", of: entry) ?? logicalID.lowercased()
        case let type where ResourceType.isLayer(type):
            name = try layerContentPath(of: entry)
        default:
            name = logicalID
        }
        physicalNames[logicalID] = name
        return name
    }

    func nameProperty(_ key: String, of entry: ResourceEntry) throws(TemplateError) -> String? {
        guard let node = entry.properties?[key] else { return nil }
        let path = TemplatePath.join(entry.path, "Properties.\(key)")
        guard let value = try resolve(node, at: path), !value.isNull else { return nil }
        return try value.text(at: path)
    }

    /// The absolute folder of a layer's `ContentUri` (SAM) or `Content` (CloudFormation, local folder form).
    func layerContentPath(of entry: ResourceEntry, mustExist: Bool = false) throws(TemplateError) -> String {
        let key = entry.type == ResourceType.serverlessLayer ? "ContentUri" : "Content"
        let path = TemplatePath.join(entry.path, "Properties.\(key)")
        guard let node = entry.properties?[key], let value = try resolve(node, at: path), !value.isNull else {
            throw .at(path, line: entry.properties?.line ?? entry.node.line, "missing")
        }
        return try localFolder(value, at: path, mustExist: mustExist)
    }

    /// `LayerName`, else the logical id: the name in the layer's ARN.
    func layerName(of entry: ResourceEntry) throws(TemplateError) -> String {
        try nameProperty("LayerName", of: entry) ?? entry.logicalID
    }
}
