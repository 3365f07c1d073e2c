import HTTP
import JSON

/// What an API's template properties limit: throttling (a REST stage's `MethodSettings`, an HTTP API's
/// `DefaultRouteSettings` and `RouteSettings`), required API keys and the usage plan (REST `Auth.ApiKeyRequired`,
/// `Auth.UsagePlan`). Settings that only change logs or metrics are accepted; any other refuses the API.
struct APILimits: Sendable {
    /// A usage plan: per API key, a throttle and a quota.
    struct UsagePlan: Sendable, Equatable {
        var throttle: Throttle?
        var quota: Quota?
    }

    /// A REST API's method settings (path and method, `*` for any) or an HTTP API's route settings (route key
    /// `GET /path`, `*` for the default), most specific first.
    private var throttles: [(path: String, method: String, throttle: Throttle)] = []
    /// Whether every method of the API requires an API key unless its event says otherwise.
    private(set) var apiKeyRequired = false
    private(set) var usagePlan: UsagePlan?

    /// API Gateway's account-level defaults, for a setting that gives only one of the two numbers.
    static let defaultRate = 10_000.0
    static let defaultBurst = 5_000

    typealias Refused = TemplateProblem

    /// No limits (an API without settings).
    init() {}

    /// The limits an API's `properties` (and its `auth`) set; a setting beyond the stack is a `Refused`, a value of
    /// another shape than SAM takes a `TemplateProblem`.
    init(_ properties: TemplateObject, auth: TemplateObject, kind: LocalTemplate.APIKind, resolver: Resolver) throws {
        let observational: Set<String> = ["LoggingLevel", "MetricsEnabled", "DataTraceEnabled", "DetailedMetricsEnabled"]
        func throttle(_ settings: TemplateObject, known: Set<String>) throws -> Throttle? {
            if let other = settings.names.first(where: { !known.contains($0) && !observational.contains($0) }) {
                throw Refused(reason: "\(settings.path).\(other) cannot be emulated locally")
            }
            let burst = try settings.int("ThrottlingBurstLimit", resolver)
            let rate = try settings.number("ThrottlingRateLimit", resolver)
            guard burst != nil || rate != nil else { return nil }
            return Throttle(rate: rate ?? Self.defaultRate, burst: burst ?? Self.defaultBurst)
        }
        let limits: Set<String> = ["ThrottlingBurstLimit", "ThrottlingRateLimit"]
        if kind == .rest {
            for var setting in try properties.objects("MethodSettings") ?? [] {
                if setting["CachingEnabled"] == .bool(false) { setting = setting.removing("CachingEnabled") }
                let known = limits.union(["ResourcePath", "HttpMethod"])
                guard let found = try throttle(setting, known: known) else { continue }
                // `/~1profile` is the resource `/profile` (`~1` escapes `/` in a resource path).
                let resource = try setting.text("ResourcePath") ?? "/*"
                let path = resource.hasPrefix("/~1")
                    ? String(resource.dropFirst()).replacing("~1", with: "/") : resource
                throttles.append((path, try setting.text("HttpMethod")?.uppercased() ?? "*", found))
            }
            apiKeyRequired = try auth.bool("ApiKeyRequired") ?? false
            if let source = try properties.text("ApiKeySourceType"), source != "HEADER" {
                throw Refused(reason: "ApiKeySourceType \(source) cannot be emulated locally (only HEADER)")
            }
            if let plan = try auth.object("UsagePlan"), try plan.text("CreateUsagePlan") != "NONE" {
                usagePlan = try Self.usagePlan(plan, resolver: resolver)
            }
        } else {
            if let defaults = try properties.object("DefaultRouteSettings"),
               let found = try throttle(defaults, known: limits) {
                throttles.append(("/*", "*", found))
            }
            let routes = try properties.object("RouteSettings") ?? TemplateObject([:])
            for key in routes.names {
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, let settings = try routes.object(key),
                      let found = try throttle(settings, known: limits) else { continue }
                throttles.append((parts[1], parts[0].uppercased(), found))
            }
        }
        // Most specific first: an exact path before `/*`, an exact method before `*`.
        throttles.sort { ($0.path == "/*" ? 1 : 0, $0.method == "*" ? 1 : 0) < ($1.path == "/*" ? 1 : 0, $1.method == "*" ? 1 : 0) }
    }

    /// The throttle of `method path`, if any setting covers it.
    func throttle(method: String, path: String) -> Throttle? {
        throttles.first { ($0.path == "/*" || $0.path == path) && ($0.method == "*" || $0.method == method) }?.throttle
    }

    private static func usagePlan(_ plan: TemplateObject, resolver: Resolver) throws -> UsagePlan {
        let known: Set<String> = ["CreateUsagePlan", "Throttle", "Quota", "Description", "UsagePlanName", "Tags"]
        if let other = plan.names.first(where: { !known.contains($0) }) {
            throw Refused(reason: "UsagePlan.\(other) cannot be emulated locally")
        }
        var result = UsagePlan()
        if let throttle = try plan.object("Throttle") {
            if throttle["Path"] != nil { throw Refused(reason: "UsagePlan.Throttle.Path cannot be emulated locally") }
            result.throttle = Throttle(rate: try throttle.number("RateLimit", resolver) ?? defaultRate,
                                       burst: try throttle.int("BurstLimit", resolver) ?? defaultBurst)
        }
        if let quota = try plan.object("Quota") {
            guard let limit = try quota.int("Limit", resolver), let period = try quota.text("Period"),
                  ["DAY", "WEEK", "MONTH"].contains(period), try quota.int("Offset", resolver) ?? 0 == 0 else {
                throw Refused(reason: "UsagePlan.Quota needs Limit and Period DAY, WEEK or MONTH (no Offset) to be emulated")
            }
            result.quota = Quota(limit: limit, period: period)
        }
        return result
    }
}
