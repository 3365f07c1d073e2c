import FoundationEssentials
public import Runtime

/// A REST API (payload 1.0) or HTTP API (payload 2.0) proxy response.
struct APIGatewayResponse: Encodable {
    var statusCode: Int
    var headers: [String: String]
    var multiValueHeaders: [String: [String]]?
    var cookies: [String]?
    var body: String
    var isBase64Encoded: Bool
}

extension Application {
    /// Handles one API Gateway event (either payload version, recognised by its shape) and returns the matching
    /// response document; `invocationID` is the Lambda invocation's request id. An event that is not from API
    /// Gateway is an error for Lambda to report on `/error`.
    public func handle(event bytes: [UInt8], invocationID: String = "") async throws -> [UInt8] {
        let decoder = JSONDecoder()
        let data = Data(bytes)
        let request: HTTPRequest
        let isVersion2: Bool
        do {
            if let event = try? decoder.decode(APIGatewayV2Request.self, from: data), event.version == "2.0" {
                isVersion2 = true
                request = try HTTPRequest(event)
            } else if let event = try? decoder.decode(APIGatewayV1Request.self, from: data) {
                isVersion2 = false
                request = try HTTPRequest(event)
            } else {
                throw LambdaError(type: "InvalidEvent", message: "the event is not an API Gateway proxy request")
            }
        } catch let error as HTTPError {
            let version2 = (try? decoder.decode(APIGatewayV2Request.self, from: data))?.version == "2.0"
            return try encode(HTTPResponse.rendering(error), version2: version2)
        }
        var invocation = request
        invocation.invocationID = invocationID
        return try encode(await respond(to: invocation), version2: isVersion2)
    }

    private func encode(_ response: HTTPResponse, version2: Bool) throws -> [UInt8] {
        let text = String(validating: response.body, as: UTF8.self)
        var headers = response.headers
        var multiValue: [String: [String]]?
        if !version2 && !response.cookies.isEmpty {
            multiValue = ["set-cookie": response.cookies]
            headers["set-cookie"] = response.cookies.last
        }
        let document = APIGatewayResponse(
            statusCode: response.status.rawValue, headers: headers, multiValueHeaders: multiValue,
            cookies: version2 && !response.cookies.isEmpty ? response.cookies : nil,
            body: text ?? Data(response.body).base64EncodedString(), isBase64Encoded: text == nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(document))
    }
}

extension LambdaRuntime {
    /// Serves `application` behind API Gateway: each invocation is one HTTP request.
    public init(_ application: Application) {
        self.init(bytes: { event, context in try await application.handle(event: event, invocationID: context.requestID) })
    }
}
