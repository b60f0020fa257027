import ArgumentParser

struct NimbusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus",
        abstract: "A self-hosted, AWS-Lambda-compatible serverless platform.",
        subcommands: [Up.self, Invoke.self, Validate.self, BenchFloor.self]
    )
}
