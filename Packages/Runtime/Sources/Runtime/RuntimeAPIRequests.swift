@_spi(Gatehouse) import JSON
/// The Runtime API requests the loop sends, as bytes: what never changes is rendered once, and a result is written
/// straight into the buffer that goes out (building a `WireRequest` per invocation cost more than the rest of the
/// exchange).
struct RuntimeAPIRequests {
    /// `GET /2018-06-01/runtime/invocation/next`.
    let next: [UInt8]
    /// ` HTTP/1.1`, then the `Host` and `User-Agent` fields every request carries.
    private let commonHead: [UInt8]

    /// Requests to the Runtime API at `authority` (`host:port`, checked to hold no space or control).
    init(authority: String) {
        commonHead = Array(" HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: gatehouse-runtime/1\r\n".utf8)
        next = Array("GET /2018-06-01/runtime/invocation/next".utf8) + commonHead + Array("\r\n".utf8)
    }

    /// Where `outcome` of invocation `requestID` goes, for messages.
    static func resultPath(requestID: String, _ outcome: RuntimeAPIClient.Outcome) -> String {
        let (start, id, end) = resultPathPieces(requestID: requestID, outcome)
        return start + id + end
    }

    /// A request id holds no byte a path would read differently: `LambdaContext` refuses those.
    private static func resultPathPieces(requestID: String, _ outcome: RuntimeAPIClient.Outcome) -> (String, String, String) {
        ("/2018-06-01/runtime/invocation/", requestID, outcome.isError ? "/error" : "/response")
    }

    /// Posts `outcome` of invocation `requestID`, followed by the bytes of `following` (a pipelined request).
    func result(requestID: String, _ outcome: RuntimeAPIClient.Outcome, then following: [UInt8]) -> [UInt8] {
        post(Self.resultPathPieces(requestID: requestID, outcome), outcome, then: following)
    }

    /// Posts an init failure.
    func initError(_ report: ErrorReport) -> [UInt8] {
        post(("/2018-06-01/runtime/init/error", "", ""), .error(report), then: [])
    }

    /// `POST` to the path its three pieces make, `outcome` as the body, then `following`.
    private func post(_ path: (String, String, String), _ outcome: RuntimeAPIClient.Outcome, then following: [UInt8]) -> [UInt8] {
        let body: [UInt8], errorType: String?
        switch outcome {
        case .response(let bytes): (body, errorType) = (bytes, nil)
        case .error(let report): (body, errorType) = (report.json, report.errorType)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.1.utf8.count + commonHead.count + 128 + body.count + following.count)
        bytes.append(contentsOf: "POST ".utf8)
        bytes.append(contentsOf: path.0.utf8)
        bytes.append(contentsOf: path.1.utf8)
        bytes.append(contentsOf: path.2.utf8)
        bytes.append(contentsOf: commonHead)
        if let errorType {
            // The type also travels in the body; in a header, a control byte could split the request.
            bytes.append(contentsOf: "Lambda-Runtime-Function-Error-Type: ".utf8)
            bytes.append(contentsOf: errorType.utf8.lazy.map { $0 < 0x20 || $0 == 0x7F ? 0x5F : $0 })
            bytes.append(contentsOf: "\r\n".utf8)
        }
        bytes.append(contentsOf: "Content-Length: ".utf8)
        JSONText.appendDecimal(UInt64(body.count), to: &bytes)
        bytes.append(contentsOf: "\r\n\r\n".utf8)
        bytes.append(contentsOf: body)
        bytes.append(contentsOf: following)
        return bytes
    }
}
