import FoundationEssentials
public import Runtime
import JWT

extension Application {
    /// Handles one API Gateway event (either payload version, recognised by its shape) and returns the matching
    /// response document; `invocationID` is the Lambda invocation's request id. An event that is not from API
    /// Gateway is an error for Lambda to report on `/error`.
    public func handle(event bytes: [UInt8], invocationID: String = "") async throws -> [UInt8] {
        let notAProxyRequest = LambdaError(type: "InvalidEvent", message: "the event is not an API Gateway proxy request")
        guard let members = try? JSONValue.object(parsing: bytes, selecting: EventMembers.proxyRequest) else {
            throw notAProxyRequest
        }
        let event = EventMembers(members)
        let isVersion2 = members["version"] == "2.0"
        let request: HTTPRequest
        do {
            request = isVersion2 ? try HTTPRequest(try APIGatewayV2Request(event)) : try HTTPRequest(try APIGatewayV1Request(event))
        } catch let error as HTTPError {
            return encode(HTTPResponse.rendering(error), version2: isVersion2)
        } catch {
            throw notAProxyRequest
        }
        var invocation = request
        invocation.invocationID = invocationID
        return encode(await respond(to: invocation), version2: isVersion2)
    }

    /// The proxy response document: compact, members sorted, written without `JSONEncoder`.
    private func encode(_ response: HTTPResponse, version2: Bool) -> [UInt8] {
        let text = String(validating: response.body, as: UTF8.self)
        var headers = response.headers.mapValues(JSONValue.string)
        var document: [String: JSONValue] = [
            "statusCode": .number(Double(response.status.rawValue)),
            "body": .string(text ?? Data(response.body).base64EncodedString()), "isBase64Encoded": .bool(text == nil),
        ]
        if !response.cookies.isEmpty {
            if version2 {
                document["cookies"] = .array(response.cookies.map(JSONValue.string))
            } else {
                document["multiValueHeaders"] = ["set-cookie": .array(response.cookies.map(JSONValue.string))]
                headers["set-cookie"] = response.cookies.last.map(JSONValue.string)
            }
        }
        document["headers"] = .object(headers)
        return Array(JSONValue.object(document).jsonText.utf8)
    }
}

extension LambdaRuntime {
    /// Serves `application` behind API Gateway: each invocation is one HTTP request.
    public init(_ application: Application) {
        self.init(bytes: { event, context in try await application.handle(event: event, invocationID: context.requestID) })
    }
}
