import JSON
import Runtime

/// A response as handlers build it.
public struct HTTPResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// Header fields.
    public var headers: [String: String]
    /// `Set-Cookie` values.
    public var cookies: [String]
    /// The body bytes.
    public var body: [UInt8]

    /// A response.
    public init(status: HTTPStatus, headers: [String: String] = [:], cookies: [String] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.cookies = cookies
        self.body = body
    }

    /// `value` as compact JSON, members sorted (`CompactJSONEncoder`), with `status`.
    public static func json<Value: Encodable>(_ status: HTTPStatus, _ value: Value) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: try CompactJSONEncoder().encode(value))
    }

    /// 200 with `value` as JSON.
    public static func ok<Value: Encodable>(_ value: Value) throws -> HTTPResponse { try json(.ok, value) }

    /// 201 with `value` as JSON.
    public static func created<Value: Encodable>(_ value: Value) throws -> HTTPResponse { try json(.created, value) }

    /// `{"message": text}` with `status`, the shape API Gateway uses for its own answers.
    public static func message(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"],
                     body: JSONValue.object(["message": .string(text)]).jsonBytes)
    }

    /// The response for a thrown error: its own status and message for `HTTPError`, else a bare 500.
    static func rendering(_ error: any Error) -> HTTPResponse {
        guard let error = error as? any HTTPRenderableError else { return .message(.internalServerError, "Internal Server Error") }
        var response = HTTPResponse.message(error.status, error.message)
        if let error = error as? HTTPError { response.headers.merge(error.headers) { _, new in new } }
        return response
    }
}
