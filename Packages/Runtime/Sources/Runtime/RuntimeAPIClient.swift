import Transport

/// The Lambda Runtime API (`2018-06-01`) as seen from inside a function: one persistent connection.
final class RuntimeAPIClient: @unchecked Sendable {
    /// What the Runtime API hands out for one invocation.
    struct Invocation {
        var headers: WireHeaders
        var event: [UInt8]
    }

    /// The Runtime API answered in a way that means the runtime must stop.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let host: String
    private let port: UInt16
    private let requests: RuntimeAPIRequests
    private var connection: WireConnection?
    /// The length of the last `202 Accepted` to a result, head and body.
    private var acceptedAnswerLength: Int?

    /// `endpoint` is `AWS_LAMBDA_RUNTIME_API`: `host:port`.
    init(endpoint: String) throws {
        guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...]),
              endpoint.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw Failure(description: "AWS_LAMBDA_RUNTIME_API must be host:port, got \(endpoint.debugDescription)") }
        self.host = String(endpoint[..<colon])
        self.port = port
        requests = RuntimeAPIRequests(authority: endpoint)
    }

    /// What the function made of one invocation.
    enum Outcome {
        case response([UInt8])
        case error(ErrorReport)
    }

    /// Long-polls for the next event.
    func next() throws -> Invocation {
        try Self.invocation(from: exchange(requests.next, count: 1).last!)
    }

    /// Posts the `outcome` of invocation `requestID` and asks for the next event in the same write (HTTP/1.1
    /// pipelining; the Runtime API answers in order): one write and one wait per invocation instead of two. A result
    /// the Runtime API refuses (4xx, such as a response over the payload limit) is returned beside the next event;
    /// a 5xx means the sandbox is broken, and throws.
    func complete(requestID: String, _ outcome: Outcome) throws -> (refused: RejectedResult?, next: Invocation) {
        let answers = try exchange(requests.result(requestID: requestID, outcome, then: requests.next), count: 2)
        let refused = try Self.check(answers[0]) { RuntimeAPIRequests.resultPath(requestID: requestID, outcome) }
        // A refusal that closed the connection dropped the poll sent behind it: poll again.
        return (refused, answers.count == 2 ? try Self.invocation(from: answers[1]) : try next())
    }

    func reportInitError(_ report: ErrorReport) throws {
        _ = try Self.check(try exchange(requests.initError(report), count: 1).last!) { "/2018-06-01/runtime/init/error" }
    }

    private static func invocation(from response: WireResponse) throws -> Invocation {
        guard response.status == 200 else { throw Failure(description: "Runtime API /next answered \(response.status)") }
        return Invocation(headers: response.headers, event: response.body)
    }

    /// A 5xx means the runtime must stop (thrown); a 3xx or 4xx is the Runtime API refusing this one result.
    private static func check(_ response: WireResponse, _ path: () -> String) throws -> RejectedResult? {
        if response.status >= 500 { throw Failure(description: "Runtime API \(path()) answered \(response.status)") }
        guard response.status >= 300 else { return nil }
        return RejectedResult(status: response.status, body: String(decoding: response.body.prefix(512), as: UTF8.self))
    }

    /// Writes `count` requests at once and reads their answers in order, on the open connection or a new one; an
    /// answer that closes the connection is the last (the server read nothing after it).
    private func exchange(_ requests: [UInt8], count: Int) throws -> [WireResponse] {
        let connection = try self.connection ?? WireConnection(socket: Socket.connect(host: host, port: port))
        self.connection = connection
        let socket = connection.stream as? Socket
        // A result's answer comes at once, the next event later: two sleeps and two wakes per invocation. With the
        // read's low-water mark just past the answer's length (the same every time), one wake serves both.
        let lowWater = count == 2 && !connection.hasBufferedBytes ? acceptedAnswerLength.map { $0 + 1 } : nil
        do {
            try connection.send(requests)
            if let lowWater, let socket {
                // A server with Nagle's algorithm on holds the second answer until the first is acknowledged.
                socket.acknowledgeNow()
                socket.setReceiveLowWater(lowWater)
            }
            var answers: [WireResponse] = []
            answers.reserveCapacity(count)
            for index in 0..<count {
                if index == 1 {
                    if lowWater != nil {
                        socket?.setReceiveLowWater(1)
                    } else if !connection.hasBufferedBytes {
                        socket?.acknowledgeNow()
                    }
                }
                let before = connection.consumedBytes
                let answer = try connection.readResponse()
                if index == 0, count == 2 { acceptedAnswerLength = answer.status == 202 ? connection.consumedBytes - before : nil }
                answers.append(answer)
                if answer.headers["connection"]?.equalsIgnoringASCIICase("close") == true {
                    self.connection = nil
                    break
                }
            }
            return answers
        } catch {
            self.connection = nil
            throw error
        }
    }
}

extension RuntimeAPIClient.Outcome {
    var isError: Bool { if case .error = self { true } else { false } }
}

/// The Runtime API refused one posted result (a 4xx, such as a payload over the limit).
struct RejectedResult: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "Runtime API refused the result with \(status): \(body)" }
}
