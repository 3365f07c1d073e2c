@_spi(Gatehouse) public import Runtime
import Cedar
import Transport

/// What a function reports about each request, for operating it once deployed: per route a count, the latency and
/// 4xx/5xx counts, and per authorization decision its layer, outcome and reason, as CloudWatch EMF lines; and an audit
/// line for every request to a protected route (subject, route, decision, reason, request id — never a token).
public struct Observability: Sendable {
    /// The dimension that names the function.
    public let service: String
    let metrics: MetricsLogger
    let audit: Logger
    private let requests: MetricsLogger.Directive
    private let decisions: MetricsLogger.Directive

    /// Reports for `service` through `metrics`, audit lines through `audit`.
    public init(service: String, metrics: MetricsLogger = MetricsLogger(), audit: Logger = Logger()) {
        self.service = service
        self.metrics = metrics
        self.audit = audit
        requests = metrics.directive(metrics: [("Requests", .count), ("Latency", .milliseconds), ("ClientErrors", .count),
                                               ("ServerErrors", .count)], dimensions: ["Service", "Route"])
        decisions = metrics.directive(metrics: [("AuthorizationDecisions", .count)],
                                      dimensions: ["Service", "Layer", "Decision", "Reason"])
    }

    /// Reports named after the Lambda function (`AWS_LAMBDA_FUNCTION_NAME`).
    public static func lambda() -> Observability {
        let name = FunctionEnvironment.current().name
        return Observability(service: name.isEmpty ? "local" : name)
    }

    /// Where an authorization decision was made.
    public enum Layer: String, Sendable {
        case gateway, authorizer, handler
    }

    /// A request's answer, for its metrics: the status and how long it took.
    struct Served {
        var status: Int
        var milliseconds: Double
    }

    /// One request to a public route: count, latency, client and server errors.
    func recordRequest(route: String, _ served: Served) {
        metrics.emit([requestRecord(route: route, served)])
    }

    private func requestRecord(route: String, _ served: Served)
        -> (directive: MetricsLogger.Directive, values: [Double], dimensions: [String])
    {
        (requests, [1, (served.milliseconds * 1000).rounded() / 1000, (400..<500).contains(served.status) ? 1 : 0,
                    served.status >= 500 ? 1 : 0], [service, route])
    }

    /// One authorization decision: a metric by layer, outcome and reason, and the audit line.
    public func recordDecision(_ layer: Layer, allowed: Bool, reason: String, subject: String?, route: String,
                               requestID: String) {
        record(layer, allowed: allowed, reason: reason, subject: subject, route: route, requestID: requestID)
    }

    /// A handler's decision on a protected route, with the request's own metrics in the same line.
    func recordDecision(_ layer: Layer, allowed: Bool, reason: String, subject: String?, route: String, requestID: String,
                        served: Served) {
        record(layer, allowed: allowed, reason: reason, subject: subject, route: route, requestID: requestID, served: served)
    }

    /// A policy decision (a handler's, or an authorizer's at the edge): reason `policy`, and on the audit line the
    /// action, the resource and the determining policies; with `served`, the request's metrics in the same line.
    func recordPolicyDecision(_ entry: PolicyDecisionLog.Entry, layer: Layer = .handler, subject: String?, route: String,
                              requestID: String, served: Served? = nil) {
        record(layer, allowed: entry.decision.allowed, reason: "policy", subject: subject, route: route,
               requestID: requestID, policy: entry, served: served)
    }

    /// The decision's metric (one EMF line, holding the request's metrics too when `served` is given: one `write` a
    /// request) and its audit line, naming the `policy` decision when there is one.
    private func record(_ layer: Layer, allowed: Bool, reason: String, subject: String?, route: String,
                        requestID: String, policy: PolicyDecisionLog.Entry? = nil, served: Served? = nil) {
        let decision = allowed ? "allow" : "deny"
        let decided = (directive: decisions, values: [1.0], dimensions: [service, layer.rawValue, decision, reason])
        metrics.emit(served.map { [requestRecord(route: route, $0), decided] } ?? [decided], properties: ["requestId": requestID])
        var logger = audit
        logger.requestID = requestID
        // Built only when the line is written; in name order, as every log line writes its fields (no sort per line).
        logger.log(.info, "authorization", orderedFields: {
            var fields: [(String, String)] = []
            fields.reserveCapacity(8)
            if let policy { fields.append(("audit.action", policy.action.name)) }
            fields.append(("audit.decision", decision))
            fields.append(("audit.layer", layer.rawValue))
            if let policy { fields.append(("audit.policies", policy.decision.policies.joined(separator: ","))) }
            fields.append(("audit.reason", reason))
            if let policy { fields.append(("audit.resource", policy.resource.description)) }
            fields.append(("audit.route", route))
            fields.append(("audit.subject", subject ?? ""))
            return fields
        }())
    }

    /// The decision on a protected route: the `refusal` a check recorded (the route's requirement: `no token`,
    /// `missing scope`; a handler's `require…`), else the status of an error the handler threw itself — 401 (no
    /// caller), 403 (`forbidden`) — or allowed.
    static func handlerDecision(_ status: HTTPStatus, refusal: String?) -> (allowed: Bool, reason: String) {
        if let refusal { return (false, refusal) }
        switch status.rawValue {
        case 401: return (false, "no token")
        case 403: return (false, "forbidden")
        default: return (true, "authorized")
        }
    }
}

/// Milliseconds of the monotonic clock, for durations.
func monotonicMilliseconds() -> Double { Double(monotonicNanoseconds()) / 1_000_000 }
