/// A Cedar expression, as the parser reads it and the evaluator walks it.
indirect enum CedarExpression: Sendable {
    enum Variable: String, Sendable { case principal, action, resource, context }
    enum Slot: String, Sendable { case principal = "?principal", resource = "?resource" }

    enum BinaryOperator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in`, add = "+", subtract = "-", multiply = "*"
        case contains, containsAll, containsAny, hasTag, getTag
    }

    case literal(CedarValue)
    case variable(Variable)
    case slot(Slot)
    case ifThenElse(CedarExpression, CedarExpression, CedarExpression)
    case and(CedarExpression, CedarExpression)
    case or(CedarExpression, CedarExpression)
    case not(CedarExpression)
    case negate(CedarExpression)
    case isEmpty(CedarExpression)
    case binary(BinaryOperator, CedarExpression, CedarExpression)
    case attribute(CedarExpression, String)
    case has(CedarExpression, String)
    case like(CedarExpression, [PatternElement])
    case isType(CedarExpression, String)
    case set([CedarExpression])
    case record([(String, CedarExpression)])
    case call(CedarFunction, [CedarExpression])
}

/// The extension functions and methods of Cedar 4.
enum CedarFunction: String, Sendable, CaseIterable {
    case decimal, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual
    case ip, isIpv4, isIpv6, isLoopback, isMulticast, isInRange
    case datetime, duration, offset, durationSince, toDate, toTime
    case toMilliseconds, toSeconds, toMinutes, toHours, toDays

    /// Functions called as `name(args)`; the others are methods (`value.name(args)`).
    static let constructors: Set<CedarFunction> = [.decimal, .ip, .datetime, .duration]

    /// How many arguments it takes, the receiver of a method included.
    var arity: Int {
        switch self {
        case .decimal, .ip, .datetime, .duration, .isIpv4, .isIpv6, .isLoopback, .isMulticast, .toDate, .toTime,
             .toMilliseconds, .toSeconds, .toMinutes, .toHours, .toDays: 1
        default: 2
        }
    }
}

/// One policy (or template) of a policy set.
public struct CedarPolicy: Sendable {
    /// `permit` or `forbid`.
    public enum Effect: String, Sendable { case permit, forbid }

    /// A principal or resource scope constraint.
    enum Scope: Sendable {
        case any
        case equal(ScopeTarget)
        case `in`(ScopeTarget)
        case `is`(String)
        case isIn(String, ScopeTarget)
    }

    /// An entity, or a template's slot.
    enum ScopeTarget: Sendable {
        case entity(EntityUID)
        case slot(CedarExpression.Slot)
    }

    /// The action scope.
    enum ActionScope: Sendable {
        case any
        case equal(EntityUID)
        case `in`(EntityUID)
        case inAny([EntityUID])
    }

    /// The policy's id (`policy0`, … by position, or a link's id).
    public let id: String
    /// Its effect.
    public let effect: Effect
    /// Its annotations, in order.
    public let annotations: [(String, String?)]
    let principal: Scope
    let action: ActionScope
    let resource: Scope
    /// `when` (true) and `unless` (false) conditions, in order.
    let conditions: [(isWhen: Bool, body: CedarExpression)]
    /// Where it starts in its file, for messages.
    let line: Int
    /// For a template-linked policy: its template and the slots' values.
    var link: (template: String, values: [CedarExpression.Slot: EntityUID])? = nil

    /// Whether it has slots (a template, which applies only through links).
    public var isTemplate: Bool {
        func slotted(_ scope: Scope) -> Bool {
            switch scope {
            case .equal(.slot), .in(.slot), .isIn(_, .slot): true
            default: false
            }
        }
        return slotted(principal) || slotted(resource)
    }
}
