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
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", fields[2] == "execute-api" else { return nil }
        let resource = fields[5].split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard resource.count >= 3, !resource[0].isEmpty, !resource[1].isEmpty, !resource[2].isEmpty else { return nil }
        self.init(partition: String(fields[1]), region: String(fields[3]), account: String(fields[4]),
                  apiID: String(resource[0]), stage: String(resource[1]), verb: String(resource[2]),
                  path: "")
        // Verbatim: a request path such as `//x` keeps its extra slash, so the ARN prints back as it was read.
        path = resource.count == 4 ? String(resource[3]) : ""
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
