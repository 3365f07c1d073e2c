import HTTP

/// What API Gateway adds to the answers of an API: its request id on every answer (REST `x-amzn-RequestId`, HTTP API
/// `apigw-requestid`) and, on a REST API's own refusals, the error type (`x-amzn-ErrorType`) its gateway responses
/// carry.
enum GatewayHeaders {
    /// `response` as API Gateway sends it for `api`; `refusal` when the gateway answered (not the function).
    static func stamped(_ response: HTTPResponse, api: LocalTemplate.APIKind, requestID: String,
                        refusal: Bool) -> HTTPResponse {
        var response = response
        guard api == .rest else {
            response.headers["apigw-requestid"] = requestID
            return response
        }
        response.headers["x-amzn-requestid"] = requestID
        if refusal, response.headers["x-amzn-errortype"] == nil, let type = errorType(response) {
            response.headers["x-amzn-errortype"] = type
        }
        return response
    }

    /// The gateway response type of a REST refusal, from its status and message.
    private static func errorType(_ response: HTTPResponse) -> String? {
        let body = String(decoding: response.body, as: UTF8.self)
        switch response.status.rawValue {
        case 401: return "UnauthorizedException"
        case 403 where body.contains("Missing Authentication Token"): return "MissingAuthenticationTokenException"
        case 403 where body.contains("not authorized to access this resource"): return "AccessDeniedException"
        case 403: return "ForbiddenException"
        case 429: return "TooManyRequestsException"
        case 502: return "InternalServerErrorException"
        default: return nil
        }
    }
}
