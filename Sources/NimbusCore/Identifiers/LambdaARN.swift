/// Lambda's ARNs, written one way wherever a module names a function or a layer.
public enum LambdaARN {
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`; `name` may carry a `:qualifier`.
    public static func function(_ name: String, region: String, accountID: String) -> String {
        "arn:aws:lambda:\(region):\(accountID):function:\(name)"
    }

    /// `arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`.
    public static func layer(_ name: String, version: Int = 1, region: String, accountID: String) -> String {
        "arn:aws:lambda:\(region):\(accountID):layer:\(name):\(version)"
    }
}
