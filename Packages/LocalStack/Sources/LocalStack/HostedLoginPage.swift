import AWS
import HTTP
import JWT
import Sessions

/// A provider's hosted login page (the dev IdP's `/idp/authorize`, the dev pool's managed login): the form, its CSRF
/// cookie, the provider's other pages and the redirect back to the app. The pages run no script, cannot be framed and
/// post only to themselves.
struct HostedLoginPage: Sendable {
    /// Where the form posts.
    let action: String
    /// The CSRF cookie: the form's hidden token must equal it (and the sign-in's own).
    let cookie: String
    /// The cookie's path (the provider's mount).
    let cookiePath: String
    /// The line under the form.
    let note: String

    /// The `Set-Cookie` that removes the CSRF cookie once the sign-in is over.
    var clearedCookie: String { "\(cookie)=; Path=\(cookiePath); Max-Age=0; HttpOnly; SameSite=Strict" }

    /// The login form for sign-in `id`: the fields `username` and `password`, the sign-in and its CSRF token hidden,
    /// and the cookie holding the same token.
    func form(id: String, csrf: String, request: AuthorizationCodes.Request, status: HTTPStatus,
              problem: String?) -> HTTPResponse {
        let scopes = request.scope.split(separator: " ").map { "<li>\(Self.escaped(String($0)))</li>" }.joined()
        let body = """
            <p><b>\(Self.escaped(request.clientID))</b> asks you to sign in\(scopes.isEmpty ? "." : ", for:")</p>
            \(scopes.isEmpty ? "" : "<ul>\(scopes)</ul>")
            \(problem.map { "<p class=\"problem\" role=\"alert\">\(Self.escaped($0))</p>" } ?? "")
            <form method="post" action="\(Self.escaped(action))">
              <input type="hidden" name="transaction" value="\(id)">
              <input type="hidden" name="csrf" value="\(csrf)">
              <label>Email <input name="username" type="email" autocomplete="username" required autofocus></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            <p class="note">\(Self.escaped(note))</p>
            """
        var response = page(status, title: "Sign in", message: nil, body: body)
        response.headers["set-cookie"] = "\(cookie)=\(csrf); Path=\(cookiePath); HttpOnly; SameSite=Strict"
        return response
    }

    /// The login form posted: with the sign-in's CSRF token in the form and the cookie, the attempt counted (a
    /// throttled user or address sees the form again, 429), a right password ends the sign-in with a redirect
    /// carrying the code and the state; a wrong one shows the form again (401).
    func signIn(_ request: HTTPRequest, codes: AuthorizationCodes, users: [IdentityProvider.Identities.User],
                attempts: LoginAttempts) async -> HTTPResponse {
        let fields = request.formFields().compactMapValues(\.first)
        let now = currentTime()
        guard let id = fields["transaction"], let csrf = fields["csrf"],
              let asked = codes.signIn(id, csrf: csrf, cookie: request.cookie(cookie), now: now) else {
            return page(.forbidden, title: "This sign-in cannot continue",
                        message: "The sign-in expired or was not started by this browser. Start again from the application.")
        }
        let username = (fields["username"] ?? "").lowercased(), password = fields["password"] ?? ""
        let attempt: LoginAttempts.Attempt
        do { attempt = try await attempts.begin(email: username, source: request.sourceIP) } catch is LoginAttempts.Throttled {
            return form(id: id, csrf: csrf, request: asked, status: .tooManyRequests,
                        problem: "Your account has been blocked after multiple consecutive login attempts.")
        } catch {
            return .message(.internalServerError, "Internal Server Error")
        }
        guard let user = users.first(where: { $0.email == username }), constantTimeEqual(user.password, password) else {
            return form(id: id, csrf: csrf, request: asked, status: .unauthorized, problem: "Wrong email or password.")
        }
        try? await attempts.succeeded(attempt)
        guard let code = codes.issue(forSignIn: id, subject: user.email, now: now) else {
            return Self.redirect(to: asked.redirectURI, ["error": "temporarily_unavailable", "state": asked.state])
        }
        var response = Self.redirect(to: asked.redirectURI, ["code": code, "state": asked.state])
        response.headers["set-cookie"] = clearedCookie
        return response
    }

    /// A page of the provider.
    func page(_ status: HTTPStatus, title: String, message: String?, body: String = "") -> HTTPResponse {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escaped(title))</title>
            <style>body{font:15px/1.5 system-ui,sans-serif;max-width:24rem;margin:3rem auto;color:#222}
            label{display:block;margin:.6rem 0}input{display:block;width:100%;font:inherit;padding:.3rem}
            .problem{color:#b3261e}.note{color:#666;font-size:13px}</style></head>
            <body><h1>\(Self.escaped(title))</h1>\(message.map { "<p>\(Self.escaped($0))</p>" } ?? "")\(body)</body></html>
            """
        return HTTPResponse(status: status, headers: [
            "content-type": "text/html; charset=utf-8", "cache-control": "no-store",
            "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            "x-frame-options": "DENY", "referrer-policy": "no-referrer",
        ], body: Array(html.utf8))
    }

    /// `302` to `uri` with `parameters` (nil ones left out) added to its query.
    static func redirect(to uri: String, _ parameters: [String: String?]) -> HTTPResponse {
        let query = parameters.compactMapValues { $0 }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(SigV4.uriEncode($0.value))" }.joined(separator: "&")
        return HTTPResponse(status: .found,
                            headers: ["location": uri + (uri.contains("?") ? "&" : "?") + query, "cache-control": "no-store"])
    }

    /// `text` safe inside HTML text and attribute values.
    static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
