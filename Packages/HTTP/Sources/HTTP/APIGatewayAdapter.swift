import FoundationEssentials
public import Runtime
import JWT

extension Application {
    /// Handles one API Gateway event (either payload version, recognised by its shape) and returns the matching
    /// response document; `invocationID` is the Lambda invocation's request id. An event that is not from API
    /// Gateway is an error for Lambda to report on `/error`.
    public func handle(event bytes: [UInt8], invocationID: String = "") async throws -> [UInt8] {
        let notAProxyRequest = LambdaError(type: "InvalidEvent", message: "the event is not an API Gateway proxy request")
        guard let event = try? ProxyEvent(bytes) else { throw notAProxyRequest }
        let request: HTTPRequest
        do {
            request = try HTTPRequest(event)
        } catch let error as HTTPError {
            return encode(HTTPResponse.rendering(error), version2: event.isVersion2)
        } catch {
            throw notAProxyRequest
        }
        var invocation = request
        invocation.invocationID = invocationID
        return encode(await respond(to: invocation), version2: event.isVersion2)
    }

    /// The proxy response document: compact, members sorted, written straight to text (no `JSONEncoder`, and no
    /// dictionary of values built only to be written, which cost more than the handler of a small route).
    func encode(_ response: HTTPResponse, version2: Bool) -> [UInt8] {
        func quoted(_ text: String) -> String { JSONValue.string(text).jsonText }
        let text = String(validating: response.body, as: UTF8.self)
        var headers = response.headers
        var document = "{\"body\":" + quoted(text ?? Data(response.body).base64EncodedString())
        var multiValueHeaders: String?
        if !response.cookies.isEmpty {
            let list = "[" + response.cookies.map(quoted).joined(separator: ",") + "]"
            if version2 {
                document += ",\"cookies\":" + list
            } else {
                multiValueHeaders = "{\"set-cookie\":" + list + "}"
                headers["set-cookie"] = response.cookies.last
            }
        }
        document += ",\"headers\":{"
        document += headers.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }.joined(separator: ",")
        document += "},\"isBase64Encoded\":" + (text == nil ? "true" : "false")
        if let multiValueHeaders { document += ",\"multiValueHeaders\":" + multiValueHeaders }
        document += ",\"statusCode\":" + String(response.status.rawValue) + "}"
        return Array(document.utf8)
    }
}

extension LambdaRuntime {
    /// Serves `application` behind API Gateway: each invocation is one HTTP request.
    public init(_ application: Application) {
        self.init(bytes: { event, context in try await application.handle(event: event, invocationID: context.requestID) })
    }
}
