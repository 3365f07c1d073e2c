import Transport
import LocalStack
import FoundationEssentials
import GatehouseTesting
import Glibc
import Runtime
import Testing

/// The dev console in a real headless browser (Debian's `chromium`): it signs in as Ada through the identity
/// provider's login page (the code flow with PKCE, the form filled as a user would), calls every route with and
/// without the token, and the answers are the seed 003 frontend's; then it signs in at the dev user pool's managed login
/// (on the pool client's callback origin, localhost) and calls the Cognito authorizer's route.
@Suite(.serialized) struct ConsoleBrowserTests {
    static let chromium: String? = (["/usr/bin/chromium", "/usr/bin/chromium-browser"] as [String]).first { access($0, X_OK) == 0 }

    /// Drives chromium through the DevTools protocol over a pipe (`--remote-debugging-pipe`: no port, no extra
    /// package) as a user would: opens `url`, fills the identity provider's login page when it shows, waits until the
    /// console says it is done, and prints the page; a screenshot at each step goes to `folder`.
    static let driver = #"""
        import base64, json, os, sys, time
        chromium, urls, email, password, folder, profile = sys.argv[1:7]
        commands_read, commands = os.pipe()
        answers, answers_write = os.pipe()
        high_read, high_write = os.dup(commands_read), os.dup(answers_write)
        pid = os.posix_spawn(chromium, [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                              "--no-first-run", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                              "--window-size=1100,2000", "about:blank"], dict(os.environ),
                             file_actions=[(os.POSIX_SPAWN_DUP2, high_read, 3), (os.POSIX_SPAWN_DUP2, high_write, 4),
                                           (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                                           (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
        for fd in (commands_read, answers_write, high_read, high_write): os.close(fd)
        state = {"buffer": b"", "id": 0}
        def send(method, params=None, session=None):
            state["id"] += 1
            message = {"id": state["id"], "method": method, "params": params or {}}
            if session: message["sessionId"] = session
            os.write(commands, json.dumps(message).encode() + b"\0")
            while True:
                while b"\0" not in state["buffer"]:
                    chunk = os.read(answers, 1 << 16)
                    if not chunk: raise SystemExit("chromium closed the pipe")
                    state["buffer"] += chunk
                line, state["buffer"] = state["buffer"].split(b"\0", 1)
                answer = json.loads(line)
                if answer.get("id") == state["id"]:
                    if "error" in answer: raise SystemExit(f"{method}: {answer['error']}")
                    return answer.get("result", {})
        target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        def evaluate(expression):
            try:
                return send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session).get("result", {}).get("value")
            except SystemExit as error:
                # Asked while the page navigates (the console moving to the pool's callback origin): ask again.
                if "navigated or closed" in str(error) or "context" in str(error): return None
                raise
        shots = [0]
        def screenshot(name):
            shots[0] += 1
            data = send("Page.captureScreenshot", {"format": "png"}, session)["data"]
            with open(os.path.join(folder, f"{shots[0]:02d}-{name}.png"), "wb") as file: file.write(base64.b64decode(data))
        for run, url in enumerate(urls.split(" ")):
            send("Page.navigate", {"url": url}, session)
            signed_in, where = False, ""
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                where = evaluate("location.host + location.pathname + ' ' + (document.querySelector('[name=password]') ? 'form' : '-')"
                                 " + ' ' + ((document.body && document.body.dataset.done) || '-')") or ""
                page = where.split(" ")[0].split("/", 1)[-1]
                if page in ("idp/authorize", "cognito/oauth2/authorize") and " form " in where and not signed_in:
                    screenshot(f"{run}-login-page")
                    evaluate(f"document.querySelector('[name=username]').value = {json.dumps(email)};"
                             f"document.querySelector('[name=password]').value = {json.dumps(password)};"
                             "document.querySelector('form').submit()")
                    signed_in = True
                elif where.endswith(" yes"):
                    screenshot(f"{run}-console-done")
                    print(evaluate("location.host + ' ' + document.documentElement.outerHTML"))
                    print("<!-- run ends -->")
                    break
                time.sleep(0.2)
            else:
                screenshot("stuck")
                raise SystemExit("the console did not finish: " + where)
        os.kill(pid, 9)
        """#

    @Test(.enabled(if: chromium != nil, "skipped: chromium is not installed (apt-get install chromium)"))
    func consoleSignsInAndCallsEveryRoute() async throws {
        // First the identity provider and every route, then the pool's managed login (from 127.0.0.1 the console
        // moves to localhost, the pool client's callback origin) and its authorizer's route.
        let url = ["/?autorun", "/?autorun=pool", "/?autorun=dpop"].map { SeedFlowTests.stack.base + $0 }.joined(separator: " ")
        let python = try #require(PythonPeer.find(module: "json"))
        let folder = SeedFlowTests.stack.data + "/console-screenshots"
        mkdir(folder, 0o755)
        // Run as an async child (not `PythonPeer.output`, which waits on a thread of the cooperative pool for the
        // browser's whole run and starves the suite's other tests meanwhile).
        let run = try await FunctionProcess.run(python, arguments: ["-c", Self.driver, Self.chromium!, url, "ada@example.com",
                                                                    "correct horse battery staple", folder,
                                                                    SeedFlowTests.stack.data + "/chromium"],
                                                deadline: 150)
        #expect(run.exitCode == 0, "\(run.lines.suffix(5))")
        let runs = run.lines.joined(separator: "\n").split(separator: "<!-- run ends -->")
            .map { String($0.drop { $0.isNewline }) }
        #expect(runs.count == 3, "\(run.lines.suffix(5))")
        let dom = runs.first ?? "", pool = runs.count > 1 ? runs[1] : "", dpop = runs.count > 2 ? runs[2] : ""
        print("dev console screenshots: \(folder)")
        // Signed in through the provider's page: the console's own sign-in form has no password field.
        let signInForm = dom.firstRange(of: #"<form id="signin">"#).map { dom[$0.lowerBound...].prefix { $0 != "/" } } ?? ""
        #expect(!signInForm.isEmpty && !signInForm.contains("password"))
        #expect(dom.contains(#"data-done="yes""#))
        func status(_ route: String, token: Bool, from source: String = "yes", in page: String? = nil) -> String? {
            let marker = #"data-route="\#(route)" data-token="\#(token ? source : "no")" data-status=""#
            guard let part = (page ?? dom).split(separator: marker, maxSplits: 1, omittingEmptySubsequences: false)
                .dropFirst().first
            else { return nil }
            return String(part.prefix { $0 != "\"" })
        }
        #expect(dom.contains(#"{"name":"Ada Lovelace"}"#))  // GET /profile, from the token's name claim
        #expect(dom.contains(#"data-rotations="1""#))  // a refresh, before the calls that follow use its token
        // Signed out at the end: the refresh token revoked at the provider, so presenting it again fails (403, as
        // Auth0 answers an unknown or revoked refresh token).
        #expect(dom.contains(#"data-after-sign-out="403 invalid_grant""#))
        #expect(dom.contains(#"<pre id="token">signed out</pre>"#))
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
        // The Cognito authorizer's route takes the dev user pool's ID token only, got through its managed login on
        // the client's callback origin; the console has no password field there either.
        #expect(status("GET /me", token: true) == "401")
        #expect(pool.hasPrefix("localhost:"), "\(pool.prefix(40))")
        #expect(status("GET /me", token: false, in: pool) == "401")
        #expect(status("GET /me", token: true, from: "pool", in: pool) == "200")
        #expect(pool.contains(#""cognito:username": "ada@example.com""#))  // the pool's ID token, decoded
        #expect(!pool.contains(#"type="password""#))
        // With a DPoP-bound token (the key made by WebCrypto, never exportable): the DPoP route answers with the
        // key's thumbprint for a call with a proof, and refuses the same token sent as a bearer token, as does every
        // other route (the JWT authorizer's passes it on, its handler finds no caller).
        #expect(status("GET /dpop/whoami", token: true, from: "dpop", in: dpop) == "200")
        #expect(dpop.contains(#""cnf": {"#))  // the decoded token names the key it is bound to
        #expect(status("GET /dpop/whoami", token: true, from: "stolen", in: dpop) == "401")
        #expect(status("POST /wish-list", token: true, from: "stolen", in: dpop) == "401")
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

        let shots = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(shots == ["01-0-login-page.png", "02-0-console-done.png", "03-1-login-page.png", "04-1-console-done.png",
                          "05-2-login-page.png", "06-2-console-done.png"], "\(shots)")
    }
}
