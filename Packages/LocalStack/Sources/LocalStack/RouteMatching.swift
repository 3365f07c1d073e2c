public import HTTP

extension LocalTemplate.Route {
    /// Whether `handler` is the handler route this template event reaches: the same method (or `ANY`) and the same
    /// path, whatever the parameters are named.
    public func isServed(by handler: FunctionDescription.Route) -> Bool {
        (method == "ANY" || method == handler.method) && Self.shape(of: path) == Self.shape(of: handler.path)
    }

    /// `path` with every parameter name blanked (`/tenants/{}/wish-list`).
    private static func shape(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "{}" : String($0) }.joined(separator: "/")
    }
}
