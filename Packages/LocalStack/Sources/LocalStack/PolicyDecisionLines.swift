import JSON
import Synchronization

/// The policy decisions the stack's functions logged (their audit lines with `audit.policies`), by request id: how
/// the authorization matrix learns which policy decided a cell without the function telling the client anything
/// it would not tell it on AWS. Keeps the newest 4,096.
final class PolicyDecisionLines: Sendable {
    struct Decision: Sendable, Equatable {
        var allowed: Bool
        var policies: String
    }

    private struct State {
        var byRequest: [String: Decision] = [:]
        var order: [String] = []
        var waiters: [String: [(ticket: Int, continuation: CheckedContinuation<Decision?, Never>)]] = [:]
        var nextTicket = 0
    }

    /// Where the stack serves them: `GET /_gatehouse/decisions/REQUEST_ID`.
    static let route = "/_gatehouse/decisions/"

    private let state = Mutex(State())
    private static let capacity = 4096

    /// Keeps the decision of `line`, when it is a policy audit line.
    func add(_ line: String) {
        guard line.hasPrefix("{"), line.contains("\"audit.policies\""),
              let fields = try? JSONValue.object(parsing: Array(line.utf8)),
              case .string(let requestID)? = fields["requestId"], case .string(let policies)? = fields["audit.policies"]
        else { return }
        let decision = Decision(allowed: fields["audit.decision"] == "allow", policies: policies)
        let waiting = state.withLock { state in
            if state.byRequest.updateValue(decision, forKey: requestID) == nil { state.order.append(requestID) }
            if state.order.count > Self.capacity { state.byRequest[state.order.removeFirst()] = nil }
            return state.waiters.removeValue(forKey: requestID) ?? []
        }
        for waiter in waiting { waiter.continuation.resume(returning: decision) }
    }

    /// The decision logged for `requestID`, waiting for its line up to `seconds` (the function writes it before it
    /// answers, but its output is read on another thread); nil when none comes.
    func decision(for requestID: String, waitingUpTo seconds: Double) async -> Decision? {
        await withCheckedContinuation { continuation in
            let ticket = state.withLock { state -> Int? in
                guard state.byRequest[requestID] == nil else { return nil }
                state.nextTicket += 1
                state.waiters[requestID, default: []].append((state.nextTicket, continuation))
                return state.nextTicket
            }
            guard let ticket else {
                continuation.resume(returning: state.withLock { $0.byRequest[requestID] })
                return
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                let expired = state.withLock { state -> CheckedContinuation<Decision?, Never>? in
                    guard let index = state.waiters[requestID]?.firstIndex(where: { $0.ticket == ticket }) else { return nil }
                    return state.waiters[requestID]?.remove(at: index).continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
