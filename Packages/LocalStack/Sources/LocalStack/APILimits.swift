import JSON
import HTTP

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

    struct Refused: Error { let reason: String }

    /// No limits (an API without settings).
    init() {}

    init(_ properties: [String: JSONValue], kind: LocalTemplate.APIKind) throws(Refused) {
        let observational: Set<String> = ["LoggingLevel", "MetricsEnabled", "DataTraceEnabled", "DetailedMetricsEnabled"]
        func throttle(_ settings: [String: JSONValue], known: Set<String>, name: String) throws(Refused) -> Throttle? {
            if let other = settings.keys.sorted().first(where: { !known.contains($0) && !observational.contains($0) }) {
                throw Refused(reason: "\(name).\(other) cannot be emulated locally")
            }
            let burst = settings["ThrottlingBurstLimit"]?.text.flatMap { Int($0) }
            let rate = settings["ThrottlingRateLimit"]?.text.flatMap { Double($0) }
            guard burst != nil || rate != nil else { return nil }
            return Throttle(rate: rate ?? Self.defaultRate, burst: burst ?? Self.defaultBurst)
        }
        let limits: Set<String> = ["ThrottlingBurstLimit", "ThrottlingRateLimit"]
        if kind == .rest {
            for setting in properties["MethodSettings"]?.arrayValue ?? [] {
                var object = setting.objectValue ?? [:]
                if object["CachingEnabled"] == .bool(false) { object["CachingEnabled"] = nil }
                guard let found = try throttle(object, known: limits.union(["ResourcePath", "HttpMethod"]), name: "MethodSettings")
                else { continue }
                // `/~1profile` is the resource `/profile` (`~1` escapes `/` in a resource path).
                let setting = object["ResourcePath"]?.text ?? "/*"
                let path = setting.hasPrefix("/~1") ? String(setting.dropFirst()).replacing("~1", with: "/") : setting
                throttles.append((path, object["HttpMethod"]?.text?.uppercased() ?? "*", found))
            }
            let auth = properties["Auth"]?.objectValue ?? [:]
            apiKeyRequired = auth["ApiKeyRequired"] == .bool(true)
            if let source = properties["ApiKeySourceType"]?.text, source != "HEADER" {
                throw Refused(reason: "ApiKeySourceType \(source) cannot be emulated locally (only HEADER)")
            }
            if let plan = auth["UsagePlan"]?.objectValue, plan["CreateUsagePlan"]?.text != "NONE" {
                usagePlan = try Self.usagePlan(plan)
            }
        } else {
            if let defaults = properties["DefaultRouteSettings"]?.objectValue,
               let found = try throttle(defaults, known: limits, name: "DefaultRouteSettings") {
                throttles.append(("/*", "*", found))
            }
            for (key, settings) in properties["RouteSettings"]?.objectValue ?? [:] {
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, let found = try throttle(settings.objectValue ?? [:], known: limits, name: "RouteSettings")
                else { continue }
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

    private static func usagePlan(_ plan: [String: JSONValue]) throws(Refused) -> UsagePlan {
        let known: Set<String> = ["CreateUsagePlan", "Throttle", "Quota", "Description", "UsagePlanName", "Tags"]
        if let other = plan.keys.sorted().first(where: { !known.contains($0) }) {
            throw Refused(reason: "UsagePlan.\(other) cannot be emulated locally")
        }
        var result = UsagePlan()
        if let throttle = plan["Throttle"]?.objectValue {
            if throttle["Path"] != nil { throw Refused(reason: "UsagePlan.Throttle.Path cannot be emulated locally") }
            result.throttle = Throttle(rate: throttle["RateLimit"]?.text.flatMap { Double($0) } ?? defaultRate,
                                       burst: throttle["BurstLimit"]?.text.flatMap { Int($0) } ?? defaultBurst)
        }
        if let quota = plan["Quota"]?.objectValue {
            guard let limit = quota["Limit"]?.text.flatMap({ Int($0) }), let period = quota["Period"]?.text,
                  ["DAY", "WEEK", "MONTH"].contains(period), (quota["Offset"]?.text ?? "0") == "0" else {
                throw Refused(reason: "UsagePlan.Quota needs Limit and Period DAY, WEEK or MONTH (no Offset) to be emulated")
            }
            result.quota = Quota(limit: limit, period: period)
        }
        return result
    }
}
