using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cassiopeia.Proof;

/// <summary>
/// The hostile requests, by category, generated from the discovered routes and two real tenants:
/// <c>A</c> is the attacker (its own token and ids), <c>B</c> the victim (ids A must never reach).
/// Every route of the OpenAPI document gets every case that applies to it; hand-written cases add the
/// attacks no route list implies (files, forged credentials, ids inside bodies).
/// </summary>
public sealed class HostileCorpus(IReadOnlyList<ApiRoute> routes, Tenant a, Tenant b)
{
    /// <summary>SQL, full-text query operators (FTS5 and tsquery), markup, template, format and control strings.</summary>
    public static IReadOnlyList<string> InjectionStrings { get; } =
    [
        "' OR '1'='1", "'; DROP TABLE documents; --", "\" OR 1=1 --", "1); SELECT pg_sleep(5); --", "') UNION SELECT email, password_hash FROM users --",
        "%' AND '%'='", "\\", "\"unterminated", "a AND OR NOT b", "NEAR(a b, -1)", "*", "col:term", "a:* & !b | (c", "(((", "!!!", "&|<->",
        "^prefix", "{a b}:c", "-", "\"\"", "a\"b\"c", "<script>alert(1)</script>", "\"},{\"injected\":true,\"x\":\"", "{{7*7}}",
        "${jndi:ldap://127.0.0.1/a}", "javascript:alert(1)", "a\r\nX-Injected: 1", "%0d%0aSet-Cookie: x=1", "%s%s%s%n", "{0}{1}{999}",
        "a\u0000b", "\u0000", "\uFEFF\u202Eevil\u200B", "\uD800", "(a+)+$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "-1", "1e999", "NaN",
    ];

    /// <summary>Ids and file names that try to leave their directory or name a file of the host.</summary>
    public static IReadOnlyList<string> TraversalStrings { get; } =
    [
        "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fappsettings.json", "....//....//etc/passwd", "..\\..\\..\\appsettings.json",
        "/etc/passwd", "C:\\Windows\\win.ini", "%00", "..%00/", "..%252f..%252fetc%252fpasswd", "\\\\127.0.0.1\\share\\x", "file:///etc/passwd", ".", "..",
    ];

    /// <summary>Malformed JSON documents sent where a JSON body is expected.</summary>
    public static IReadOnlyList<string> MalformedJson { get; } =
    [
        "{", "[", "nul", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "[1,2,]", "{\"a\" 1}", "{\"a\":1}{\"b\":2}", "\"just a string\"", "null", "42", "true", "[]",
        "{\"a\":1e99999}", "{\"a\":-0.0e-99999999}", "{\"a\":123456789012345678901234567890}", "{\"a\":\"\\uZZZZ\"}", "{\"a\":\"\\", "\uFEFF{}", "{/*c*/}", "",
        " ", "{\"a\":NaN}", "{\"a\":Infinity}",
    ];

    private static readonly JsonNode?[] WrongTypes = [JsonValue.Create(-1), JsonValue.Create(2147483648L), JsonValue.Create(1.5), JsonValue.Create(true), new JsonObject(), new JsonArray(), JsonValue.Create("x"), null];

    public IEnumerable<HostileCase> All() =>
        CrossTenant().Concat(ForgedTokens()).Concat(MalformedJsonCases()).Concat(DeepNesting()).Concat(HugeFields()).Concat(InvalidUtf8())
            .Concat(Injection()).Concat(PathTraversal()).Concat(Files());

    // ---------------------------------------------------------------- cross-tenant

    private IEnumerable<HostileCase> CrossTenant()
    {
        foreach (var route in routes.Where(r => r.PathParameters.Count > 0 && !r.CapabilityLink))
        {
            if (Fill(route, b) is { } foreign)
            {
                yield return Case(Categories.CrossTenant, route, "B's ids with A's token", () => Send(a, route, foreign, Template(route, a)), Expectation.NotFound);
                yield return Case(Categories.CrossTenant, route, "B's ids with A's API key", () => Send(a, route, foreign, Template(route, a), a.ApiKey), Expectation.NotFound);
            }

            if (route.Template.Contains("{userId}", StringComparison.Ordinal) && Fill(route, a, userOf: b) is { } mixed)
            {
                yield return Case(Categories.CrossTenant, route, "B's user in A's organization", () => Send(a, route, mixed, Template(route, a)), Expectation.NotFound);
            }
        }

        foreach (var route in routes.Where(r => !r.Anonymous && !r.Destructive && (r.PathParameters.Count == 0 || Fill(r, b) is not null)))
        {
            var path = route.PathParameters.Count == 0 ? route.Template : Fill(route, b)!;
            yield return Case(Categories.CrossTenant, route, "X-Organization-Id of B", () =>
            {
                var request = Send(a, route, path, Template(route, a));
                request.Headers.Add("X-Organization-Id", b.OrganizationId);
                return request;
            }, Expectation.CrossTenant);
        }

        foreach (var (name, path, body, expectation) in BodyBorneIds())
        {
            yield return HostileCase.Http(Categories.CrossTenant, $"POST {path}: {name}", () => a.Request(HttpMethod.Post, path, JsonContent.Create(body)), expectation);
        }
    }

    private IEnumerable<(string Name, string Path, object Body, Expectation Expectation)> BodyBorneIds()
    {
        yield return ("B's CV and JD", "/v1/matches", new { cvDocumentId = b.CvDocumentId, jdDocumentId = b.JdDocumentId }, Expectation.CrossTenant);
        yield return ("A's CV, B's JD", "/v1/matches", new { cvDocumentId = a.CvDocumentId, jdDocumentId = b.JdDocumentId }, Expectation.CrossTenant);
        yield return ("B's CV and JD", "/v1/interviews", new { cvDocumentId = b.CvDocumentId, jdDocumentId = b.JdDocumentId, questionCount = 1 }, Expectation.CrossTenant);
        yield return ("B's CV, A's JD", "/v1/interviews", new { cvDocumentId = b.CvDocumentId, jdDocumentId = a.JdDocumentId, questionCount = 1 }, Expectation.CrossTenant);
        yield return ("replaces B's document", "/v1/documents/upload-url", new { fileName = "x.md", contentType = "text/markdown", size = 10, kind = "cv", replaces = b.CvDocumentId }, Expectation.CrossTenant);
        foreach (var (type, id) in new[] { ("interview", b.InterviewId), ("match", b.MatchId), ("question", b.QuestionId), ("document", b.CvDocumentId) })
        {
            if (id is not null)
            {
                yield return ($"feedback on B's {type}", "/v1/feedback", new { targetType = type, targetId = id, rating = 1, comment = "x" }, Expectation.CrossTenant);
            }
        }

        yield return ("filter on B's documents", "/v1/search", new { query = "backend engineer", documentIds = new[] { b.CvDocumentId, b.JdDocumentId } }, Expectation.NoForeignData);
        yield return ("B's marker", "/v1/search", new { query = b.Marker, mode = "keyword" }, Expectation.NoForeignData);
        yield return ("B's marker, hybrid", "/v1/search", new { query = b.Marker + " backend engineer" }, Expectation.NoForeignData);
        yield return ("filter on B's documents", "/v1/ask", new { question = "What does the candidate know?", documentIds = new[] { b.CvDocumentId } }, Expectation.NoForeignData);
        yield return ("B's marker", "/v1/ask", new { question = $"What is {b.Marker}?" }, Expectation.NoForeignData);
    }

    // ---------------------------------------------------------------- forged credentials

    private IEnumerable<HostileCase> ForgedTokens()
    {
        var targets = routes.Where(r => !r.Anonymous && r.Method == "GET" && (r.PathParameters.Count == 0 || Fill(r, a) is not null)).ToList();
        foreach (var (name, token) in ForgedBearers())
        {
            foreach (var route in targets)
            {
                var path = route.PathParameters.Count == 0 ? route.Template : Fill(route, a)!;
                yield return Case(Categories.ForgedTokens, route, name, () => Send(a, route, path, (HttpContent?)null, token), Expectation.Refused);
            }
        }

        foreach (var (name, value) in new[] { ("Basic scheme", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{a.Email}:{Tenant.Password}"))), ("empty Bearer", "Bearer"), ("Bearer and a space", "Bearer "), ("lower-case scheme, garbage", "bearer !!!"), ("two tokens", $"Bearer {a.AccessToken} {a.AccessToken}") })
        {
            yield return HostileCase.Http(Categories.ForgedTokens, $"GET /v1/me: {name}", () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
                request.Headers.TryAddWithoutValidation("Authorization", value);
                return request;
            }, Expectation.Refused);
        }

        foreach (var token in TamperedLinks(a.FileToken))
        {
            yield return HostileCase.Http(Categories.ForgedTokens, $"GET /v1/files: tampered link ({token.Name})", () => new HttpRequestMessage(HttpMethod.Get, "/v1/files/" + token.Value), Expectation.Refused);
        }

        foreach (var token in TamperedLinks(a.UploadToken))
        {
            yield return HostileCase.Http(Categories.ForgedTokens, $"PUT /v1/uploads: tampered link ({token.Name})",
                () => new HttpRequestMessage(HttpMethod.Put, "/v1/uploads/" + token.Value) { Content = new ByteArrayContent("# tampered"u8.ToArray()) }, Expectation.Refused);
        }

        foreach (var (name, token) in new[] { ("garbage", "rt_garbage"), ("empty", ""), ("access token as refresh", a.AccessToken), ("API key as refresh", a.ApiKey), ("huge", new string('r', 100_000)) })
        {
            yield return HostileCase.Http(Categories.ForgedTokens, $"POST /v1/auth/refresh: {name}", () => new HttpRequestMessage(HttpMethod.Post, "/v1/auth/refresh") { Content = JsonContent.Create(new { refreshToken = token }) }, Expectation.Refused);
        }

        foreach (var (name, signature) in new[] { ("no signature", null), ("garbage", "garbage"), ("wrong secret", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('0', 64)}"), ("old timestamp", "t=1,v1=00"), ("huge", "t=" + new string('9', 10_000)) })
        {
            yield return HostileCase.Http(Categories.ForgedTokens, $"POST /v1/billing/webhooks/stripe: {name}", () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/webhooks/stripe")
                {
                    Content = JsonContent.Create(new { id = "evt_forged", type = "customer.subscription.updated", data = new { @object = new { metadata = new { organizationId = a.OrganizationId }, status = "active" } } }),
                };
                if (signature is not null)
                {
                    request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
                }

                return request;
            }, Expectation.Refused);
        }
    }

    private IEnumerable<(string Name, string Token)> ForgedBearers()
    {
        var parts = a.AccessToken.Split('.');
        var header = JsonNode.Parse(FromBase64Url(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(FromBase64Url(parts[1]))!.AsObject();
        string Encode(JsonObject node) => ToBase64Url(Encoding.UTF8.GetBytes(node.ToJsonString()));
        JsonObject With(JsonObject node, string key, JsonNode? value)
        {
            var copy = node.DeepClone().AsObject();
            copy[key] = value;
            return copy;
        }

        string Sign(JsonObject h, JsonObject p, byte[] key)
        {
            var unsigned = Encode(h) + "." + Encode(p);
            return unsigned + "." + ToBase64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned)));
        }

        var wrongKey = RandomNumberGenerator.GetBytes(32);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        yield return ("alg none", Encode(With(header, "alg", "none")) + "." + parts[1] + ".");
        yield return ("alg none, no signature part", Encode(With(header, "alg", "none")) + "." + parts[1]);
        yield return ("alg NONE with original signature", Encode(With(header, "alg", "NONE")) + "." + parts[1] + "." + parts[2]);
        yield return ("wrong key", Sign(header, payload, wrongKey));
        yield return ("wrong key, expired", Sign(header, With(With(payload, "exp", now - 3600), "nbf", now - 7200), wrongKey));
        yield return ("original signature, expiry moved", $"{parts[0]}.{Encode(With(payload, "exp", now + 86_400 * 365))}.{parts[2]}");
        yield return ("original signature, subject of B", $"{parts[0]}.{Encode(With(payload, "sub", b.UserId))}.{parts[2]}");
        yield return ("signature of another token", $"{parts[0]}.{parts[1]}.{b.AccessToken.Split('.')[2]}");
        yield return ("header and payload of B, signature of A", $"{b.AccessToken.Split('.')[0]}.{b.AccessToken.Split('.')[1]}.{parts[2]}");
        yield return ("kid path traversal", Sign(With(header, "kid", "../../../../../../dev/null"), payload, []));
        yield return ("kid SQL", Sign(With(header, "kid", "x' UNION SELECT 'a"), payload, wrongKey));
        yield return ("kid missing", Sign(With(header, "kid", null), payload, wrongKey));
        yield return ("alg RS256 header", Encode(With(header, "alg", "RS256")) + "." + parts[1] + "." + parts[2]);
        yield return ("alg HS512, wrong key", Sign(With(header, "alg", "HS512"), payload, wrongKey));
        yield return ("jku header", Sign(With(header, "jku", "http://127.0.0.1:1/keys"), payload, wrongKey));
        yield return ("issuer changed", $"{parts[0]}.{Encode(With(payload, "iss", "evil"))}.{parts[2]}");
        yield return ("payload not JSON", $"{parts[0]}.{ToBase64Url("not json"u8.ToArray())}.{parts[2]}");
        yield return ("not base64", "%%%.%%%.%%%");
        yield return ("four parts", a.AccessToken + ".x");
        yield return ("truncated", a.AccessToken[..(a.AccessToken.Length / 2)]);
        yield return ("huge", a.AccessToken + new string('A', 200_000));
        yield return ("JWE-shaped", "a.b.c.d.e");
        yield return ("API key prefix only", "csk_");
        yield return ("API key, no secret", "csk_abc_");
        yield return ("API key, wrong secret", a.ApiKey[..^4] + (a.ApiKey.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));
        yield return ("API key, prefix of B", "csk_" + b.ApiKey.Split('_')[1] + "_" + a.ApiKey.Split('_')[^1]);
        yield return ("API key, extra underscores", a.ApiKey + "_x_y");
        yield return ("API key, SQL", "csk_' OR '1'='1_x");
        yield return ("API key, huge", "csk_" + new string('k', 100_000));
        yield return ("API key, non-ASCII", "csk_ü_ß");
    }

    private static IEnumerable<(string Name, string Value)> TamperedLinks(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            yield break;
        }

        var flipped = token.ToCharArray();
        var middle = flipped.Length / 2;
        flipped[middle] = flipped[middle] == 'A' ? 'B' : 'A';
        yield return ("one character changed", new string(flipped));
        yield return ("truncated", token[..(token.Length / 2)]);
        yield return ("appended", token + "AAAA");
        yield return ("last character removed", token[..^1]);
        yield return ("empty segments", "..");
        yield return ("not base64", "%%%%");
        yield return ("huge", token + new string('A', 50_000));
        var dot = token.LastIndexOf('.');
        if (dot > 0)
        {
            yield return ("signature dropped", token[..dot]);
            yield return ("signature of nothing", token[..dot] + "." + ToBase64Url(new byte[32]));
        }
    }

    // ---------------------------------------------------------------- malformed JSON and nesting

    private IEnumerable<HostileCase> MalformedJsonCases()
    {
        foreach (var route in routes.Where(r => r.JsonBody && OwnPath(r) is not null))
        {
            var path = OwnPath(route)!;
            foreach (var text in MalformedJson)
            {
                yield return Case(Categories.MalformedJson, route, $"body {Shorten(text)}", () => Send(a, route, path, RawJson(Encoding.UTF8.GetBytes(text))));
            }

            var template = Template(route, a);
            if (template is null)
            {
                continue;
            }

            foreach (var field in template.Select(p => p.Key).ToList())
            {
                foreach (var wrong in WrongTypes)
                {
                    yield return Case(Categories.MalformedJson, route, $"{field} = {wrong?.ToJsonString() ?? "null"}", () => Send(a, route, path, Mutate(template, field, wrong?.DeepClone())));
                }
            }

            yield return Case(Categories.MalformedJson, route, "duplicate keys", () => Send(a, route, path, RawJson(Encoding.UTF8.GetBytes("{\"a\":1,\"a\":2," + template.ToJsonString()[1..]))));
            yield return Case(Categories.MalformedJson, route, "JSON declared, form sent", () =>
            {
                var request = Send(a, route, path, new StringContent("a=1&b=2", Encoding.UTF8));
                request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return request;
            });
            yield return Case(Categories.MalformedJson, route, "charset utf-32 declared", () =>
            {
                var request = Send(a, route, path, RawJson(Encoding.UTF8.GetBytes(template.ToJsonString())));
                request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-32");
                return request;
            });
        }
    }

    private IEnumerable<HostileCase> DeepNesting()
    {
        foreach (var route in routes.Where(r => r.JsonBody && OwnPath(r) is not null))
        {
            var path = OwnPath(route)!;
            foreach (var depth in new[] { 65, 1_000, 10_000, 100_000 })
            {
                yield return Case(Categories.DeepNesting, route, $"{depth} arrays", () => Send(a, route, path, RawJson(Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth)))));
                yield return Case(Categories.DeepNesting, route, $"{depth} objects", () => Send(a, route, path, RawJson(Nested(depth))));
                yield return Case(Categories.DeepNesting, route, $"{depth} arrays, unclosed", () => Send(a, route, path, RawJson(Encoding.ASCII.GetBytes(new string('[', depth)))));
                if (Template(route, a) is { } template)
                {
                    var field = template.First().Key;
                    yield return Case(Categories.DeepNesting, route, $"{depth} arrays inside {field}", () =>
                        Send(a, route, path, RawJson(Encoding.UTF8.GetBytes(template.ToJsonString().Replace($"\"{field}\":", $"\"{field}\":{new string('[', depth)}1{new string(']', depth)},\"_{field}\":", StringComparison.Ordinal)))));
                }
            }
        }
    }

    // ---------------------------------------------------------------- huge fields

    private IEnumerable<HostileCase> HugeFields()
    {
        foreach (var route in routes.Where(r => OwnPath(r) is not null))
        {
            var path = OwnPath(route)!;
            var template = route.JsonBody ? Template(route, a) : null;
            yield return Case(Categories.HugeFields, route, "64 KB header", () => WithHeader(Send(a, route, path, template), "X-Padding", new string('h', 64 * 1024)));
            yield return Case(Categories.HugeFields, route, "500 headers", () =>
            {
                var request = Send(a, route, path, template);
                for (var i = 0; i < 500; i++)
                {
                    request.Headers.TryAddWithoutValidation($"X-H{i}", "v");
                }

                return request;
            });
            yield return Case(Categories.HugeFields, route, "100 KB query string", () => Send(a, route, path + "?q=" + new string('q', 100_000), template));
            yield return Case(Categories.HugeFields, route, "5,000 query parameters", () => Send(a, route, path + "?" + string.Join('&', Enumerable.Range(0, 5_000).Select(i => $"p{i}={i}")), template));
            yield return Case(Categories.HugeFields, route, "64 KB X-Request-Id", () => WithHeader(Send(a, route, path, template), "X-Request-Id", new string('r', 64 * 1024)));
            yield return Case(Categories.HugeFields, route, "64 KB Idempotency-Key", () => WithHeader(Send(a, route, path, template), "Idempotency-Key", new string('k', 64 * 1024)));
            yield return Case(Categories.HugeFields, route, "64 KB If-None-Match", () => WithHeader(Send(a, route, path, template), "If-None-Match", "\"" + new string('e', 64 * 1024) + "\""));
            foreach (var query in route.QueryParameters)
            {
                yield return Case(Categories.HugeFields, route, $"{query} of 50 KB", () => Send(a, route, $"{path}?{query}={new string('9', 50_000)}", template));
            }

            if (template is not null)
            {
                foreach (var field in template.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)).Select(p => p.Key).ToList())
                {
                    yield return Case(Categories.HugeFields, route, $"{field} of 900 KB", () => Send(a, route, path, Mutate(template, field, new string('x', 900_000))));
                    yield return Case(Categories.HugeFields, route, $"{field} of 4 MB", () => Send(a, route, path, Mutate(template, field, new string('x', 4_000_000))));
                }

                yield return Case(Categories.HugeFields, route, "100,000 array items", () => Send(a, route, path, RawJson(Encoding.ASCII.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "]"))));
                yield return Case(Categories.HugeFields, route, "body of 8 MB", () => Send(a, route, path, RawJson(new byte[8 * 1024 * 1024])));
            }
        }

        foreach (var size in new[] { 2, 12 })
        {
            yield return HostileCase.Http(Categories.HugeFields, $"POST /v1/documents: {size} MB file", () => Upload("big.md", "text/markdown", new byte[size * 1024 * 1024]));
        }

        yield return HostileCase.Http(Categories.HugeFields, "POST /v1/documents: 900 KB title", () => Upload("t.md", "text/markdown", "# t"u8.ToArray(), title: new string('t', 900_000)));
        yield return HostileCase.Http(Categories.HugeFields, "POST /v1/documents: 10 KB file name", () => Upload(new string('n', 10_000) + ".md", "text/markdown", "# n"u8.ToArray()));
        yield return HostileCase.Http(Categories.HugeFields, "POST /v1/documents: 2,000 form parts", () =>
        {
            var form = new MultipartFormDataContent();
            for (var i = 0; i < 2_000; i++)
            {
                form.Add(new StringContent("x"), $"f{i}");
            }

            form.Add(new ByteArrayContent("# p"u8.ToArray()), "file", "p.md");
            form.Add(new StringContent("cv"), "kind");
            return a.Request(HttpMethod.Post, "/v1/documents", form);
        });
        yield return HostileCase.Http(Categories.HugeFields, "POST /v1/documents/upload-url: size of long.MaxValue", () =>
            a.Request(HttpMethod.Post, "/v1/documents/upload-url", JsonContent.Create(new { fileName = "x.md", contentType = "text/markdown", size = long.MaxValue, kind = "cv" })));
        yield return HostileCase.Http(Categories.HugeFields, "POST /v1/documents/upload-url: negative size", () =>
            a.Request(HttpMethod.Post, "/v1/documents/upload-url", JsonContent.Create(new { fileName = "x.md", contentType = "text/markdown", size = -1, kind = "cv" })));
    }

    // ---------------------------------------------------------------- invalid UTF-8

    private IEnumerable<HostileCase> InvalidUtf8()
    {
        byte[][] sequences = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]];
        string[] escaped = ["%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "%80%00"];
        foreach (var route in routes.Where(r => OwnPath(r) is not null))
        {
            var path = OwnPath(route)!;
            var template = route.JsonBody ? Template(route, a) : null;
            foreach (var (bytes, text) in sequences.Zip(escaped))
            {
                if (template is not null)
                {
                    var field = template.First().Key;
                    yield return Case(Categories.InvalidUtf8, route, $"{field} with {text}", () => Send(a, route, path, RawJson(Splice(template.ToJsonString(), field, bytes))));
                }

                foreach (var name in route.PathParameters)
                {
                    yield return Case(Categories.InvalidUtf8, route, $"{{{name}}} = {text}", () => Send(a, route, Fill(route, a, overrides: (name, text))!, template));
                }

                foreach (var query in route.QueryParameters)
                {
                    yield return Case(Categories.InvalidUtf8, route, $"{query} = {text}", () => Send(a, route, $"{path}?{query}=a{text}b", template));
                }

                yield return Case(Categories.InvalidUtf8, route, $"Latin-1 header bytes {text}", () => WithHeader(Send(a, route, path, template), "X-Request-Id", Encoding.Latin1.GetString(bytes)));
            }

            yield return Case(Categories.InvalidUtf8, route, "raw 0xFF in the request line", null, Raw($"{route.Method} {path}/", [0xFF, 0xFE], "", a.AccessToken));
            yield return Case(Categories.InvalidUtf8, route, "raw 0xFF in a header", null, Raw($"{route.Method} {path}", [], "X-Organization-Id: \xFF\xFE", a.AccessToken));
        }

        foreach (var (bytes, text) in sequences.Zip(escaped))
        {
            yield return HostileCase.Http(Categories.InvalidUtf8, $"POST /v1/documents: file name bytes {text}", () => RawMultipart(Concat("x"u8.ToArray(), bytes, ".md"u8.ToArray()), "text/markdown", "# hi"u8.ToArray()));
            yield return HostileCase.Http(Categories.InvalidUtf8, $"POST /v1/documents: text file with {text}", () => Upload("u.txt", "text/plain", Concat("start "u8.ToArray(), bytes, " end "u8.ToArray(), bytes)));
            yield return HostileCase.Http(Categories.InvalidUtf8, $"POST /v1/documents: title bytes {text}", () => RawMultipart("t.md"u8.ToArray(), "text/markdown", "# t"u8.ToArray(), title: bytes));
        }
    }

    // ---------------------------------------------------------------- injection

    private IEnumerable<HostileCase> Injection()
    {
        foreach (var route in routes.Where(r => OwnPath(r) is not null))
        {
            var path = OwnPath(route)!;
            var template = route.JsonBody ? Template(route, a) : null;
            foreach (var payload in InjectionStrings)
            {
                if (template is not null)
                {
                    foreach (var field in template.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)).Select(p => p.Key).ToList())
                    {
                        yield return Case(Categories.Injection, route, $"{field} = {Shorten(payload)}", () => Send(a, route, path, Mutate(template, field, payload)));
                    }
                }

                foreach (var query in route.QueryParameters)
                {
                    yield return Case(Categories.Injection, route, $"?{query}={Shorten(payload)}", () => Send(a, route, $"{path}?{query}={Uri.EscapeDataString(payload)}", template));
                }

                foreach (var name in route.PathParameters)
                {
                    yield return Case(Categories.Injection, route, $"{{{name}}} = {Shorten(payload)}", () => Send(a, route, Fill(route, a, overrides: (name, Uri.EscapeDataString(payload)))!, template));
                }
            }

            foreach (var header in new[] { "X-Organization-Id", "X-Request-Id", "Idempotency-Key", "If-None-Match" })
            {
                foreach (var payload in InjectionStrings.Where(p => !p.Any(char.IsControl) && p.All(c => c < 0x7F)))
                {
                    yield return Case(Categories.Injection, route, $"{header}: {Shorten(payload)}", () => WithHeader(Send(a, route, path, template), header, payload));
                }
            }

            yield return Case(Categories.Injection, route, "CRLF in a header (raw)", null, Raw($"{route.Method} {path}", [], "X-Request-Id: a\rSet-Cookie: injected=1", a.AccessToken));
        }

        foreach (var payload in InjectionStrings)
        {
            yield return HostileCase.Http(Categories.Injection, $"POST /v1/documents: title {Shorten(payload)}", () => Upload("i.md", "text/markdown", Encoding.UTF8.GetBytes("# injection\n\n" + payload), title: payload));
            yield return HostileCase.Http(Categories.Injection, $"POST /v1/documents: kind {Shorten(payload)}", () => Upload("i.md", "text/markdown", "# k"u8.ToArray(), kind: payload));
        }
    }

    // ---------------------------------------------------------------- path traversal

    private IEnumerable<HostileCase> PathTraversal()
    {
        foreach (var route in routes.Where(r => r.PathParameters.Count > 0 && OwnPath(r) is not null))
        {
            var template = route.JsonBody ? Template(route, a) : null;
            foreach (var name in route.PathParameters)
            {
                foreach (var traversal in TraversalStrings)
                {
                    yield return Case(Categories.PathTraversal, route, $"{{{name}}} = {traversal}", () => Send(a, route, Fill(route, a, overrides: (name, traversal))!, template));
                    yield return Case(Categories.PathTraversal, route, $"{{{name}}} = escaped {traversal}", () => Send(a, route, Fill(route, a, overrides: (name, Uri.EscapeDataString(traversal)))!, template));
                }
            }
        }

        foreach (var traversal in TraversalStrings)
        {
            yield return HostileCase.Http(Categories.PathTraversal, $"POST /v1/documents: file name {traversal}", () => Upload(traversal, "text/markdown", "# traversal"u8.ToArray()));
            yield return HostileCase.Http(Categories.PathTraversal, $"POST /v1/documents/upload-url: file name {traversal}", () =>
                a.Request(HttpMethod.Post, "/v1/documents/upload-url", JsonContent.Create(new { fileName = traversal, contentType = "text/markdown", size = 10, kind = "cv" })));
            yield return HostileCase.Http(Categories.PathTraversal, $"GET /v1/files/{traversal}", () => new HttpRequestMessage(HttpMethod.Get, "/v1/files/" + traversal));
        }

        yield return HostileCase.Http(Categories.PathTraversal, "POST /v1/documents: DOCX with an entry named ../../..", () => Upload("traversal.docx", HostileFiles.DocxType, HostileFiles.TraversalEntryDocx()));
    }

    // ---------------------------------------------------------------- files

    private IEnumerable<HostileCase> Files()
    {
        var bomb = new Lazy<byte[]>(() => HostileFiles.ZipBombDocx(1L << 30));
        var smallBomb = new Lazy<byte[]>(() => HostileFiles.ZipBombDocx(64L << 20));
        yield return HostileCase.Http(Categories.ZipBomb, "DOCX inflating to 1 GB", () => Upload("bomb.docx", HostileFiles.DocxType, bomb.Value));
        yield return HostileCase.Http(Categories.ZipBomb, "DOCX inflating to 64 MB", () => Upload("bomb64.docx", HostileFiles.DocxType, smallBomb.Value));
        yield return HostileCase.Http(Categories.ZipBomb, "DOCX inflating to 256 MB, headers declaring 3x", () => Upload("liar.docx", HostileFiles.DocxType, HostileFiles.LyingSizeZipBombDocx(256L << 20)));
        yield return HostileCase.Http(Categories.ZipBomb, "DOCX with 20,000 entries", () => Upload("entries.docx", HostileFiles.DocxType, HostileFiles.ManyEntriesDocx(20_000)));
        yield return HostileCase.Http(Categories.ZipBomb, "1 GB bomb as a direct upload", () =>
            a.Request(HttpMethod.Post, "/v1/documents/upload-url", JsonContent.Create(new { fileName = "bomb.docx", contentType = HostileFiles.DocxType, size = bomb.Value.Length, kind = "cv" })));
        yield return HostileCase.Http(Categories.ZipBomb, "DOCX bomb declared as markdown", () => Upload("bomb.md", "text/markdown", smallBomb.Value));

        yield return HostileCase.Http(Categories.XmlEntityExpansion, "DOCX billion laughs", () => Upload("laughs.docx", HostileFiles.DocxType, HostileFiles.BillionLaughsDocx()));
        yield return HostileCase.Http(Categories.XmlEntityExpansion, "DOCX external entity /etc/passwd", () => Upload("xxe.docx", HostileFiles.DocxType, HostileFiles.ExternalEntityDocx("file:///etc/passwd")));
        yield return HostileCase.Http(Categories.XmlEntityExpansion, "DOCX external entity over HTTP", () => Upload("xxe-http.docx", HostileFiles.DocxType, HostileFiles.ExternalEntityDocx("http://127.0.0.1:1/x")));
        yield return HostileCase.Http(Categories.XmlEntityExpansion, "DOCX nested 100,000 elements deep", () => Upload("deep.docx", HostileFiles.DocxType, HostileFiles.DeepXmlDocx(100_000)));
        yield return HostileCase.Http(Categories.XmlEntityExpansion, "XML body to a JSON endpoint", () =>
            a.Request(HttpMethod.Post, "/v1/search", new StringContent("<?xml version=\"1.0\"?><!DOCTYPE q [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><q>&x;</q>", Encoding.UTF8, "application/xml")));

        foreach (var (name, bytes) in HostileFiles.CorruptPdfs())
        {
            yield return HostileCase.Http(Categories.LyingContent, $"corrupt PDF: {name}", () => Upload($"{name}.pdf", "application/pdf", bytes));
        }

        yield return HostileCase.Http(Categories.LyingContent, "PNG named .pdf", () => Upload("image.pdf", "application/pdf", HostileFiles.PngBytes()));
        yield return HostileCase.Http(Categories.LyingContent, "PNG named .md", () => Upload("image.md", "text/markdown", HostileFiles.PngBytes()));
        yield return HostileCase.Http(Categories.LyingContent, "PDF named .docx", () => Upload("pdf.docx", HostileFiles.DocxType, HostileFiles.CorruptPdfs()[1].Bytes));
        yield return HostileCase.Http(Categories.LyingContent, "random bytes as DOCX", () => Upload("random.docx", HostileFiles.DocxType, HostileFiles.RandomBytes(8192)));
        yield return HostileCase.Http(Categories.LyingContent, "zip without a document part", () => Upload("empty.docx", HostileFiles.DocxType, HostileFiles.ManyEntriesDocx(0)[..22]));
        yield return HostileCase.Http(Categories.LyingContent, "executable named .txt", () => Upload("run.txt", "text/plain", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]));
        yield return HostileCase.Http(Categories.LyingContent, "markdown declared as an image", () => Upload("x.md", "image/png", "# x"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "empty file", () => Upload("empty.md", "text/markdown", []));
        yield return HostileCase.Http(Categories.LyingContent, "no file part", () =>
        {
            var form = new MultipartFormDataContent { { new StringContent("cv"), "kind" } };
            return a.Request(HttpMethod.Post, "/v1/documents", form);
        });
        yield return HostileCase.Http(Categories.LyingContent, "two file parts", () =>
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent("# 1"u8.ToArray()), "file", "1.md" }, { new ByteArrayContent("# 2"u8.ToArray()), "file", "2.md" }, { new StringContent("cv"), "kind" } };
            return a.Request(HttpMethod.Post, "/v1/documents", form);
        });
        yield return HostileCase.Http(Categories.LyingContent, "multipart without a boundary", () => Raw(HttpMethod.Post, "/v1/documents", "multipart/form-data", "--x\r\n\r\n"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "multipart with a boundary never used", () => Raw(HttpMethod.Post, "/v1/documents", "multipart/form-data; boundary=nope", "--other\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--other--\r\n"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "multipart never closed", () => Raw(HttpMethod.Post, "/v1/documents", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n# open"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "multipart with a 70-character boundary line of dashes", () => Raw(HttpMethod.Post, "/v1/documents", "multipart/form-data; boundary=" + new string('-', 70), Encoding.ASCII.GetBytes(new string('-', 72) + "\r\n")));
        yield return HostileCase.Http(Categories.LyingContent, "JSON sent to the upload endpoint", () => Raw(HttpMethod.Post, "/v1/documents", "application/json", "{\"file\":\"x\"}"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "form-urlencoded sent to the upload endpoint", () => Raw(HttpMethod.Post, "/v1/documents", "application/x-www-form-urlencoded", "file=x&kind=cv"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "content type with a huge parameter", () => Raw(HttpMethod.Post, "/v1/search", "application/json; x=" + new string('x', 20_000), "{\"query\":\"a\"}"u8.ToArray()));
        yield return HostileCase.Http(Categories.LyingContent, "content type garbage", () => Raw(HttpMethod.Post, "/v1/search", "///;;;", "{\"query\":\"a\"}"u8.ToArray()));
        if (a.UploadToken is not null)
        {
            yield return HostileCase.Http(Categories.LyingContent, "direct upload: more bytes than declared", () =>
                new HttpRequestMessage(HttpMethod.Put, "/v1/uploads/" + a.UploadToken) { Content = new ByteArrayContent(new byte[4096]) });
        }
    }

    // ---------------------------------------------------------------- building blocks

    /// <summary>The path of a route filled with tenant A's own ids (null when A has no such resource).</summary>
    private string? OwnPath(ApiRoute route) => route.PathParameters.Count == 0 ? route.Template : Fill(route, a);

    /// <summary>Fills a route template with the ids of <paramref name="owner"/>; null when one is missing.</summary>
    private static string? Fill(ApiRoute route, Tenant owner, Tenant? userOf = null, (string Name, string Value)? overrides = null)
    {
        var path = route.Template;
        foreach (var name in route.PathParameters)
        {
            var value = overrides is { } o && o.Name == name ? o.Value : Id(route, name, name == "userId" && userOf is not null ? userOf : owner);
            if (value is null)
            {
                return null;
            }

            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return path;
    }

    private static string? Id(ApiRoute route, string name, Tenant owner)
    {
        var t = route.Template;
        return name switch
        {
            "orgId" or "organizationId" => owner.OrganizationId,
            "userId" => owner.UserId,
            "questionId" => owner.QuestionId,
            "token" when t.StartsWith("/v1/uploads/", StringComparison.Ordinal) => owner.UploadToken,
            "token" when t.StartsWith("/v1/files/", StringComparison.Ordinal) => owner.FileToken,
            "token" when t.Contains("/checkout/", StringComparison.Ordinal) => owner.CheckoutToken,
            "token" when t.Contains("/portal/", StringComparison.Ordinal) => owner.PortalToken,
            "id" when t.StartsWith("/v1/documents/{id}/complete", StringComparison.Ordinal) => owner.PendingDocumentId,
            "id" when t.StartsWith("/v1/documents", StringComparison.Ordinal) => owner.CvDocumentId,
            "id" when t.StartsWith("/v1/interviews", StringComparison.Ordinal) => owner.InterviewId,
            "id" when t.StartsWith("/v1/matches", StringComparison.Ordinal) => owner.MatchId,
            "id" when t.StartsWith("/v1/api-keys", StringComparison.Ordinal) => owner.ApiKeyId,
            _ => null,
        };
    }

    /// <summary>A valid body for the route, as its owner would send it; the corpus mutates one field at a time.</summary>
    private static JsonObject? Template(ApiRoute route, Tenant owner)
    {
        if (!route.JsonBody)
        {
            return null;
        }

        object? body = route.Template switch
        {
            "/v1/auth/signup" => new { email = $"proof-{Guid.NewGuid():N}@example.test", password = Tenant.Password, name = "Proof", organizationName = "Proof org" },
            "/v1/auth/login" => new { email = owner.Email, password = "wrong-" + Tenant.Password },
            "/v1/auth/refresh" or "/v1/auth/logout" => new { refreshToken = "rt_proof_not_a_token" },
            "/v1/api-keys" => new { name = "proof key", scopes = new[] { "documents:read" } },
            "/v1/organizations/{orgId}/members" => new { email = $"nobody-{Guid.NewGuid():N}@example.test", role = "viewer" },
            "/v1/organizations/{orgId}/members/{userId}" => new { role = "viewer" },
            "/v1/documents/upload-url" => new { fileName = "proof.md", contentType = "text/markdown", size = 32, kind = "other", title = "proof" },
            "/v1/search" => new { query = "backend engineer", topK = 5, mode = "hybrid" },
            "/v1/ask" => new { question = "What does the candidate know?", topK = 3 },
            "/v1/matches" => new { cvDocumentId = owner.CvDocumentId, jdDocumentId = owner.JdDocumentId },
            "/v1/interviews" => new { cvDocumentId = owner.CvDocumentId, jdDocumentId = owner.JdDocumentId, questionCount = 1, difficulty = "medium", focus = "databases" },
            "/v1/interviews/{id}/questions/{questionId}/answers" => new { text = "I would index the hot columns and measure." },
            "/v1/feedback" => new { targetType = "interview", targetId = owner.InterviewId ?? "none", rating = 1, comment = "fine" },
            "/v1/prompts" => new { kind = "question", version = $"proof-{Guid.NewGuid():N}"[..20], content = "Ask about {{focus}}.", description = "proof" },
            "/v1/billing/checkout" => new { planId = "pro" },
            _ => null,
        };
        return body is null ? new JsonObject { ["value"] = "x" } : JsonSerializer.SerializeToNode(body)!.AsObject();
    }

    private static HostileCase Case(string category, ApiRoute route, string name, Func<HttpRequestMessage>? build, Expectation expectation = Expectation.NoServerError) =>
        new(category, $"{route.Key}: {name}", expectation, build) { Destructive = route.Destructive };

    private static HostileCase Case(string category, ApiRoute route, string name, Func<HttpRequestMessage>? build, byte[] raw) =>
        new(category, $"{route.Key}: {name}", Expectation.NoServerError, build, raw) { Destructive = route.Destructive };

    private static HttpRequestMessage Send(Tenant caller, ApiRoute route, string path, JsonObject? body, string? token = null) =>
        Send(caller, route, path, body is null ? null : JsonContent.Create(body), token);

    private static HttpRequestMessage Send(Tenant caller, ApiRoute route, string path, HttpContent? content, string? token = null)
    {
        var request = caller.Request(new HttpMethod(route.Method), path, content);
        if (token is not null)
        {
            request.Headers.Authorization = null;
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static ByteArrayContent RawJson(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private HttpRequestMessage Raw(HttpMethod method, string path, string contentType, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return a.Request(method, path, content);
    }

    private static JsonObject Mutate(JsonObject template, string field, JsonNode? value)
    {
        var copy = template.DeepClone().AsObject();
        copy[field] = value;
        return copy;
    }

    private static byte[] Splice(string json, string field, byte[] bytes)
    {
        var marker = $"\"{field}\":\"";
        var at = json.IndexOf(marker, StringComparison.Ordinal);
        var utf8 = Encoding.UTF8.GetBytes(json);
        if (at < 0)
        {
            return Concat(Encoding.UTF8.GetBytes($"{{\"{field}\":\""), bytes, "\"}"u8.ToArray());
        }

        var cut = Encoding.UTF8.GetByteCount(json[..(at + marker.Length)]);
        return Concat(utf8[..cut], bytes, utf8[cut..]);
    }

    private static byte[] Nested(int depth)
    {
        var builder = new StringBuilder(depth * 7);
        for (var i = 0; i < depth; i++)
        {
            builder.Append("{\"a\":");
        }

        builder.Append('1').Append('}', depth);
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private HttpRequestMessage Upload(string fileName, string contentType, byte[] bytes, string? title = null, string kind = "cv")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.TryAddWithoutValidation("Content-Type", contentType);
        form.Add(file, "file", fileName);
        form.Add(new StringContent(kind), "kind");
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }

        return a.Request(HttpMethod.Post, "/v1/documents", form);
    }

    /// <summary>A multipart upload written byte by byte, so file names and fields can hold bytes no encoder would write.</summary>
    private HttpRequestMessage RawMultipart(byte[] fileName, string contentType, byte[] bytes, byte[]? title = null)
    {
        const string boundary = "proof-boundary-7391";
        using var body = new MemoryStream();
        void Write(byte[] b) => body.Write(b);
        Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\""));
        Write(fileName);
        Write(Encoding.ASCII.GetBytes($"\"\r\nContent-Type: {contentType}\r\n\r\n"));
        Write(bytes);
        Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncv\r\n"));
        if (title is not null)
        {
            Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n"));
            Write(title);
            Write("\r\n"u8.ToArray());
        }

        Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return Raw(HttpMethod.Post, "/v1/documents", $"multipart/form-data; boundary={boundary}", body.ToArray());
    }

    /// <summary>An HTTP/1.1 request as bytes, for a plain socket: <paramref name="extraHeader"/> is written as Latin-1, byte for byte.</summary>
    private static byte[] Raw(string requestLineStart, byte[] pathSuffix, string extraHeader, string token)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.Latin1.GetBytes(requestLineStart));
        buffer.Write(pathSuffix);
        buffer.Write(Encoding.Latin1.GetBytes($" HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n"));
        if (extraHeader.Length > 0)
        {
            buffer.Write(Encoding.Latin1.GetBytes(extraHeader + "\r\n"));
        }

        buffer.Write("Content-Length: 0\r\nConnection: close\r\n\r\n"u8);
        return buffer.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static string Shorten(string text)
    {
        var visible = new string([.. text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '·' : c)]);
        return visible.Length <= 40 ? visible : visible[..40] + "…";
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
