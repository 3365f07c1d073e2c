import Transport
import LocalStack
import FoundationEssentials
import Glibc
import Runtime
import Testing

/// The dev console in a real headless browser (Debian's `chromium`): it signs in as Ada through the identity
/// provider, calls every route with and without the token, and the answers are the seed 003 frontend's; then it
/// signs in to the dev user pool and calls the Cognito authorizer's route.
@Suite(.serialized) struct ConsoleBrowserTests {
    static let chromium: String? = (["/usr/bin/chromium", "/usr/bin/chromium-browser"] as [String]).first { access($0, X_OK) == 0 }

    /// Runs chromium headless on `url` with `arguments`; its stdout.
    static func browse(_ arguments: [String]) async throws -> String {
        let output = try await FunctionProcess.run(
            chromium!,
            arguments: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                        "--virtual-time-budget=15000"] + arguments,
            environment: ["HOME": SeedFlowTests.stack.data], deadline: 120)
        return output.lines.joined(separator: "\n")
    }

    @Test(.enabled(if: chromium != nil, "skipped: chromium is not installed (apt-get install chromium)"))
    func consoleSignsInAndCallsEveryRoute() async throws {
        let url = SeedFlowTests.stack.base + "/?autorun"
        let dom = try await Self.browse(["--dump-dom", url])
        #expect(dom.contains(#"data-done="yes""#))
        func status(_ route: String, token: Bool, from source: String = "yes") -> String? {
            let marker = #"data-route="\#(route)" data-token="\#(token ? source : "no")" data-status=""#
            guard let part = dom.split(separator: marker, maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first
            else { return nil }
            return String(part.prefix { $0 != "\"" })
        }
        #expect(dom.contains(#""name": "Ada Lovelace""#))  // the decoded token
        #expect(dom.contains(#"data-rotations="1""#))  // a refresh, before the calls that follow use its token
        #expect(status("GET /wish-list", token: false) == "200")
        #expect(status("POST /wish-list", token: false) == "401")
        #expect(status("POST /wish-list", token: true) == "201")
        #expect(status("GET /profile", token: false) == "401")
        #expect(status("GET /profile", token: true) == "200")
        #expect(status("GET /tenants/acme/wish-list", token: true) == "200")
        #expect(status("GET /tenants/globex/wish-list", token: true) == "403")
        // Every route the stack serves is there, read from its OpenAPI document: the shared lists and the edge-policy
        // route too (a route with an id in its path is a button that asks for it, so autorun leaves it).
        #expect(status("POST /lists", token: false) == "401")
        #expect(status("GET /edge/profile", token: false) == "401")
        #expect(dom.contains(">GET /lists/{id}</button>"))
        // The Cognito authorizer's route takes the dev user pool's ID token only.
        #expect(status("GET /me", token: true) == "401")
        #expect(status("GET /me", token: true, from: "pool") == "200")
        #expect(dom.contains(#""cognito:username": "ada@example.com""#))  // the pool's ID token, decoded
        // The metrics the functions counted, shown on the page: the wish list's POST and its handler decisions.
        // (dimension values in the order of their names: Decision, Layer, Reason, Route, Service)
        #expect(dom.contains(#"data-metric="POST /wish-list wish-list""#))
        #expect(dom.contains(#"data-metric="allow handler authorized wish-list""#))
        #expect(dom.contains(#"data-metric="deny authorizer explicit deny request-authorizer""#))
        // The authorization matrix, made by the stack and shown as a table.
        #expect(dom.contains(#"data-cell="POST /wish-list × reader-service">403 handler</td>"#))
        #expect(dom.contains(#"data-cell="GET /tenants/{tenantId}/wish-list × bob@example.com">403 authorizer</td>"#))
        #expect(dom.contains(#"data-cell="POST /wish-list × login ada@example.com">401 gateway</td>"#))
        // Coloured by who decided, each policy cell naming its deciding policy: carol reads the list shared with her,
        // bob is refused by the same-tenant forbid, the JWT authorizer refuses the login token at the edge.
        #expect(dom.contains(#"class="allowed" data-cell="GET /lists/{id} × carol@example.com">200 handler (viewers)</td>"#))
        #expect(dom.contains(#"class="refused" data-cell="GET /lists/{id} × bob@example.com">403 policy (same-tenant)</td>"#))
        #expect(dom.contains(#"class="edge" data-cell="GET /lists/{id} × login ada@example.com">401 gateway</td>"#))

        let screenshot = SeedFlowTests.stack.data + "/console.png"
        _ = try await Self.browse(["--screenshot=\(screenshot)", "--window-size=1100,2000", url])
        #expect(access(screenshot, R_OK) == 0)
        print("dev console screenshot: \(screenshot)")
    }
}
