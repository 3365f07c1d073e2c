import HTTP

/// The dev console at `/`: sign in as a dev user through the identity provider's login page or the dev Cognito pool's
/// managed login (the authorization code flow with PKCE; the page never sees the password), refresh, see the decoded
/// token, and call each route the stack serves (listed from its OpenAPI document) with or without it. Plain HTML and
/// JavaScript, no build step; `?autorun` starts the sign-in and, once back from the login page, refreshes once and
/// calls every route; `?autorun=pool` signs in at the pool and calls its authorizer's route; `?autorun=dpop` signs in
/// with a DPoP-bound token and calls the DPoP route with a proof and as a stolen bearer token (the headless-browser
/// test drives all three, filling the login pages as a user would).
enum ConsolePage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>Gatehouse dev console</title>
    <style>
      body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; max-width: 60rem; color: #222; }
      h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
      input { font: inherit; padding: .2rem .4rem; } button { font: inherit; margin: .1rem; }
      pre { background: #f4f4f4; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
      li { margin: .3rem 0; } .s2 { color: #0a7b20; } .s4, .s5 { color: #b3261e; } code { font-size: 13px; }
      #reloadProblem { background: #b3261e; color: white; padding: .4rem .6rem; font-family: monospace; white-space: pre-wrap; }
      #matrix { border-collapse: collapse; font-size: 13px; } #matrix td, #matrix th { border: 1px solid #ddd; padding: .1rem .4rem; }
      #matrix td.allowed { background: #d7f0da; } #matrix td.refused { background: #fbe3a6; } #matrix td.edge { background: #f6cfcb; }
    </style>
    </head>
    <body>
    <div id="reloadProblem" hidden></div>
    <h1>Gatehouse dev console</h1>
    <p>Authentication happens at the gateway (authorizers); authorization in the handlers (scopes). Sign in, then call
    each route with and without the token and compare the answers. The API as OpenAPI 3.1:
    <a href="/openapi.json">/openapi.json</a>.</p>
    <form id="signin">
      <input id="scope" value="read:profile write:wishlist offline_access" size="40" aria-label="requested scopes">
      <button type="submit">Sign in</button>
    </form>
    <p>Sign in sends you to the dev identity provider's own login page (<code>/idp/authorize</code>: the authorization
    code flow with PKCE); this page never sees your password. It gets back a one-time code and trades it, with the
    verifier only it holds, for an access token for the API — kept in memory, gone when you reload.</p>
    <form id="pool">
      <button type="submit" id="poolSignIn">Sign in with the dev user pool</button>
    </form>
    <p>The dev Cognito user pool's managed login (<code>/cognito/oauth2/authorize</code>, the same flow) returns to
    <code>http://localhost:PORT/</code>, the callback URL its app client registered (Cognito takes plain http for
    localhost only), so this page moves there first. Its ID token is what the Cognito authorizer's route
    (<code>GET /me</code>) accepts.</p>
    <form id="dpop">
      <button type="submit" id="dpopSignIn">Sign in with a DPoP-bound token</button>
    </form>
    <p>The same sign-in, but the code is traded with a DPoP proof: this page makes a key pair whose private half it
    cannot export (WebCrypto, non-extractable), and the token it gets is bound to that key (<code>cnf.jkt</code>).
    Each call to <code>GET /dpop/whoami</code> then carries a fresh proof signed with it; the same token sent as a
    bearer token — a stolen copy, without the key — is refused.</p>
    <p id="signinProblem" hidden></p>
    <h2>Token <button id="refresh" type="button" disabled>refresh</button>
      <button id="signOut" type="button">sign out</button></h2>
    <p id="refreshStatus">With <code>offline_access</code> the sign-in also returns a refresh token. Each refresh
    spends it and returns a new one; presenting a spent one again revokes the whole session.</p>
    <pre id="token">not signed in</pre>
    <h2>Routes</h2>
    <label><input type="checkbox" id="useToken" checked> send the token</label>
    <ul id="routes"></ul>
    <h2>Answers</h2>
    <ul id="results"></ul>
    <h2>Authorization matrix <button id="runMatrix" type="button">run</button></h2>
    <p>Every route called as every dev identity: the status and the layer that answered (gateway, authorizer,
    handler). docs/authorization-matrix.md holds the decided table; a test checks the stack still answers it.</p>
    <table id="matrix"></table>
    <h2>Metrics <button id="refreshMetrics" type="button">refresh</button></h2>
    <p>What the functions counted since the stack started (their CloudWatch EMF lines): requests and errors per route,
    authorization decisions per layer and reason.</p>
    <table id="metrics"></table>
    <script src="/console.js"></script>
    </body>
    </html>
    """#

    /// The page's script, served from `/console.js` so the page's policy can allow scripts from this origin only.
    static let script = #"""
    // The routes come from the stack's OpenAPI document (the template and the apps' own `--describe`), so a new app's
    // routes are here as soon as the stack serves them. A `{tenantId}` is tried as two dev tenants (the signed-in
    // user's and another's); a route with another path parameter asks for its value when clicked, and autorun skips it.
    const devTenants = ["acme", "globex"];
    let routes = [];
    async function loadRoutes() {
      const api = await (await fetch("/openapi.json")).json();
      routes = [];
      for (const [template, operations] of Object.entries(api.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (method === "parameters") continue;
          const body = operation.requestBody?.content?.["application/json"]?.example;
          const paths = template.includes("{tenantId}") ? devTenants.map(tenant => template.replace("{tenantId}", tenant)) : [template];
          for (const path of paths) routes.push([method.toUpperCase(), path, body]);
        }
      }
      const list = document.getElementById("routes");
      list.textContent = "";
      for (const [method, path, body] of routes) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.textContent = method + " " + path;
        // A bound token goes out as DPoP with a proof; the others as bearer tokens.
        button.onclick = () => call(method, withParameters(path), body,
                                    document.getElementById("useToken").checked && (dpopKey && !fromPool ? "dpop" : true));
        item.appendChild(button);
        list.appendChild(item);
      }
    }
    const withParameters = path => path.replace(/\{(\w+)\+?\}/g, (_, name) => encodeURIComponent(prompt(name + "?") || ""));
    let token = null, refreshToken = null, fromPool = false;
    const decode = part => JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/")));
    async function grant(fields, bound) {
      const endpoint = location.origin + "/idp/oauth/token", headers = {"Content-Type": "application/json"};
      if (bound) headers["DPoP"] = await dpopProof("POST", endpoint, null);
      const response = await fetch(endpoint, {method: "POST", headers,
        body: JSON.stringify({...fields, audience: "https://api.gatehouse.dev", client_id: "gatehouse-console"})});
      const body = await response.json();
      if (!response.ok) { document.getElementById("token").textContent = response.status + " " + JSON.stringify(body); return false; }
      token = body.access_token;
      fromPool = false;
      refreshToken = body.refresh_token || null;
      document.getElementById("refresh").disabled = !refreshToken;
      document.getElementById("token").textContent = JSON.stringify(decode(token.split(".")[1]), null, 2);
      return true;
    }
    // The authorization code flow with PKCE: the verifier and state wait in sessionStorage for the one round trip
    // to the provider's login page; the tokens stay in memory.
    const base64url = bytes => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const randomText = count => base64url(crypto.getRandomValues(new Uint8Array(count)));
    const autorun = new URLSearchParams(location.search).get("autorun");
    // The provider's authorize endpoint, with the challenge of a verifier kept for the round trip.
    async function authorize(provider, endpoint, parameters) {
      const verifier = randomText(32), state = randomText(16);
      sessionStorage.setItem("signin", JSON.stringify({verifier, state, provider, autorun: autorun !== null}));
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
      location.assign(endpoint + "?" + new URLSearchParams({...parameters, response_type: "code", state,
        redirect_uri: location.origin + "/", code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: "S256"}));
    }
    async function signIn(event, provider) {
      if (event) event.preventDefault();
      await authorize(provider || "idp", "/idp/authorize", {client_id: "gatehouse-console", scope: "openid " + scope.value,
                                                            audience: "https://api.gatehouse.dev"});
    }
    // DPoP (RFC 9449): a P-256 key pair whose private half cannot leave WebCrypto, and a proof per request — a JWS
    // over the method, the URL, the time and the token's hash, with the public key in its header.
    let dpopKey = null, dpopJwk = null;
    async function dpopProof(method, url, accessToken) {
      if (!dpopKey) {
        dpopKey = await crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, false, ["sign", "verify"]);
        const {kty, crv, x, y} = await crypto.subtle.exportKey("jwk", dpopKey.publicKey);
        dpopJwk = {kty, crv, x, y};
      }
      const text = value => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
      const claims = {jti: randomText(16), htm: method, htu: url, iat: Math.floor(Date.now() / 1000)};
      if (accessToken) claims.ath = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", text(accessToken))));
      const input = base64url(text({typ: "dpop+jwt", alg: "ES256", jwk: dpopJwk})) + "." + base64url(text(claims));
      const signature = await crypto.subtle.sign({name: "ECDSA", hash: "SHA-256"}, dpopKey.privateKey, text(input));
      return input + "." + base64url(new Uint8Array(signature));
    }
    async function poolSignIn(event) {
      if (event) event.preventDefault();
      // The pool's client registered http://localhost:PORT/ only: continue there (another origin, its own storage).
      if (location.hostname !== "localhost") {
        location.assign("http://localhost:" + location.port + "/?autorun=pool");
        return;
      }
      await authorize("pool", "/cognito/oauth2/authorize", {client_id: "gatehouse-web", scope: "openid email profile"});
    }
    // The pool's token endpoint (a form, as Cognito's): its ID token is what the Cognito authorizer takes.
    async function poolGrant(fields) {
      const response = await fetch("/cognito/oauth2/token", {method: "POST",
        body: new URLSearchParams({...fields, client_id: "gatehouse-web"})});
      const body = await response.json();
      if (!response.ok) { document.getElementById("token").textContent = response.status + " " + JSON.stringify(body); return; }
      token = body.id_token;
      fromPool = true;
      refreshToken = null;
      document.getElementById("refresh").disabled = true;
      document.getElementById("token").textContent = JSON.stringify(decode(token.split(".")[1]), null, 2);
    }
    // Back from the login page: the code, if the state is ours, for tokens; the code leaves the address bar first.
    async function completeSignIn() {
      const answer = new URLSearchParams(location.search);
      const pending = JSON.parse(sessionStorage.getItem("signin") || "null");
      if (!answer.has("code") && !answer.has("error")) return null;
      sessionStorage.removeItem("signin");
      history.replaceState(null, "", "/");
      const problem = document.getElementById("signinProblem");
      if (!pending || answer.get("state") !== pending.state) {
        problem.hidden = false;
        problem.textContent = "A sign-in answer this page did not ask for was ignored (state mismatch).";
        return null;
      }
      if (answer.has("error")) {
        problem.hidden = false;
        problem.textContent = "Sign-in refused: " + answer.get("error") + " " + (answer.get("error_description") || "");
        return null;
      }
      const fields = {grant_type: "authorization_code", code: answer.get("code"), redirect_uri: location.origin + "/",
                      code_verifier: pending.verifier};
      await (pending.provider === "pool" ? poolGrant(fields) : grant(fields, pending.provider === "dpop"));
      return pending;
    }
    async function refresh() {
      // A refresh token bound to this page's key (a DPoP sign-in) is spent only with a proof from that key.
      if (!refreshToken || !await grant({grant_type: "refresh_token", refresh_token: refreshToken}, dpopKey !== null)) return;
      const status = document.getElementById("refreshStatus");
      status.dataset.rotations = Number(status.dataset.rotations || 0) + 1;
      status.textContent = `Refreshed ${status.dataset.rotations}×: a new access token and a new refresh token; the `
        + "previous refresh token is spent.";
    }
    // `withToken`: true (bearer), false, or "dpop" (the bound token with a fresh proof from this page's key).
    // Sign-out: the refresh token revoked at the provider (its whole session: RFC 7009), the tokens and the key
    // dropped from memory; the revoked refresh token is then tried once, to show it no longer works.
    async function signOut() {
      const spent = fromPool ? null : refreshToken;
      if (spent) {
        await fetch("/idp/oauth/revoke", {method: "POST", headers: {"Content-Type": "application/json"},
          body: JSON.stringify({token: spent, client_id: "gatehouse-console"})});
      }
      token = null; refreshToken = null; fromPool = false; dpopKey = null; dpopJwk = null;
      document.getElementById("refresh").disabled = true;
      document.getElementById("token").textContent = "signed out";
      const status = document.getElementById("refreshStatus");
      if (!spent) { status.textContent = "Signed out."; return; }
      const retry = await fetch("/idp/oauth/token", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({grant_type: "refresh_token", refresh_token: spent, client_id: "gatehouse-console"})});
      status.dataset.afterSignOut = retry.status + " " + ((await retry.json()).error || "");
      status.textContent = "Signed out: the refresh token is revoked (presented again: " + status.dataset.afterSignOut + ").";
    }
    async function call(method, path, body, withToken) {
      const headers = {"Content-Type": "application/json"};
      if (withToken === "dpop" && token) {
        headers["Authorization"] = "DPoP " + token;
        headers["DPoP"] = await dpopProof(method, location.origin + path, token);
      } else if (withToken && token) headers["Authorization"] = "Bearer " + token;
      const response = await fetch(path, {method, headers, body: body ? JSON.stringify(body) : undefined});
      const text = await response.text();
      const item = document.createElement("li");
      item.dataset.route = method + " " + path;
      item.dataset.token = withToken === "dpop" ? "dpop" : withToken ? (fromPool ? "pool" : dpopKey ? "stolen" : "yes") : "no";
      item.dataset.status = response.status;
      item.className = "s" + String(response.status)[0];
      item.innerHTML = "<code></code>";
      const kind = withToken === "dpop" ? "DPoP token and proof" : withToken
        ? (fromPool ? "with the pool's token" : dpopKey ? "bound token as bearer: a stolen copy" : "with token") : "without token";
      item.firstChild.textContent = `${method} ${path} (${kind}) → ${response.status} ${text}`;
      document.getElementById("results").appendChild(item);
    }
    async function refreshMetrics() {
      const body = await (await fetch("/_gatehouse/metrics")).json();
      const table = document.getElementById("metrics");
      table.textContent = "";
      for (const entry of body.counts) {
        const row = table.insertRow();
        row.dataset.metric = Object.values(entry.dimensions).join(" ");
        row.insertCell().textContent = Object.entries(entry.dimensions).map(([k, v]) => k + "=" + v).join(" ");
        row.insertCell().textContent = Object.entries(entry.metrics).map(([k, v]) => k + " " + v).join(", ");
      }
    }
    async function runMatrix() {
      const body = await (await fetch("/_gatehouse/matrix", {method: "POST", headers: {"content-type": "application/json"}, body: "{}"})).json();
      const table = document.getElementById("matrix");
      table.textContent = "";
      const header = table.insertRow();
      for (const name of ["route", ...body.columns]) { const cell = document.createElement("th"); cell.textContent = name; header.appendChild(cell); }
      for (const row of body.rows) {
        const line = table.insertRow();
        line.insertCell().textContent = row.route;
        row.cells.forEach((text, index) => {
          const cell = line.insertCell();
          cell.textContent = text;
          // Green: allowed. Amber: refused by the handler (its policies, its scope check). Red: refused at the edge.
          const [status, layer] = text.split(" ");
          cell.className = Number(status) < 400 ? "allowed" : ["gateway", "authorizer"].includes(layer) ? "edge" : "refused";
          cell.dataset.cell = row.route + " × " + body.columns[index];
        });
      }
      table.dataset.done = "yes";
    }
    // `make run` rebuilds what you change; while the last build failed, its first error is shown here.
    async function checkReload() {
      const body = await (await fetch("/_gatehouse/reload")).json();
      const banner = document.getElementById("reloadProblem");
      banner.hidden = !body.problem;
      banner.textContent = body.problem ? "The last reload failed; still serving the last good build.\n" + body.problem : "";
    }
    setInterval(checkReload, 2000);
    checkReload();
    document.getElementById("refreshMetrics").addEventListener("click", refreshMetrics);
    document.getElementById("runMatrix").addEventListener("click", runMatrix);
    document.getElementById("signin").addEventListener("submit", signIn);
    document.getElementById("refresh").addEventListener("click", refresh);
    document.getElementById("signOut").addEventListener("click", signOut);
    document.getElementById("pool").addEventListener("submit", poolSignIn);
    document.getElementById("dpop").addEventListener("submit", event => signIn(event, "dpop"));
    const loaded = loadRoutes();
    const returned = completeSignIn();
    // `?autorun`: sign in (the login page is filled by whoever drives the browser), then, back here, call everything;
    // `?autorun=pool`: sign in at the pool, then call its authorizer's route.
    if (autorun === "pool") poolSignIn(); else if (autorun === "dpop") signIn(null, "dpop"); else if (autorun !== null) signIn();
    returned.then(pending => {
      if (!pending?.autorun) return;
      (async () => {
        await loaded;
        if (pending.provider === "pool") {
          await call("GET", "/me", null, false);
          await call("GET", "/me", null, true);
        } else if (pending.provider === "dpop") {
          await call("GET", "/dpop/whoami", null, "dpop");
          await call("GET", "/dpop/whoami", null, true);
          await call("POST", "/wish-list", {name: "Book"}, true);
        } else {
          await refresh();
          for (const [method, path, body] of routes.filter(([, path]) => !path.includes("{"))) {
            await call(method, path, body, false);
            await call(method, path, body, true);
          }
          await refreshMetrics();
          await runMatrix();
          await signOut();
        }
        document.body.dataset.done = "yes";
      })();
    });
    """#

    /// Headers of both answers: scripts from this origin only (never inline ones, so injected markup cannot run),
    /// no MIME sniffing, no framing.
    static let securityHeaders = [
        "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
    ]

    /// The answer to `GET path` when it is the console's page or script.
    static func response(_ path: String) -> HTTPResponse? {
        let type: String, text: String
        switch path {
        case "/": (type, text) = ("text/html; charset=utf-8", html)
        case "/console.js": (type, text) = ("text/javascript; charset=utf-8", script)
        default: return nil
        }
        return HTTPResponse(status: .ok, headers: securityHeaders.merging(["content-type": type]) { $1 }, body: Array(text.utf8))
    }
}
