import NimbusCore
import NimbusTemplate
import Testing

struct TableAndBucketTests {
    @Test func dynamoTableKeepsItsPropertiesResolved() throws {
        let yaml = """
            Parameters:
              Prefix: {Type: String, Default: e2e}
            Resources:
              Items:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: !Sub "${Prefix}-items"
                  BillingMode: PAY_PER_REQUEST
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  ProvisionedThroughput: !Ref AWS::NoValue
                  TimeToLiveSpecification: {AttributeName: ttl, Enabled: true}
            """
        let table = try #require(try load(yaml).tables.first)
        #expect(table.tableName == "e2e-items")
        #expect(table.properties == .object([
            "TableName": .string("e2e-items"),
            "BillingMode": .string("PAY_PER_REQUEST"),
            "KeySchema": .array([.object(["AttributeName": .string("id"), "KeyType": .string("HASH")])]),
            "AttributeDefinitions": .array([.object(["AttributeName": .string("id"), "AttributeType": .string("S")])]),
            "TimeToLiveSpecification": .object(["AttributeName": .string("ttl"), "Enabled": .bool(true)]),
        ]))
    }

    @Test func simpleTableBecomesCreateTableInput() throws {
        let yaml = """
            Resources:
              Sessions:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  PrimaryKey: {Name: sessionId, Type: Number}
                  Tags: {team: core}
              Plain:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
            """
        let tables = try load(yaml).tables
        #expect(tables.map(\.tableName) == ["Sessions", "Plain"])
        #expect(tables[0].properties == .object([
            "TableName": .string("Sessions"),
            "KeySchema": .array([.object(["AttributeName": .string("sessionId"), "KeyType": .string("HASH")])]),
            "AttributeDefinitions": .array([.object(["AttributeName": .string("sessionId"), "AttributeType": .string("N")])]),
            "BillingMode": .string("PAY_PER_REQUEST"),
            "Tags": .array([.object(["Key": .string("team"), "Value": .string("core")])]),
        ]))
        #expect(tables[1].properties["BillingMode"] == .string("PROVISIONED"))
        #expect(tables[1].properties["AttributeDefinitions"] == .array([.object(["AttributeName": .string("id"), "AttributeType": .string("S")])]))
        #expect(tables[1].properties["ProvisionedThroughput"] == .object(["ReadCapacityUnits": .number(5), "WriteCapacityUnits": .number(5)]))
    }

    @Test func bucketsAreNamedAndKeepLifecycle() throws {
        let yaml = """
            Resources:
              UploadsBucket:
                Type: AWS::S3::Bucket
              Named:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: !Sub "${AWS::AccountId}-named"
                  LifecycleConfiguration:
                    Rules: [{Id: expire, Status: Enabled, ExpirationInDays: 7}]
            """
        let buckets = try load(yaml).buckets
        #expect(buckets.map(\.bucketName) == ["uploadsbucket", "000000000000-named"])
        #expect(buckets[0].properties == .object(["BucketName": .string("uploadsbucket")]))
        #expect(buckets[1].properties["LifecycleConfiguration"] == .object([
            "Rules": .array([.object(["Id": .string("expire"), "Status": .string("Enabled"), "ExpirationInDays": .number(7)])])
        ]))
    }
}

struct UnsupportedStoragePropertyTests {
    @Test func bucketAndTablePropertiesNimbusDoesNotActOnAreWarnings() throws {
        let yaml = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Uploads:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: uploads
                  VersioningConfiguration: {Status: Enabled}
                  NotificationConfiguration: {EventBridgeConfiguration: {EventBridgeEnabled: true}}
                  PublicAccessBlockConfiguration: {BlockPublicAcls: true}
                  CorsConfiguration: {CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [GET]}]}
                  AccelerateConfiguration: {AccelerationStatus: Enabled}
              Items:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  StreamSpecification: {StreamViewType: NEW_IMAGE}
                  TableClass: STANDARD_INFREQUENT_ACCESS
              Sessions:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  PrimaryKey: {Name: id, Type: String}
                  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
            """
        let stack = try load(yaml)
        #expect(stack.buckets.count == 1)
        #expect(stack.tables.count == 2)
        #expect(stack.warnings.sorted() == [
            "Resources.Sessions.Properties.PointInTimeRecoverySpecification: ignored: point-in-time recovery backups are not kept",
            "Resources.Uploads.Properties.AccelerateConfiguration: not supported by Nimbus; ignored",
            "Resources.Uploads.Properties.NotificationConfiguration: ignored: bucket notifications are not sent",
        ])
    }
}
