import HTTP

/// What API Gateway adds to the answers of an API: its request id on every answer (REST `x-amzn-RequestId`, HTTP API
/// `apigw-requestid`) and, on a REST API's own refusals, the error type (`x-amzn-ErrorType`) its gateway responses
/// carry.
enum GatewayHeaders {
    /// `response` as API Gateway sends it for `api`; `errorType` when the gateway refused (not the function), the
    /// refusal's type as its gateway response carries it (`UnauthorizedException`, `MissingAuthenticationTokenException`).
    static func stamped(_ response: HTTPResponse, api: LocalTemplate.APIKind, requestID: String,
                        errorType: String?) -> HTTPResponse {
        var response = response
        guard api == .rest else {
            response.headers["apigw-requestid"] = requestID
            return response
        }
        response.headers["x-amzn-requestid"] = requestID
        if let errorType, response.headers["x-amzn-errortype"] == nil { response.headers["x-amzn-errortype"] = errorType }
        return response
    }
}
