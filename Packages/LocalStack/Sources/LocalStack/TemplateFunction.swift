import JSON

/// One `AWS::Serverless::Function` of the template, read strictly: the app that runs it, its environment and
/// timeout, and the API events that make its routes. A property of another shape than SAM takes refuses the function.
struct TemplateFunction {
    let function: LocalTemplate.Function
    let events: [Event]

    /// One `HttpApi` or `Api` event: a route of an API.
    struct Event {
        let api: LocalTemplate.APIKind
        /// `GET`, `POST`, … (upper-cased).
        let method: String
        let path: String
        /// The logical id of the API it names (`ApiId`, `RestApiId`); nil for SAM's implicit API.
        let apiID: String?
        /// Its `Auth`.
        let auth: TemplateObject

        /// `GET /wish-list`.
        var route: String { "\(method) \(path)" }
    }

    init(id: String, resource: TemplateObject, globalTimeout: Int, resolver: Resolver) throws(TemplateRefusal) {
        let read = Shaped(function: id)
        let properties = try read { try resource.object("Properties") ?? TemplateObject([:]) }
        let app = try Self.app(properties, function: id)
        let environment = try read {
            try properties.object("Environment")?.object("Variables")?.resolvedMembers(resolver) ?? [:]
        }
        let timeout = try read { try properties.int("Timeout", resolver) } ?? globalTimeout
        function = LocalTemplate.Function(logicalID: id, app: app, environment: environment, timeoutSeconds: timeout)
        var events: [Event] = []
        let declared = try read { try properties.object("Events") ?? TemplateObject([:]) }
        for eventID in declared.names {
            let event = try read { try declared.object(eventID) ?? TemplateObject([:]) }
            if let found = try Self.event(eventID, event, read: read, resolver: resolver) { events.append(found) }
        }
        self.events = events
    }

    /// Reads a function's properties, a shape SAM does not take refusing the function.
    private struct Shaped {
        let function: String

        func callAsFunction<T>(_ body: () throws -> T) throws(TemplateRefusal) -> T {
            try reading({ TemplateRefusal(function: function, $0) }, body)
        }
    }

    /// The app whose executable runs the function, named by `FunctionName`: a function the stack cannot name would
    /// leave its routes answering 404 here while they work on AWS.
    private static func app(_ properties: TemplateObject, function: String) throws(TemplateRefusal) -> String {
        let prefix = "${AWS::StackName}-"
        guard let sub = properties["FunctionName"]?.objectValue?["Fn::Sub"]?.stringValue, sub.hasPrefix(prefix),
              sub.count > prefix.count else {
            throw TemplateRefusal(function: function, #"its FunctionName must be {"Fn::Sub": "${AWS::StackName}-APP"}"#
                                  + ", naming the app whose executable runs it")
        }
        return String(sub.dropFirst(prefix.count))
    }

    /// An API event; nil for other event sources (queues, schedules), which make no routes and which the stack does
    /// not run.
    private static func event(_ id: String, _ event: TemplateObject, read: Shaped,
                              resolver: Resolver) throws(TemplateRefusal) -> Event? {
        guard let type = try read({ try event.text("Type") }) else {
            throw TemplateRefusal(function: read.function, "event \(id) has no Type")
        }
        guard type == "HttpApi" || type == "Api" else { return nil }
        let properties = try read { try event.object("Properties") ?? TemplateObject([:]) }
        // An HTTP API event without Path and Method is the API's `$default` route, which serves every request no
        // other route matches: answered 404 here, it would be open on AWS and closed locally.
        guard let method = try read({ try properties.text("Method")?.uppercased() }),
              let path = try read({ try properties.text("Path") }) else {
            throw TemplateRefusal(function: read.function, "event \(id) has no Path and Method (the API's $default "
                                  + "route), which the local stack does not emulate")
        }
        // From here on a refusal names the route, and a property by its place in the event's `Properties`.
        let route = TemplateObject(properties.members)
        do throws(TemplateProblem) {
            var apiID = try route.resolved("ApiId", resolver)
            if apiID == nil { apiID = try route.resolved("RestApiId", resolver) }
            let auth = try route.object("Auth")
            return Event(api: type == "HttpApi" ? .http : .rest, method: method, path: path, apiID: apiID,
                         auth: auth ?? TemplateObject([:], path: "Auth"))
        } catch {
            throw TemplateRefusal(route: "\(method) \(path)", error.reason)
        }
    }
}
