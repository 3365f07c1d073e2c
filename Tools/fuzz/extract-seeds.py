#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus under Tools/fuzz/Corpus/ from the test vectors and event fixtures in the
repository, plus a few hand-made inputs. Run from the repository root when the vectors or fixtures change."""
import base64, hashlib, json, pathlib, shutil

root = pathlib.Path(__file__).resolve().parents[2]
vectors = root / "Packages/JWT/Tests/JWTTests/Vectors"
events = root / "Tests/Fixtures/events"
corpus = root / "Tools/fuzz/Corpus"


def write(target, data):
    data = data.encode() if isinstance(data, str) else data
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


shutil.rmtree(corpus, ignore_errors=True)

# jws: every compact token of the vectors; every JSON-object payload among them, and Auth0-like claims, as payloads.
tokens = []
for group in json.loads((vectors / "wycheproof/json_web_signature_test.json").read_text())["testGroups"]:
    tokens += [test["jws"] for test in group["tests"] if isinstance(test["jws"], str)]
for example in sorted((vectors / "jose-cookbook/jws").glob("*.json")):
    compact = json.loads(example.read_text()).get("output", {}).get("compact")
    if compact:
        tokens.append(compact)
for token in tokens:
    write("jws", token)
    try:
        payload = b64decode(token.split(".")[1])
        if payload.startswith(b"{"):
            write("jws", payload)
    except (IndexError, ValueError):
        pass
for claims in [
    {"iss": "https://gatehouse.local/idp/", "sub": "auth0|alice", "aud": ["api", "https://gatehouse.local/userinfo"],
     "iat": 1699990000, "exp": 1700090000, "scope": "openid read write:wishlist", "azp": "console"},
    {"sub": "client@clients", "aud": "api", "exp": 1700003600, "nbf": 1699990000, "scp": ["read", "admin"]},
    {"sub": "bob", "scope": "read", "https://gatehouse.local/tenant": "t1", "nested": {"a": [1, 2.5, None, True]}},
]:
    write("jws", json.dumps(claims, separators=(",", ":")))

# jwks: key sets and single keys from the JOSE vectors, the cookbook keys and the Ed25519 vectors' key.
for name in ["json_web_key_test.json", "json_web_signature_test.json"]:
    for group in json.loads((vectors / "wycheproof" / name).read_text())["testGroups"]:
        for member in ["public", "private"]:
            if member in group:
                write("jwks", json.dumps(group[member]))
for key in sorted((vectors / "jose-cookbook/jwk").glob("*.json")):
    write("jwks", key.read_text())
write("jwks", json.dumps({"keys": [json.loads((vectors / "wycheproof/ed25519_test.json").read_text())
                                    ["testGroups"][0]["publicKeyJwk"]]}))

# apigateway-event: the API Gateway fixtures as they are, and aimed at the fuzz application's routes.
for fixture in sorted(events.glob("apigw-*request*.json")):
    event = json.loads(fixture.read_text())
    write("apigateway-event", json.dumps(event))
    for path in ["/items", "/admin/7"]:
        if event.get("version") == "2.0":
            event["rawPath"] = path
            event["requestContext"].setdefault("authorizer", {"jwt": {"claims": {"sub": "alice"}}})
            event["requestContext"]["authorizer"].setdefault("jwt", {"claims": {"sub": "alice"}})
            event["requestContext"]["authorizer"]["jwt"]["claims"]["scope"] = "read admin:fuzz"
        else:
            event["path"] = path
            event.setdefault("requestContext", {})["authorizer"] = {"principalId": "alice", "scope": "admin:fuzz"}
        write("apigateway-event", json.dumps(event))

# policy: the authorizer-response fixtures, and bare documents with wildcards and conditions.
for fixture in sorted(events.glob("authorizer-response-*.json")):
    write("policy", fixture.read_text())
write("policy", json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "execute-api:Invoke",
     "Resource": ["arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/*/wish-list*"]},
    {"Effect": "Deny", "Action": ["execute-api:*"], "Resource": "arn:aws:execute-api:*:*:*/prod/POST/tenants/?2/*",
     "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]}))

# http-request: hand-made requests, one connection each.
for request in [
    "GET /items?a=1&a=2&b=%20x HTTP/1.1\r\nHost: localhost\r\nCookie: a=1; b=2\r\n\r\n",
    "POST /items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
    '{"name":"kite"}',
    "POST /items HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\na\r\ne\":\"kite\"}\r\n0\r\n\r\n",
    "POST /items HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
    "GET /admin/7 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x\r\n\r\n"
    "HEAD /items HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    "OPTIONS /items HTTP/1.1\r\nHost: localhost\r\nOrigin: https://app.example\r\n"
    "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\r\n",
    "DELETE /items HTTP/1.0\r\n\r\n",
]:
    write("http-request", request)

# cedar-policy and cedar-authorization: the handwritten Cedar tests' policies, with their entities and requests
# (policies, entities and one request, NUL-separated), and a sample of the generated corpus's policies.
cedar = root / "Packages/Policy/Tests/CedarTests/Corpus"
for test in sorted((cedar / "tests").glob("*/*.json")):
    spec = json.loads(test.read_text())
    policies = (cedar / spec["policies"]).read_text()
    write("cedar-policy", policies)
    entities = (cedar / spec["entities"]).read_text()
    for request in spec["requests"][:2]:
        write("cedar-authorization", "\0".join([policies, entities, json.dumps(
            {key: request[key] for key in ("principal", "action", "resource", "context")})]))
import tarfile
with tarfile.open(cedar / "corpus-tests.tar.gz") as archive:
    members = sorted((m for m in archive.getmembers() if m.name.endswith(".cedar")), key=lambda m: m.name)
    for member in members[::250]:
        write("cedar-policy", archive.extractfile(member).read())
