internal import Crypto
import NimbusCore

/// ExecuteStatement's NextToken: where the page stopped (its LastEvaluatedKey) and a digest of the
/// statement and parameters, in base64. Opaque to clients; a token only continues the request it
/// came from, so a page can never resume outside the partition its statement reads.
enum PartiQLNextToken {
    static func encode(key: Item, request: Digest) -> String {
        let json = JSON.object(["k": .raw(DynamoEngine.encode(key)), "d": .string(request.text)])
        return Base64.encode(JSONWriter.serialize(json))
    }

    static func decode(_ token: String, request: Digest) throws(DynamoError) -> Item {
        let invalid = DynamoError.validation("Invalid NextToken")
        guard case .success(let bytes) = Base64.decode(token), let json: JSON = try? JSONParser.parse(bytes),
            case .string(let digest)? = json["d"], let raw = json["k"]
        else { throw invalid }
        guard let key = try? AttributeValue.item(json: raw) else { throw invalid }
        guard digest == request.text else { throw .validation("NextToken does not match request") }
        return key
    }

    /// Identifies a statement with its parameters.
    struct Digest {
        var text: String

        init(statement: String, parameters: JSON?) {
            var hash = SHA256()
            hash.update(data: Array(statement.utf8))
            hash.update(data: JSONWriter.canonical(parameters ?? .null))
            text = Base64.encode(Array(hash.finalize().prefix(12)))
        }
    }
}
