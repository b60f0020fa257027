import ArgumentParser
import NimbusTemplate

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a SAM template without starting anything.")

    @Argument(help: "The SAM template.")
    var template: String = "template.yaml"

    func run() throws {
        do {
            let stack = try TemplateLoader().load(fileAt: template)
            for warning in stack.warnings { print("warning: \(warning)") }
            print("\(template): valid (\(stack.functions.count) functions, \(stack.routes.count) routes, \(stack.tables.count) tables, \(stack.buckets.count) buckets)")
        } catch {
            print("error: \(error.description)")
            throw ExitCode(1)
        }
    }
}
