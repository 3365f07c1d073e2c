@_spi(Gatehouse) import JSON
import FoundationEssentials
public import Runtime

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
        var document: [UInt8] = []
        document.reserveCapacity(response.body.count + 160)
        func raw(_ text: String) {
            var text = text
            text.withUTF8 { document.append(contentsOf: $0) }
        }
        func list(_ texts: [String]) {
            raw("[")
            for (index, text) in texts.enumerated() {
                if index > 0 { raw(",") }
                JSONText.appendString(text, to: &document)
            }
            raw("]")
        }
        let text = String(validating: response.body, as: UTF8.self)
        var headers = response.headers
        raw("{\"body\":")
        JSONText.appendString(text ?? Data(response.body).base64EncodedString(), to: &document)
        if !response.cookies.isEmpty {
            if version2 {
                raw(",\"cookies\":")
                list(response.cookies)
            } else {
                headers["set-cookie"] = response.cookies.last
            }
        }
        raw(",\"headers\":{")
        for (index, header) in headers.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { raw(",") }
            JSONText.appendString(header.key, to: &document)
            raw(":")
            JSONText.appendString(header.value, to: &document)
        }
        raw(text == nil ? "},\"isBase64Encoded\":true" : "},\"isBase64Encoded\":false")
        if !response.cookies.isEmpty, !version2 {
            raw(",\"multiValueHeaders\":{\"set-cookie\":")
            list(response.cookies)
            raw("}")
        }
        raw(",\"statusCode\":" + String(response.status.rawValue) + "}")
        return document
    }
}

extension LambdaRuntime {
    /// Serves `application` behind API Gateway: each invocation is one HTTP request.
    public init(_ application: Application) {
        self.init(bytes: { event, context in try await application.handle(event: event, invocationID: context.requestID) })
    }
}
