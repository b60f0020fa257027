import Foundation
import NimbusCore

/// A function's `Events`: `Api` and `HttpApi` become routes, `Schedule` and `ScheduleV2` become
/// schedules; other event sources are reported and ignored.
struct EventReader {
    let context: TemplateContext

    static let methods: Set<String> = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    func read(_ node: TemplateNode, at path: String, function: FunctionName) throws(TemplateError) -> [FunctionEvent] {
        var events: [FunctionEvent] = []
        for entry in try node.mapping(at: path) {
            let eventPath = TemplatePath.join(path, entry.key)
            let event = try PropertyMap(entry.value, path: eventPath, line: entry.value.line, context: context)
            let type = try event.requiredString("Type")
            let properties = try PropertyMap(
                entry.value["Properties"], path: event.path("Properties"), line: entry.value.line, context: context)
            let kind: FunctionEvent.Kind
            switch type {
            case "Api": kind = .http(try route(properties, api: .rest, function: function))
            case "HttpApi": kind = .http(try route(properties, api: .http, function: function))
            case "Schedule": kind = .schedule(try schedule(properties, expressionKey: "Schedule"))
            case "ScheduleV2": kind = .schedule(try schedule(properties, expressionKey: "ScheduleExpression"))
            default:
                context.warn(eventPath, "event type \(type) is not supported by Nimbus; ignored")
                continue
            }
            events.append(FunctionEvent(logicalID: entry.key, kind: kind))
        }
        return events
    }

    /// `Api` needs `Path` and `Method`; an `HttpApi` without them is the catch-all route.
    private func route(_ properties: PropertyMap, api: HTTPRoute.API, function: FunctionName)
        throws(TemplateError) -> HTTPRoute
    {
        let path = api == .rest ? try properties.requiredString("Path") : try properties.string("Path") ?? "/{proxy+}"
        guard path.hasPrefix("/") else {
            throw .at(properties.path("Path"), line: properties.line(of: "Path"), "must start with '/'")
        }
        let written = api == .rest ? try properties.requiredString("Method") : try properties.string("Method") ?? "ANY"
        let method = written.uppercased()
        guard method == "ANY" || Self.methods.contains(method) else {
            throw .at(properties.path("Method"), line: properties.line(of: "Method"), "unknown HTTP method '\(written)'")
        }
        return HTTPRoute(api: api, path: path, method: method == "ANY" ? nil : method, function: function)
    }

    private func schedule(_ properties: PropertyMap, expressionKey: String) throws(TemplateError) -> ScheduleEvent {
        let expression = try properties.requiredString(expressionKey)
        let isKnownForm = ["rate(", "cron(", "at("].contains { expression.hasPrefix($0) } && expression.hasSuffix(")")
        guard isKnownForm else {
            throw .at(properties.path(expressionKey), line: properties.line(of: expressionKey),
                "expected rate(…), cron(…) or at(…), got '\(expression)'")
        }
        var enabled = try properties.flag("Enabled") ?? true
        if let state = try properties.string("State") {
            switch state.uppercased() {
            case "ENABLED": enabled = true
            case "DISABLED": enabled = false
            default:
                throw .at(properties.path("State"), line: properties.line(of: "State"), "expected ENABLED or DISABLED")
            }
        }
        return ScheduleEvent(
            expression: expression, input: try input(properties), enabled: enabled, name: try properties.string("Name"))
    }

    /// `Input` is JSON text; a mapping written in YAML is accepted and serialised.
    private func input(_ properties: PropertyMap) throws(TemplateError) -> String? {
        guard let node = try properties.value("Input") else { return nil }
        if node.scalar != nil { return try node.text(at: properties.path("Input")) }
        return String(decoding: node.json.jsonData(), as: UTF8.self)
    }
}
