import HTTP

/// What keeps web pages from driving the local stack from a browser. A page on another site cannot read the stack's
/// answers (no CORS for it), but it can send requests: by DNS rebinding (its own name resolving to 127.0.0.1, so the
/// browser treats the stack as the page's own origin) and by simple cross-site requests such as a form post. So, as
/// development servers do: only requests naming the stack itself in `Host` are answered, and the console's actions
/// (`/_gatehouse/*`) need a request no cross-site form can make and refuse other origins.
struct LocalHostGuard: Sendable {
    /// `Host` values answered: `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`, and each added name with that port.
    let hosts: Set<String>
    /// The origins the console is served from (`http://` and each host).
    let origins: Set<String>

    /// The stack on `port`, also answering as each of `names` (host names the user allows, such as a tunnel's).
    init(port: UInt16, names: [String]) {
        hosts = Set((["127.0.0.1", "localhost", "[::1]"] + names).map { "\($0.lowercased()):\(port)" })
        origins = Set(hosts.map { "http://" + $0 })
    }

    /// 403 with one line saying how to allow the name, for a request whose `Host` is not the stack's; 400 for none.
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        guard let host = request.header("host") else { return .message(.badRequest, "a Host header is required") }
        guard !hosts.contains(host.lowercased()) else { return nil }
        return .message(.forbidden, "host \(host.prefix(100)) is not allowed (DNS rebinding protection): the stack answers "
            + hosts.sorted().joined(separator: ", ") + "; add a name with gatehouse serve --allow-host NAME")
    }

    /// For `/_gatehouse/*`: 403 for another origin, and 415 for a `POST` that is not JSON (a cross-site form can only
    /// post form or text bodies, and a JSON one makes the browser ask first, which the stack never allows).
    func consoleRefusal(_ request: HTTPRequest) -> HTTPResponse? {
        if let origin = request.header("origin"), !origins.contains(origin.lowercased()) {
            return .message(.forbidden, "the console's actions answer the console's own origin only")
        }
        let json = request.header("content-type")?.lowercased().hasPrefix("application/json") == true
        if request.method == "POST" && !json {
            return .message(.unsupportedMediaType, "the console's actions take a JSON body (Content-Type: application/json)")
        }
        return nil
    }
}
