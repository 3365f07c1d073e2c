/// The effect of a policy statement; anything but exactly `Allow` or `Deny` is refused when decoding.
public enum Effect: String, Codable, Sendable {
    case allow = "Allow"
    case deny = "Deny"
}

/// An IAM policy document as a Lambda authorizer returns it. `Action` and `Resource` are always arrays in the
/// model; decoding also accepts IAM's single-string form, and a single `Statement` object.
public struct PolicyDocument: Codable, Sendable, Equatable {
    /// `2012-10-17`.
    public var version: String
    /// The statements, evaluated together.
    public var statements: [Statement]

    /// A document of `statements`.
    public init(version: String = "2012-10-17", statements: [Statement]) {
        self.version = version
        self.statements = statements
    }

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case statements = "Statement"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        if let many = try? container.decode([Statement].self, forKey: .statements) {
            statements = many
        } else {
            statements = [try container.decode(Statement.self, forKey: .statements)]
        }
    }

    /// One statement: an effect on actions over resources, under optional conditions.
    public struct Statement: Codable, Sendable, Equatable {
        /// Allow or Deny.
        public var effect: Effect
        /// Actions (`execute-api:Invoke`), wildcards allowed.
        public var actions: [String]
        /// Resource ARNs, wildcards allowed.
        public var resources: [String]
        /// `{ operator: { key: [values] } }`, e.g. `{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}`.
        public var conditions: [String: [String: [String]]]?

        /// A statement.
        public init(effect: Effect, actions: [String] = ["execute-api:Invoke"], resources: [String],
                    conditions: [String: [String: [String]]]? = nil) {
            self.effect = effect
            self.actions = actions
            self.resources = resources
            self.conditions = conditions
        }

        enum CodingKeys: String, CodingKey {
            case effect = "Effect"
            case actions = "Action"
            case resources = "Resource"
            case conditions = "Condition"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            effect = try container.decode(Effect.self, forKey: .effect)
            actions = try container.decode(StringOrList.self, forKey: .actions).values
            resources = try container.decode(StringOrList.self, forKey: .resources).values
            conditions = try container.decodeIfPresent([String: [String: StringOrList]].self, forKey: .conditions)?
                .mapValues { $0.mapValues(\.values) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(effect, forKey: .effect)
            try container.encode(actions, forKey: .actions)
            try container.encode(resources, forKey: .resources)
            try container.encodeIfPresent(conditions, forKey: .conditions)
        }
    }
}

/// IAM JSON's "a string or a list of strings".
struct StringOrList: Codable, Sendable {
    let values: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}
