import Synchronization
import Testing
import Transport
@testable import Runtime

/// The Lambda loop against a Runtime API stand-in in the test's own process (Transport's `WireServer`): each event
/// handed out by `/next` reaches the handler with its context, its answer is posted under its request id, the trace
/// id is in the environment while the handler runs, an init failure goes to `/init/error`, and a 5xx from the
/// Runtime API ends the loop. (LocalStack tests the loop against the stack's own server; this needs no stack.)
@Suite(.serialized) struct RuntimeLoopStandInTests {
    /// The Runtime API: hands out `events` in order, then answers `/next` with a 500; records what it is sent.
    final class StandIn: Sendable {
        let server: WireServer
        private let state: Recorded

        /// What the stand-in still has to hand out and what it was sent.
        final class Recorded: Sendable {
            let events: Mutex<[[UInt8]]>
            let posted = Mutex<[(target: String, body: [UInt8])]>([])
            init(_ events: [[UInt8]]) { self.events = Mutex(events) }
        }

        init(events: [[UInt8]]) throws {
            let state = Recorded(events)
            self.state = state
            server = try WireServer(answer: { _ in WireResponse(status: 400) }, handler: { request, _ in
                if request.method == "GET", request.target == "/2018-06-01/runtime/invocation/next" {
                    let index = state.posted.withLock { $0.count }
                    guard let event = state.events.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                        return .respond(WireResponse(status: 500))
                    }
                    var headers = WireHeaders()
                    headers.add("Lambda-Runtime-Aws-Request-Id", "request-\(index)")
                    headers.add("Lambda-Runtime-Deadline-Ms", "4102444800000")
                    headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-00000000000000000000000\(index);Sampled=1")
                    return .respond(WireResponse(status: 200, headers: headers, body: event))
                }
                state.posted.withLock { $0.append((request.target, request.body)) }
                return .respond(WireResponse(status: 202))
            })
        }

        var endpoint: String { "127.0.0.1:\(server.port)" }
        var posted: [(target: String, body: [UInt8])] { state.posted.withLock { $0 } }
    }

    @Test func eachEventIsAnsweredUnderItsRequestIdUntilTheAPIFails() async throws {
        let standIn = try StandIn(events: [Array("one".utf8), Array("two".utf8)])
        defer { standIn.server.shutdown() }
        let status = await LambdaRuntime.serve(endpoint: standIn.endpoint, logger: Logger(level: .fatal)) {
            LambdaRuntime(bytes: { event, context in
                let trace = environmentVariable("_X_AMZN_TRACE_ID") ?? "none"
                return Array("\(context.requestID) \(String(decoding: event, as: UTF8.self)) \(trace.prefix(9))".utf8)
            })
        }
        #expect(status != 0)  // the Runtime API's 500 ends the loop: the sandbox is broken
        #expect(standIn.posted.map(\.target) == ["/2018-06-01/runtime/invocation/request-0/response",
                                                 "/2018-06-01/runtime/invocation/request-1/response"])
        #expect(standIn.posted.map { String(decoding: $0.body, as: UTF8.self) }
                == ["request-0 one Root=1-00", "request-1 two Root=1-00"])
    }

    @Test func aHandlerErrorIsPostedAndTheLoopGoesOn() async throws {
        let standIn = try StandIn(events: [Array("bad".utf8), Array("good".utf8)])
        defer { standIn.server.shutdown() }
        _ = await LambdaRuntime.serve(endpoint: standIn.endpoint, logger: Logger(level: .fatal)) {
            LambdaRuntime(bytes: { event, _ in
                guard event != Array("bad".utf8) else { throw LambdaError(type: "BadEvent", message: "not this one") }
                return event
            })
        }
        let posted = standIn.posted
        #expect(posted.map(\.target) == ["/2018-06-01/runtime/invocation/request-0/error",
                                         "/2018-06-01/runtime/invocation/request-1/response"])
        let report = String(decoding: posted.first?.body ?? [], as: UTF8.self)
        #expect(report.contains(#""errorType":"BadEvent""#))
        #expect(posted.last?.body == Array("good".utf8))
    }

    @Test func anInitFailureIsPostedAndEndsTheProcess() async throws {
        let standIn = try StandIn(events: [Array("never".utf8)])
        defer { standIn.server.shutdown() }
        let status = await LambdaRuntime.serve(endpoint: standIn.endpoint, logger: Logger(level: .fatal)) { () throws -> LambdaRuntime in
            throw LambdaError(type: "MissingConfiguration", message: "environment variable TABLE_NAME is required")
        }
        #expect(status == 1)
        #expect(standIn.posted.map(\.target) == ["/2018-06-01/runtime/init/error"])
        let report = String(decoding: standIn.posted.first?.body ?? [], as: UTF8.self)
        #expect(report.contains("TABLE_NAME is required"))
    }
}
