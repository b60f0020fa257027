import Foundation

extension TemplateReader {
    /// Parameter values: the override given to the loader, else `Default`. `CommaDelimitedList`
    /// and `List<…>` parameters become lists.
    func readParameters(_ node: TemplateNode?) throws(TemplateError) {
        let parameters = try node?.mapping(at: "Parameters") ?? []
        for parameter in parameters {
            let path = TemplatePath.join("Parameters", parameter.key)
            let fields = try PropertyMap(parameter.value, path: path, line: parameter.value.line, context: context)
            let type = try fields.requiredString("Type")
            let written: String
            if let override = parameterOverrides[parameter.key] {
                written = override
            } else if let defaultValue = try fields.value("Default") {
                written = try defaultValue.items != nil
                    ? defaultValue.textList(at: fields.path("Default")).joined(separator: ",")
                    : defaultValue.text(at: fields.path("Default"))
            } else {
                throw .at(path, line: parameter.value.line, "no value: give it a Default or a parameter override")
            }
            if let allowed = try fields.textList("AllowedValues"), !allowed.contains(written) {
                throw .at(path, line: parameter.value.line,
                    "value '\(written)' is not one of AllowedValues (\(allowed.joined(separator: ", ")))")
            }
            if type == "Number", !YAMLReader.isNumber(written) {
                throw .at(path, line: parameter.value.line, "value '\(written)' is not a number")
            }
            if type.hasPrefix("AWS::SSM::Parameter::") {
                context.warn(path, "SSM parameters are not looked up; the value is used as written")
            }
            let isList = type == "CommaDelimitedList" || type.hasPrefix("List<")
            let items = written.split(separator: ",", omittingEmptySubsequences: false)
            context.parameters[parameter.key] =
                isList ? .list(items.map { $0.trimmingCharacters(in: .whitespaces) }) : .string(written)
        }
        for name in parameterOverrides.keys.sorted() where context.parameters[name] == nil {
            context.warn("Parameters", "override '\(name)' matches no parameter; ignored")
        }
    }
}
