/// A loaded SAM template: what `nimbus up` runs.
public struct StackDefinition: Sendable, Hashable {
    public var functions: [FunctionConfiguration]
    public var layers: [LayerDefinition]
    public var tables: [TableDefinition]
    public var buckets: [BucketDefinition]
    /// Human-readable notes for things Nimbus accepted but does not act on
    /// (unsupported resource types, ignored properties).
    public var warnings: [String]

    public init(
        functions: [FunctionConfiguration] = [],
        layers: [LayerDefinition] = [],
        tables: [TableDefinition] = [],
        buckets: [BucketDefinition] = [],
        warnings: [String] = []
    ) {
        self.functions = functions
        self.layers = layers
        self.tables = tables
        self.buckets = buckets
        self.warnings = warnings
    }

    public var routes: [HTTPRoute] { functions.flatMap(\.httpRoutes) }

    public func function(named name: FunctionName) -> FunctionConfiguration? {
        functions.first { $0.name == name }
    }
}

/// `AWS::Serverless::LayerVersion`.
public struct LayerDefinition: Sendable, Hashable {
    public var logicalID: String
    public var name: String
    /// Absolute path of `ContentUri`.
    public var contentPath: String

    public init(logicalID: String, name: String, contentPath: String) {
        self.logicalID = logicalID
        self.name = name
        self.contentPath = contentPath
    }
}

/// `AWS::DynamoDB::Table` (and `AWS::Serverless::SimpleTable`), kept for provisioning.
public struct TableDefinition: Sendable, Hashable {
    public var logicalID: String
    public var tableName: String
    /// The resource's `Properties` as plain JSON-compatible values (intrinsics resolved),
    /// so the DynamoDB service can read them exactly as `CreateTable` input.
    public var properties: JSONValue

    public init(logicalID: String, tableName: String, properties: JSONValue) {
        self.logicalID = logicalID
        self.tableName = tableName
        self.properties = properties
    }
}

/// `AWS::S3::Bucket`, kept for provisioning.
public struct BucketDefinition: Sendable, Hashable {
    public var logicalID: String
    public var bucketName: String
    /// The resource's `Properties` (intrinsics resolved), incl. `LifecycleConfiguration`.
    public var properties: JSONValue

    public init(logicalID: String, bucketName: String, properties: JSONValue) {
        self.logicalID = logicalID
        self.bucketName = bucketName
        self.properties = properties
    }
}
