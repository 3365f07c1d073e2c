/// An entity's identity: its type (a path such as `App::User`) and its id.
public struct EntityUID: Hashable, Sendable, CustomStringConvertible {
    /// The entity type, its path joined by `::`.
    public let type: String
    /// The entity id.
    public let id: String

    /// An entity uid.
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    public var description: String { type + "::" + CedarText.quoted(id) }
}

/// A Cedar value: a primitive, a set, a record or an extension value. Held inline (a set's and a record's storage is
/// on the heap already): evaluating makes values all the time, and a boxed one is an allocation each.
public enum CedarValue: Hashable, Sendable {
    case bool(Bool)
    case long(Int64)
    case string(String)
    case entity(EntityUID)
    /// Sets are unordered and hold each value once.
    case set(Set<CedarValue>)
    case record([String: CedarValue])
    /// `decimal`: four fractional digits, stored times 10,000.
    case decimal(Int64)
    /// Boxed: an address and its prefix would make every value three times larger.
    indirect case ip(IPNet)
    /// `datetime`: milliseconds since the Unix epoch.
    case datetime(Int64)
    /// `duration`: milliseconds.
    case duration(Int64)
}

/// An `ipaddr` value: an IPv4 or IPv6 address with its prefix length (32 or 128 when none was written).
public struct IPNet: Hashable, Sendable {
    /// Whether it is IPv6.
    public let isV6: Bool
    /// The address, right-aligned (IPv4 in the low 32 bits).
    public let address: UInt128
    /// The prefix length.
    public let prefix: Int

    var width: Int { isV6 ? 128 : 32 }

    /// The lowest and highest address of the network.
    var range: (low: UInt128, high: UInt128) {
        let hostBits = width - prefix
        let mask: UInt128 = hostBits >= 128 ? ~0 : (UInt128(1) << UInt128(hostBits)) - 1
        let low = address & ~mask
        return (low, low | mask)
    }

    /// Whether this network lies within `other` (same family).
    func isInRange(_ other: IPNet) -> Bool {
        guard isV6 == other.isV6 else { return false }
        let mine = range, theirs = other.range
        return theirs.high >= mine.high && mine.low >= theirs.low
    }
}

/// Why an expression could not be evaluated; the policy holding it is skipped and reported.
public enum CedarEvaluationError: Error, Equatable, Sendable {
    case entityDoesNotExist(EntityUID)
    case attributeDoesNotExist(String)
    case tagDoesNotExist(String)
    case typeError(String)
    case overflow
    case extensionError(String)
}

extension CedarValue {
    /// The type's name, for error messages.
    var typeName: String {
        switch self {
        case .bool: "bool"
        case .long: "long"
        case .string: "string"
        case .entity: "entity"
        case .set: "set"
        case .record: "record"
        case .decimal: "decimal"
        case .ip: "ipaddr"
        case .datetime: "datetime"
        case .duration: "duration"
        }
    }
}
