/// An `execute-api` resource ARN: `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH`, the `methodArn` a REST
/// authorizer receives and the `Resource` its policy names. Any part may be `*`.
public struct ExecuteAPIARN: Sendable, Hashable, CustomStringConvertible {
    /// `aws`, `aws-cn`, `aws-us-gov`.
    public var partition: String
    /// The region.
    public var region: String
    /// The account id.
    public var account: String
    /// The API id.
    public var apiID: String
    /// The stage.
    public var stage: String
    /// The HTTP verb, or `*`.
    public var verb: String
    /// The resource path without its leading `/` (`tenants/acme/wish-list`); may end in `*`.
    public var path: String

    /// An ARN from its parts.
    public init(partition: String = "aws", region: String, account: String, apiID: String, stage: String, verb: String,
                path: String) {
        self.partition = partition
        self.region = region
        self.account = account
        self.apiID = apiID
        self.stage = stage
        self.verb = verb
        self.path = path.hasPrefix("/") ? String(path.dropFirst()) : path
    }

    /// Parses an ARN; nil when it is not an `execute-api` ARN with API, stage and verb.
    public init?(_ text: String) {
        // Five `:` separate the ARN's fields, then up to three `/` the resource's; found byte by byte (splitting by
        // `Character` was a seventh of a TOKEN authorizer's instructions per invocation).
        var text = text
        let parts: [String] = text.withUTF8 { bytes in
            var parts: [String] = []
            var start = 0
            for index in bytes.indices {
                let separator = parts.count < 5 ? UInt8(ascii: ":") : UInt8(ascii: "/")
                guard parts.count < 8, bytes[index] == separator else { continue }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return parts
        }
        guard parts.count >= 8, parts[0] == "arn", parts[2] == "execute-api",
              !parts[5].isEmpty, !parts[6].isEmpty, !parts[7].isEmpty else { return nil }
        self.init(partition: parts[1], region: parts[3], account: parts[4], apiID: parts[5], stage: parts[6], verb: parts[7],
                  path: "")
        // Verbatim: a request path such as `//x` keeps its extra slash, so the ARN prints back as it was read.
        path = parts.count == 9 ? parts[8] : ""
    }

    /// The ARN text.
    public var description: String {
        "arn:\(partition):execute-api:\(region):\(account):\(apiID)/\(stage)/\(verb)/\(path)"
    }

    /// The ARN of every method and path of this API and stage (`…/STAGE/*/*`): what a caching authorizer should
    /// allow, so a cached policy keeps working for the caller's next, different route.
    public var allMethodsOfStage: ExecuteAPIARN {
        ExecuteAPIARN(partition: partition, region: region, account: account, apiID: apiID, stage: stage, verb: "*",
                      path: "*")
    }
}
