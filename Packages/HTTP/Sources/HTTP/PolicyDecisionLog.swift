import Cedar
import Synchronization

/// The policy decisions made while one request was handled, for its audit line: set around the handler by
/// `Application` (a task-local, so concurrent requests keep their own).
final class PolicyDecisionLog: Sendable {
    struct Entry: Equatable {
        let action: PolicyAction
        let resource: EntityUID
        let decision: PolicyDecision
    }

    @TaskLocal static var current: PolicyDecisionLog?

    private let entries = Mutex<[Entry]>([])

    func record(action: PolicyAction, resource: EntityUID, decision: PolicyDecision) {
        entries.withLock { $0.append(Entry(action: action, resource: resource, decision: decision)) }
    }

    /// The decisions so far, in order.
    var recorded: [Entry] { entries.withLock { $0 } }
}
