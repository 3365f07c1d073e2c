import Cedar
import Synchronization

/// The decisions made while one request to a protected route was handled, for its audit line: the refusal of the
/// route's requirement or of a handler's check (`require…`), when one refused, and the policy decisions. Set around
/// the handler by `Application` (a task-local, so concurrent requests keep their own); the audit line reads them,
/// never the answer's body.
final class PolicyDecisionLog: Sendable {
    struct Entry: Equatable {
        let action: PolicyAction
        let resource: EntityUID
        let decision: PolicyDecision
    }

    @TaskLocal static var current: PolicyDecisionLog?

    private let entries = Mutex<[Entry]>([])
    private let refusal = Mutex<String?>(nil)

    func record(action: PolicyAction, resource: EntityUID, decision: PolicyDecision) {
        entries.withLock { $0.append(Entry(action: action, resource: resource, decision: decision)) }
    }

    /// The decisions so far, in order.
    var recorded: [Entry] { entries.withLock { $0 } }

    /// Records why the route's requirement or a handler's check refused the request (`no token`, `missing scope`,
    /// `forbidden`).
    func refuse(_ reason: String) { refusal.withLock { $0 = reason } }

    /// Why the request was refused by a check; nil when none refused.
    var refusalReason: String? { refusal.withLock { $0 } }
}
