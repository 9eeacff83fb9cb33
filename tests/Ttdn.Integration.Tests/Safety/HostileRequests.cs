using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Ttdn.App.Notifications;

namespace Ttdn.Integration.Tests.Safety;

public enum Category
{
    BadJson,
    WrongTypes,
    HugeBody,
    ControlCharacters,
    Script,
    Formula,
    TamperedToken,
    ReplayedToken,
    WrongContentType,
    WrongCredentials,
}

/// <summary>Who sends a request: which cookies and headers it carries.</summary>
public enum Caller
{
    /// <summary>No cookies, no key.</summary>
    Anonymous,
    /// <summary>The browser that opened the open cycle's form: its anti-forgery cookie.</summary>
    Link,
    /// <summary>The browser that opened a form before its cycle locked.</summary>
    LockedLink,
    /// <summary>The right admin API key.</summary>
    ApiKey,
    /// <summary>Signed in to the dashboard as an admin.</summary>
    Admin,
    /// <summary>Signed in to the dashboard as a viewer.</summary>
    Viewer,
    /// <summary>Was signed in as an admin and signed out; still holds the anti-forgery cookie.</summary>
    SignedOut,
}

/// <summary>One generated request. The body is a factory: content cannot be sent twice.</summary>
public sealed record HostileRequest(string Endpoint, Category Category, Caller Caller, HttpMethod Method, string Path, Func<HttpContent?> Body)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Announce the body and wait for 100 Continue, so a refused huge body is never sent.</summary>
    public bool ExpectContinue { get; init; }

    /// <summary>Send the body chunked, with no length announced.</summary>
    public bool Chunked { get; init; }

    /// <summary>A valid answer may be 2xx (a read, or a post whose correct answer stores nothing); every other write must be refused.</summary>
    public bool MayBeAccepted { get; init; }

    public override string ToString()
    {
        var path = Path.Length > 160 ? Path[..160] + $"…({Path.Length} chars)" : Path;
        return $"[{Endpoint}] {Category} {Method} {path} as {Caller}";
    }
}

/// <summary>The real links, tokens and keys the generated requests are built from.</summary>
public sealed record HostileTargets(
    string Province,
    string Cycle,
    string UnitId,
    string Token,
    string ReplacedToken,
    string LockedCycle,
    string LockedToken,
    string LockedSubmission,
    string LinkAntiforgery,
    string LockedLinkAntiforgery,
    string AdminAntiforgery,
    string ViewerAntiforgery,
    string SignedOutAntiforgery,
    ECDsa WebhookKey);

/// <summary>
/// Generates malformed and hostile requests against every public endpoint from a fixed seed: the
/// same seed gives the same requests, so a failure can be reproduced. Each endpoint gets the
/// categories that mean something to it, in turn, with variants picked by the seeded random.
/// </summary>
public sealed class HostileRequests(HostileTargets t, int seed)
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    private readonly Random _rng = new(seed);

    public static readonly string[] Scripts =
    [
        "<script>window.__pwned=1</script>",
        "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
        "\"><svg/onload=\"window.__pwned=1\">",
        "</textarea><script>window.__pwned=1</script>",
        "javascript:window.__pwned=1",
        "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
        "' or PartitionKey ne '",
        "'; DROP TABLE units; --",
        "{{constructor.constructor('window.__pwned=1')()}}",
    ];

    public static readonly string[] Formulas =
    [
        "=HYPERLINK(\"http://evil.example\",\"bấm\")",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=1+1",
    ];

    private static readonly string[] Controls =
    [
        "\u0000", "a\u0001\u0002\u0003b", "\u001b[31mđỏ\u001b[0m", "x\u202Egnp.exe", "\uFEFF", "\u0085\u2028\u2029", "\b\f\v", "\u007f",
    ];

    // ---- the endpoints -------------------------------------------------------------------------------

    /// <summary>Every endpoint's requests, with how many of each.</summary>
    public List<HostileRequest> All()
    {
        var all = new List<HostileRequest>();
        all.AddRange(Many(70, FormPage));
        all.AddRange(Many(90, i => FormPost("form-review", "", i)));
        all.AddRange(Many(90, i => FormPost("form-submit", "/submit", i)));
        all.AddRange(Many(90, i => FormPost("form-draft", "/draft", i)));
        all.AddRange(Many(70, i => FormPost("form-attachment", "/attachment", i)));
        all.AddRange(Many(40, Received));
        all.AddRange(Many(30, NewLinkPage));
        all.AddRange(Many(70, NewLinkPost));
        all.AddRange(Many(110, SubmissionApi));
        all.AddRange(Many(60, Webhook));
        all.AddRange(Many(80, AdminWithoutKey));
        all.AddRange(Many(110, AdminWithKey));
        all.AddRange(Many(60, DashboardSignedOut));
        all.AddRange(Many(90, DashboardSignedIn));
        all.AddRange(Many(30, SignIn));
        all.AddRange(Many(30, Assets));
        all.AddRange(Many(20, Invocations));
        return all;
    }

    private static IEnumerable<HostileRequest> Many(int count, Func<int, HostileRequest> make) => Enumerable.Range(0, count).Select(i => Frozen(make(i)));

    /// <summary>
    /// Builds the body once, now, so a body that picks at random is the same every time it is sent or
    /// shown, and the seed alone decides every request. Large bodies are built when sent (they pick nothing).
    /// </summary>
    private static HostileRequest Frozen(HostileRequest request)
    {
        if (request.ExpectContinue || request.Chunked) return request;
        using var content = request.Body();
        if (content is null) return request;
        var bytes = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var headers = content.Headers.Select(h => (h.Key, Value: string.Join(", ", h.Value))).Where(h => h.Key != "Content-Length").ToList();
        return request with
        {
            Body = () =>
            {
                var copy = new ByteArrayContent(bytes);
                foreach (var (name, value) in headers) copy.Headers.TryAddWithoutValidation(name, value);
                return copy;
            },
        };
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private static Category Turn(int i, params Category[] categories) => categories[i % categories.Length];

    private string Payload(Category c) => c switch
    {
        Category.Script => Pick(Scripts),
        Category.Formula => Pick(Formulas),
        Category.ControlCharacters => Pick(Controls) + Pick(Scripts)[..3] + Pick(Controls),
        _ => Pick(Scripts),
    };

    /// <summary>A link that leads nowhere, or nowhere anymore.</summary>
    private string BadToken(Category c) => c switch
    {
        Category.ReplayedToken => _rng.Next(2) == 0 ? t.ReplacedToken : t.LockedToken,
        Category.ControlCharacters => Uri.EscapeDataString(t.Token[..10] + Pick(Controls) + t.Token[10..]),
        Category.Script or Category.Formula => Uri.EscapeDataString(Payload(c)),
        _ => Tampered(),
    };

    /// <summary>A real token with one thing wrong: a flipped character, a wrong MAC, another cycle's prefix, cut short, too long.</summary>
    private string Tampered()
    {
        var dot = t.Token.IndexOf('.', StringComparison.Ordinal);
        switch (_rng.Next(7))
        {
            case 0:
                var at = dot + 1 + _rng.Next(t.Token.Length - dot - 1);
                return t.Token[..at] + (t.Token[at] == 'A' ? 'B' : 'A') + t.Token[(at + 1)..];
            case 1:
                var inPrefix = _rng.Next(dot);
                return t.Token[..inPrefix] + (t.Token[inPrefix] == 'x' ? 'y' : 'x') + t.Token[(inPrefix + 1)..];
            case 2:
                return t.Token[..(dot + 1)] + Base64Url(RandomBytes(32));
            case 3:
                return t.LockedToken[..t.LockedToken.IndexOf('.', StringComparison.Ordinal)] + t.Token[dot..];
            case 4:
                return t.Token[..(dot + 1 + _rng.Next(42))];
            case 5:
                return t.Token + new string('A', 1 + _rng.Next(3000));
            default:
                // A cycle part that decodes to a partition with a quote, as an OData filter injection would need.
                return Base64Url(Encoding.UTF8.GetBytes($"{t.Province}|' or true or '")) + t.Token[dot..];
        }
    }

    private HostileRequest FormPage(int i)
    {
        var c = Turn(i, Category.TamperedToken, Category.ReplayedToken, Category.ControlCharacters, Category.Script, Category.Formula);
        // The real link with a hostile query, or a hostile link.
        if (c is Category.Script or Category.Formula && i % 2 == 0)
            return new("form-page", c, Caller.Anonymous, HttpMethod.Get, $"/r/{t.Token}?lang={Uri.EscapeDataString(Payload(c))}&saved={Uri.EscapeDataString(Payload(c))}", () => null)
            { MayBeAccepted = true };
        return new("form-page", c, Caller.Anonymous, HttpMethod.Get, $"/r/{BadToken(c)}", () => null) { MayBeAccepted = true };
    }

    private HostileRequest Received(int i)
    {
        var c = Turn(i, Category.TamperedToken, Category.ReplayedToken, Category.WrongTypes, Category.Script);
        var version = c == Category.WrongTypes ? Pick(["-1", "0", "99999999999", "1.5", "abc", "%00", "1e3"]) : "1";
        var token = c == Category.WrongTypes ? t.Token : BadToken(c);
        return new("form-received", c, Caller.Anonymous, HttpMethod.Get, $"/r/{token}/received/{version}", () => null) { MayBeAccepted = true };
    }

    /// <summary>Posts behind a link: the review, the submit, the draft (both methods) and the upload.</summary>
    private HostileRequest FormPost(string endpoint, string suffix, int i)
    {
        var c = Turn(i, Category.TamperedToken, Category.ReplayedToken, Category.WrongContentType, Category.BadJson, Category.HugeBody,
            Category.WrongTypes, Category.ControlCharacters, Category.Script, Category.Formula, Category.WrongCredentials);
        var method = suffix == "/draft" && i % 3 == 0 ? HttpMethod.Put : HttpMethod.Post;
        var path = $"/r/{t.Token}{suffix}";
        var fields = new List<KeyValuePair<string, string>> { new(AntiforgeryField, t.LinkAntiforgery), new("basis", "0") };
        if (suffix == "/draft" && i % 2 == 0) fields.Add(new("autosave", "1"));
        switch (c)
        {
            case Category.TamperedToken or Category.ReplayedToken:
                var token = BadToken(c);
                if (c == Category.ReplayedToken && token == t.LockedToken)
                {
                    // The post the form sent before the lock, sent again with its own cookie and anti-forgery token.
                    var replay = new List<KeyValuePair<string, string>> { new(AntiforgeryField, t.LockedLinkAntiforgery), new("i.hop_bao", "3"), new("s.kien_nghi", "Gửi lại") };
                    return new(endpoint, c, Caller.LockedLink, method, $"/r/{t.LockedToken}{suffix}", () => Multipart(replay));
                }
                fields.Add(new("i.hop_bao", "1"));
                return new(endpoint, c, Caller.Link, method, $"/r/{token}{suffix}", () => Multipart(fields));
            case Category.WrongContentType:
                return Pick<HostileRequest>(
                [
                    new(endpoint, c, Caller.Link, method, path, () => Json("{\"i.hop_bao\":1,\"" + AntiforgeryField + "\":\"" + t.LinkAntiforgery + "\"}")),
                    new(endpoint, c, Caller.Link, method, path, () => Raw(Encoding.UTF8.GetBytes("i.hop_bao=1"), "text/plain")),
                    new(endpoint, c, Caller.Link, method, path, () => Raw(Encoding.UTF8.GetBytes("<form><i.hop_bao>1</i.hop_bao></form>"), "application/xml")),
                    new(endpoint, c, Caller.Link, method, path, () => Raw(Encoding.UTF8.GetBytes("--b\r\n\r\nx"), "multipart/form-data")),
                    new(endpoint, c, Caller.Link, method, path, () => Raw(RandomBytes(64), null)),
                    new(endpoint, c, Caller.Link, method, path, () => Raw(Encoding.UTF8.GetBytes("i.hop_bao=1"), "application/x-www-form-urlencoded; charset=utf-7")),
                ]);
            case Category.BadJson:
                // Broken bodies under a form content type: truncated multipart, bad boundaries, bad encodings. Those the
                // reader may still parse carry no token: with one, an empty but readable post is the user's own, and valid.
                return new(endpoint, c, Caller.Link, method, path, Pick<Func<HttpContent?>>(
                [
                    () => Raw(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"i.hop_bao\"\r\n\r\n1\r\n--b"), "multipart/form-data; boundary=b"),
                    () => Raw(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b"),
                    () => Raw(Encoding.UTF8.GetBytes("--a\r\nx\r\n--a--"), "multipart/form-data; boundary=\"" + new string('a', 300) + "\""),
                    () => Raw([0x25, 0xFF, 0xFE, 0x3D, 0x26, 0x26, 0x3D], "application/x-www-form-urlencoded"),
                    () => Raw(Encoding.UTF8.GetBytes("a=%ZZ&b=%&i.hop_bao=%C3%28"), "application/x-www-form-urlencoded"),
                    () => Raw(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("k=v&", 5000))), "application/x-www-form-urlencoded"),
                ]));
            case Category.HugeBody:
                return Huge(endpoint, c, Caller.Link, method, path, form: true);
            case Category.WrongTypes:
                fields.Add(Pick<KeyValuePair<string, string>>(
                [
                    new("i.hop_bao", new string('9', 41)),
                    new("i.khong_co", "1"),
                    new("s.khong_co", "x"),
                    new("i.", "1"),
                    new("s.han_che", new string('x', 9000)),
                ]));
                // With a real signed PDF now and then: a refused post keeps no attachment either.
                return new(endpoint, c, Caller.Link, method, path, () => Multipart(fields, i % 4 == 0 ? ("bao-cao.pdf", Submissions.PdfFileTests.MinimalPdf()) : null));
            case Category.ControlCharacters or Category.Script or Category.Formula:
                // Hostile text where a field's name goes (URL-encoded, so every character arrives as sent): the
                // catalogue has no such code, so it is refused. The upload gets a hostile file under a hostile name.
                if (suffix == "/attachment")
                    return new(endpoint, c, Caller.Link, method, path, () => Multipart(
                        fields.Append(new("i.khong_co", Payload(c))).Append(new("s.han_che", Payload(c))), (Payload(c) + ".pdf", Encoding.UTF8.GetBytes(Payload(c)))));
                fields.Add(new("i." + Payload(c), "1"));
                fields.Add(new("s." + Payload(c), Payload(c)));
                return new(endpoint, c, Caller.Link, method, path, () => Form(fields));
            default:
                // No anti-forgery token, another page's token without its cookie, or a garbled one.
                var forged = fields.Where(f => f.Key != AntiforgeryField).Append(new("i.hop_bao", "2")).ToList();
                var caller = Caller.Link;
                switch (i % 3)
                {
                    case 0: break;
                    case 1: forged.Add(new(AntiforgeryField, t.LinkAntiforgery)); caller = Caller.Anonymous; break;
                    default: forged.Add(new(AntiforgeryField, t.LinkAntiforgery[..^4] + "AAAA")); break;
                }
                return new(endpoint, c, caller, method, path, () => Multipart(forged));
        }
    }

    private HostileRequest NewLinkPage(int i)
    {
        var c = Turn(i, Category.Script, Category.ControlCharacters, Category.Formula);
        return new("new-link-page", c, Caller.Anonymous, HttpMethod.Get, $"/r/new?lang={Uri.EscapeDataString(Payload(c))}&email={Uri.EscapeDataString(Payload(c))}", () => null)
        { MayBeAccepted = true };
    }

    private HostileRequest NewLinkPost(int i)
    {
        var c = Turn(i, Category.Script, Category.ControlCharacters, Category.Formula, Category.WrongContentType, Category.BadJson, Category.HugeBody,
            Category.WrongCredentials, Category.WrongTypes);
        const string path = "/r/new";
        var email = c switch
        {
            Category.Script or Category.Formula or Category.ControlCharacters => Payload(c) + "@x.example",
            Category.WrongTypes => Pick(["", "@", "a@", "a@b", new string('a', 300) + "@x.example", "a@b@c.example", "focal.xa-lung-cu@units.example\nbcc@evil.example"]),
            _ => "focal." + t.UnitId + "@units.example",
        };
        var fields = new List<KeyValuePair<string, string>> { new(AntiforgeryField, t.LinkAntiforgery), new("email", email) };
        return c switch
        {
            Category.WrongContentType => new("new-link", c, Caller.Link, HttpMethod.Post, path, i % 2 == 0
                ? () => Json($"{{\"email\":\"{email}\",\"{AntiforgeryField}\":\"{t.LinkAntiforgery}\"}}")
                : () => Raw(Encoding.UTF8.GetBytes($"email={email}&{AntiforgeryField}={t.LinkAntiforgery}"), "application/x-www-form-urlencoded; charset=utf-7")),
            Category.BadJson => new("new-link", c, Caller.Link, HttpMethod.Post, path, () => Raw(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx"), "multipart/form-data; boundary=b")),
            Category.HugeBody => Huge("new-link", c, Caller.Link, HttpMethod.Post, path, form: true),
            // Without the token, or with it but not the cookie: a real unit's address still gets no new link.
            Category.WrongCredentials => new("new-link", c, i % 2 == 0 ? Caller.Anonymous : Caller.Link, HttpMethod.Post, path,
                () => Form(i % 2 == 0 ? fields : fields.Where(f => f.Key != AntiforgeryField))),
            // The same page for any address: an odd one that still parses is answered 200, and nobody gets a link.
            _ => new("new-link", c, Caller.Link, HttpMethod.Post, path, () => Form(fields)) { MayBeAccepted = true },
        };
    }

    private HostileRequest SubmissionApi(int i)
    {
        var c = Turn(i, Category.BadJson, Category.WrongTypes, Category.HugeBody, Category.ControlCharacters, Category.Script, Category.Formula,
            Category.TamperedToken, Category.ReplayedToken, Category.WrongContentType);
        var path = $"/api/submissions/{t.Token}";
        const string endpoint = "submissions-api";
        switch (c)
        {
            case Category.BadJson:
                return new(endpoint, c, Caller.Anonymous, HttpMethod.Post, path, Pick<Func<HttpContent?>>(
                [
                    () => Json("{"),
                    () => Json("{\"indicators\":"),
                    () => Json("{\"indicators\":{\"hop_bao\":1,}}"),
                    () => Json("{'indicators':{'hop_bao':1}}"),
                    () => Json("{\"indicators\":{\"hop_bao\":NaN}}"),
                    () => Json("{}{}"),
                    () => Json(""),
                    () => Json(new string('[', 5000) + new string(']', 5000)),
                    () => Json("{\"sections\":{\"han_che\":\"\\ud800\\u12\"}}"),
                    () => Raw([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "application/json"),
                    () => Raw([.. "{\"indicators\":{\""u8, 0xC3, 0x28, .. "\":1}}"u8], "application/json"),
                    () => Json("{}"),
                    () => Json("{\"indicator\":{\"hop_bao\":1}}"),
                    () => Json("\uFEFF{\"indicators\":{}} trailing"),
                ]));
            case Category.WrongTypes:
                return new(endpoint, c, Caller.Anonymous, HttpMethod.Post, path, () => Json(Pick(
                [
                    "[]", "\"text\"", "42", "null", "true",
                    "{\"indicators\":[]}", "{\"indicators\":\"x\"}", "{\"sections\":[1]}", "{\"sections\":{\"han_che\":123}}",
                    "{\"indicators\":{\"hop_bao\":\"mười\"}}", "{\"indicators\":{\"hop_bao\":-1}}", "{\"indicators\":{\"hop_bao\":1.5}}",
                    "{\"indicators\":{\"hop_bao\":1e400}}", "{\"indicators\":{\"co_ke_hoach_nam\":\"có\"}}", "{\"indicators\":{\"hop_bao\":{\"$gt\":0}}}",
                    "{\"indicators\":{\"hop_bao\":[1]}}", "{\"indicators\":{\"kinh_phi\":12.345}}", "{\"indicators\":{\"hop_bao\":99999999999999999999999999999}}",
                    "{\"sections\":{\"han_che\":{\"x\":1}}}", "{\"indicators\":{\"khong_co\":1}}",
                ])));
            case Category.HugeBody:
                return Huge(endpoint, c, Caller.Anonymous, HttpMethod.Post, path, form: false);
            case Category.ControlCharacters or Category.Script or Category.Formula:
                // Hostile codes (and a figure that is not one): nothing in the body is acceptable.
                var key = Quote(Payload(c));
                return new(endpoint, c, Caller.Anonymous, HttpMethod.Post, path,
                    () => Json($"{{\"indicators\":{{{key}:1,\"hop_bao\":{Quote(Payload(c))}}},\"sections\":{{{key}:{Quote(Payload(c))}}}}}"));
            case Category.TamperedToken or Category.ReplayedToken:
                // The body that was accepted before the lock, now behind a dead or forged link.
                return new(endpoint, c, Caller.Anonymous, HttpMethod.Post, $"/api/submissions/{BadToken(c)}", () => Json(t.LockedSubmission));
            default:
                return new(endpoint, c, Caller.Anonymous, HttpMethod.Post, path, Pick<Func<HttpContent?>>(
                [
                    () => Form([new("indicators.hop_bao", "1")]),
                    () => Raw(Encoding.UTF8.GetBytes("{\"indicators\":{\"hop_bao\":1}}"), "text/plain"),
                    () => Raw(Encoding.UTF8.GetBytes("{\"indicators\":{\"hop_bao\":1}}"), null),
                    () => Raw(Encoding.UTF8.GetBytes("<indicators><hop_bao>1</hop_bao></indicators>"), "application/xml"),
                    () => Raw(Encoding.UTF8.GetBytes("{\"indicators\":{\"hop_bao\":1}}"), "application/jsonx"),
                ]));
        }
    }

    private HostileRequest Webhook(int i)
    {
        var c = Turn(i, Category.WrongCredentials, Category.TamperedToken, Category.ReplayedToken, Category.BadJson, Category.WrongTypes,
            Category.HugeBody, Category.Script, Category.WrongContentType);
        const string path = SendGridWebhookEndpoint.Route;
        const string endpoint = "sendgrid-webhook";
        var bounce = $"[{{\"email\":\"focal.{t.UnitId}@units.example\",\"event\":\"bounce\",\"reason\":{Quote(Pick(Scripts))},\"province\":\"{t.Province}\",\"cycle\":\"{t.Cycle}\",\"unit\":\"{t.UnitId}\",\"timestamp\":1780000000}}]";
        var now = DateTimeOffset.UtcNow;
        return c switch
        {
            Category.WrongCredentials => Signed(endpoint, c, bounce, headers: i % 2 == 0 ? [] : [new(SendGridWebhookEndpoint.TimestampHeader, Seconds(now))]),
            // A signature over another body, a garbled one, or a valid one under another timestamp.
            Category.TamperedToken => Pick<Func<HostileRequest>>(
            [
                () => Signed(endpoint, c, bounce, signedBody: bounce.Replace("bounce", "bounced", StringComparison.Ordinal)),
                () => Signed(endpoint, c, bounce, signature: Convert.ToBase64String(RandomBytes(70))),
                () => Signed(endpoint, c, bounce, signature: "not base64 ***"),
                () => Signed(endpoint, c, bounce, timestamp: Seconds(now.AddSeconds(1)), signedAt: now),
            ])(),
            // A genuine post captured and sent again after the accepted window.
            Category.ReplayedToken => Signed(endpoint, c, bounce, signedAt: now.AddMinutes(-30 - _rng.Next(600))),
            Category.BadJson => Signed(endpoint, c, Pick(["[", "{\"event\":", "[{\"email\":}]", "nul", "", "[" + new string('[', 100) + "]"]), mayBeAccepted: false),
            // Signed, but nothing in it is a bounce the app can use: accepted, and nothing recorded.
            Category.WrongTypes => Signed(endpoint, c, Pick(
            [
                "[1,\"x\",null]", "[{\"event\":\"bounce\",\"email\":42}]", "[{\"event\":[\"bounce\"],\"email\":\"a@b.example\"}]",
                "[{\"event\":\"bounce\",\"type\":\"blocked\",\"email\":\"a@b.example\"}]", "[{\"event\":\"open\",\"email\":\"a@b.example\"}]",
            ]), mayBeAccepted: true),
            Category.HugeBody => Huge(endpoint, c, Caller.Anonymous, HttpMethod.Post, path, form: false),
            Category.Script => Signed(endpoint, c, bounce, signedBody: "[]"),
            _ => new(endpoint, c, Caller.Anonymous, HttpMethod.Post, path, () => Form([new("email", "a@b.example"), new("event", "bounce")])),
        };
    }

    private HostileRequest Signed(string endpoint, Category c, string body, string? signedBody = null, string? signature = null,
        string? timestamp = null, DateTimeOffset? signedAt = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null, bool mayBeAccepted = false)
    {
        var at = signedAt ?? DateTimeOffset.UtcNow;
        var signedTs = Seconds(at);
        signature ??= Convert.ToBase64String(t.WebhookKey.SignData(Encoding.UTF8.GetBytes(signedTs + (signedBody ?? body)), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        return new(endpoint, c, Caller.Anonymous, HttpMethod.Post, SendGridWebhookEndpoint.Route, () => Json(body))
        {
            Headers = headers ?? [new(SendGridWebhookEndpoint.SignatureHeader, signature), new(SendGridWebhookEndpoint.TimestampHeader, timestamp ?? signedTs)],
            MayBeAccepted = mayBeAccepted,
        };
    }

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The admin API's routes with a body each would accept if the caller were allowed.</summary>
    private (HttpMethod Method, string Path, string? Body)[] AdminRoutes()
    {
        var p = $"/api/admin/provinces/{t.Province}";
        var c = $"{p}/cycles/{t.Cycle}";
        return
        [
            (HttpMethod.Put, p, "{\"name\":\"Sở giả mạo\",\"parentBody\":\"x\",\"place\":\"x\",\"coordinator\":{\"name\":\"x\",\"email\":\"x@evil.example\"}}"),
            (HttpMethod.Get, p, null),
            (HttpMethod.Put, $"{p}/units", null),
            (HttpMethod.Get, $"{p}/units", null),
            (HttpMethod.Post, $"{p}/cycles", "{\"period\":\"2026-X-gia-mao\",\"dueAt\":\"2026-12-01T00:00:00Z\"}"),
            (HttpMethod.Get, $"{p}/cycles", null),
            (HttpMethod.Get, c, null),
            (HttpMethod.Post, $"{c}/lock", null),
            (HttpMethod.Post, $"{c}/units/{t.UnitId}/reopen", null),
            (HttpMethod.Post, $"{c}/units/{t.UnitId}/exempt", "{\"reason\":\"gia mao\"}"),
            (HttpMethod.Post, $"{c}/units/{t.UnitId}/extend", "{\"dueAt\":\"2026-12-01T00:00:00Z\"}"),
            (HttpMethod.Post, $"{c}/units/{t.UnitId}/resend", null),
            (HttpMethod.Get, $"{c}/audit", null),
            (HttpMethod.Get, $"{p}/regime", null),
            (HttpMethod.Put, $"{p}/regime", "{\"dueTime\":\"17:00\"}"),
            (HttpMethod.Get, $"{c}/report.docx", null),
            (HttpMethod.Get, $"{c}/reports", null),
            (HttpMethod.Get, $"{c}/charts/indicators.png", null),
            (HttpMethod.Get, $"{c}/units/{t.UnitId}/attachment", null),
            (HttpMethod.Get, $"{p}/bounces", null),
            (HttpMethod.Delete, $"{p}/bounces/focal.{t.UnitId}@units.example", null),
            (HttpMethod.Get, $"{c}/reviews", null),
            (HttpMethod.Post, $"{c}/units/{t.UnitId}/versions/1/accept", "{}"),
            (HttpMethod.Post, $"{c}/units/{t.UnitId}/versions/1/return", "{\"comment\":\"gia mao\"}"),
            (HttpMethod.Get, $"{c}/approval", null),
            (HttpMethod.Post, $"{c}/approval/approve", "{\"version\":1}"),
            (HttpMethod.Post, $"{c}/approval/send-back", "{\"version\":1,\"comment\":\"gia mao\"}"),
            (HttpMethod.Post, $"{c}/approval/resubmit", "{\"version\":1}"),
            (HttpMethod.Post, $"{c}/signature/sign", "{\"version\":1,\"number\":1,\"symbol\":\"BC-UBND\",\"signedBy\":\"gia mao\"}"),
            (HttpMethod.Post, $"{c}/signature/send-back", "{\"version\":1,\"comment\":\"gia mao\"}"),
        ];
    }

    private HostileRequest AdminWithoutKey(int i)
    {
        var routes = AdminRoutes();
        var (method, path, body) = routes[i % routes.Length];
        var key = Pick(["", " ", "test-admin-keY", "wrong", new string('k', 4000), "Bearer test-admin-key", "test-admin-ke"]);
        var headers = i % 4 == 0 ? [] : new List<KeyValuePair<string, string>> { new("X-Api-Key", key) };
        return new("admin-api-no-key", Category.WrongCredentials, Caller.Anonymous, method, path, () => body is null ? null : Json(body)) { Headers = headers };
    }

    private HostileRequest AdminWithKey(int i)
    {
        var c = Turn(i, Category.BadJson, Category.WrongTypes, Category.WrongContentType, Category.HugeBody, Category.ControlCharacters, Category.Script, Category.Formula);
        var p = $"/api/admin/provinces/{t.Province}";
        var cycle = $"{p}/cycles/{t.Cycle}";
        const string endpoint = "admin-api";
        var target = Pick<(HttpMethod Method, string Path)>(
        [
            (HttpMethod.Put, p), (HttpMethod.Post, $"{p}/cycles"), (HttpMethod.Put, $"{p}/regime"),
            (HttpMethod.Post, $"{cycle}/units/{t.UnitId}/exempt"), (HttpMethod.Post, $"{cycle}/units/{t.UnitId}/extend"),
            (HttpMethod.Post, $"{cycle}/approval/send-back"), (HttpMethod.Post, $"{cycle}/signature/sign"),
        ]);
        switch (c)
        {
            case Category.BadJson:
                return new(endpoint, c, Caller.ApiKey, target.Method, target.Path, () => Json(Pick(["{", "{\"name\":", "[", "nul", "", "{\"a\":1,}", new string('{', 3000)])));
            case Category.WrongTypes:
                // Bodies of the right shape with a value of the wrong type or out of range, for the route they are sent to
                // (unknown properties are ignored by design, so a body of only those is a valid, empty update).
                var wrong = target.Path switch
                {
                    _ when target.Path.EndsWith("/exempt", StringComparison.Ordinal) => Pick(["{\"reason\":[\"x\"]}", "{\"reason\":\"\"}", "{\"reason\":42}", "[]", "null"]),
                    _ when target.Path.EndsWith("/extend", StringComparison.Ordinal) => Pick(["{\"dueAt\":\"không phải ngày\"}", "{\"dueAt\":5}", "{\"dueAt\":\"2026-13-45T99:00:00Z\"}", "{}", "42"]),
                    // A decision on the draft: a version that is not a number, a comment or units of the wrong type, a number as text.
                    _ when target.Path.EndsWith("/send-back", StringComparison.Ordinal) || target.Path.EndsWith("/sign", StringComparison.Ordinal) => Pick(
                        ["{\"version\":\"một\"}", "{\"version\":1,\"comment\":42}", "{\"version\":1,\"comment\":\"x\",\"units\":\"xa\"}",
                         "{\"version\":1,\"number\":\"125\",\"symbol\":\"BC-UBND\"}", "{\"version\":[1]}", "[]"]),
                    _ when target.Path.EndsWith("/regime", StringComparison.Ordinal) => Pick(["{\"calendar\":\"H1\"}", "{\"calendar\":[{\"period\":\"H9\",\"due\":\"13-45\"}]}", "{\"opensBefore\":\"P-1D\"}", "{\"dueTime\":25}", "[]"]),
                    _ when target.Path.EndsWith("/cycles", StringComparison.Ordinal) => Pick(
                    [
                        "{\"period\":2026,\"dueAt\":true}", "{\"period\":\"2026-H3\",\"dueAt\":\"mai\"}", "{\"period\":\"2026-X-a\",\"dueAt\":\"2026-13-45T99:00:00Z\"}",
                        "{\"period\":\"2026-X-a\",\"dueAt\":\"2026-12-01T00:00:00Z\",\"schedule\":{\"reminders\":[\"không\"]}}",
                        "{\"period\":\"2026-X-a\",\"dueAt\":\"2026-12-01T00:00:00Z\",\"units\":[\"khong-co\"]}", "[]",
                    ]),
                    _ => Pick(["{\"name\":42,\"coordinator\":\"x\"}", "{\"name\":\"\",\"coordinator\":{\"email\":\"khong-phai-thu\"}}", "[]", "null", "42"]),
                };
                return new(endpoint, c, Caller.ApiKey, target.Method, target.Path, () => Json(wrong));
            case Category.WrongContentType:
                return Pick<Func<HostileRequest>>(
                [
                    () => new(endpoint, c, Caller.ApiKey, target.Method, target.Path, () => Form([new("name", "x")])),
                    () => new(endpoint, c, Caller.ApiKey, target.Method, target.Path, () => Raw(Encoding.UTF8.GetBytes("<x/>"), "application/xml")),
                    // The directory as JSON, or a CSV that is not one.
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Put, $"{p}/units", () => Json("[{\"id\":\"xa-moi\"}]")),
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Put, $"{p}/units", () => Raw([0xFF, 0xFE, 0x00, 0x69, 0x00, 0x64], "text/csv")),
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Put, $"{p}/units", () => Raw(Encoding.UTF8.GetBytes("id,name\n\"unterminated"), "text/csv")),
                ])();
            case Category.HugeBody:
                // Unknown properties are ignored by design, so a large body of them is a valid, empty update: only unreadable ones here.
                return _rng.Next(3) == 0
                    ? new(endpoint, c, Caller.ApiKey, HttpMethod.Put, $"{p}/units", () => Raw(Encoding.UTF8.GetBytes("id,name,group,focal_email,head_email\n" + new string('x', 6 * 1024 * 1024)), "text/csv"))
                    : Huge(endpoint, c, Caller.ApiKey, target.Method, target.Path, form: false, unreadable: true);
            default:
                // Hostile text in the ids of the path (an OData filter built from one would break out of its quotes) and in a CSV row.
                var id = Uri.EscapeDataString(Payload(c));
                return Pick<Func<HostileRequest>>(
                [
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Get, $"/api/admin/provinces/{id}/cycles", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Get, $"{p}/cycles/{id}", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Get, $"{p}/cycles/{id}/audit", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Get, $"{cycle}/units/{id}/attachment", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Get, $"{cycle}/charts/{id}.svg", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Post, $"{p}/cycles/{id}/lock", () => null),
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Post, $"{cycle}/units/{id}/exempt", () => Json("{\"reason\":\"x\"}")),
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Delete, $"{p}/bounces/{id}", () => null),
                    () => new(endpoint, c, Caller.ApiKey, HttpMethod.Put, $"{p}/units",
                        () => Csv($"id,name,group,focal_email,head_email\n{Payload(c).Replace(",", "", StringComparison.Ordinal)},x,xa-phuong,a@b.example,c@d.example\n")),
                ])();
        }
    }

    /// <summary>Every dashboard route, signed out: each sends the visitor to sign in.</summary>
    private HostileRequest DashboardSignedOut(int i)
    {
        var routes = DashboardRoutes(t.Cycle);
        var (method, path) = routes[i % routes.Length];
        var c = Turn(i / routes.Length, Category.WrongCredentials, Category.ReplayedToken);
        var fields = new List<KeyValuePair<string, string>> { new(AntiforgeryField, t.SignedOutAntiforgery), new("reason", "x"), new("dueAt", "2026-12-01T10:00") };
        // ReplayedToken: the anti-forgery token an admin had before signing out, with its cookie.
        var caller = c == Category.ReplayedToken ? Caller.SignedOut : Caller.Anonymous;
        return new("dashboard-signed-out", c, caller, method, path, () => method == HttpMethod.Post ? Form(fields) : null);
    }

    private (HttpMethod, string)[] DashboardRoutes(string cycle)
    {
        var p = $"/admin/{t.Province}";
        var c = $"{p}/cycles/{cycle}";
        var u = $"{c}/units/{t.UnitId}";
        return
        [
            (HttpMethod.Get, "/admin"), (HttpMethod.Get, p), (HttpMethod.Get, c), (HttpMethod.Get, $"{c}/audit"), (HttpMethod.Get, $"{c}/reports/1.docx"),
            (HttpMethod.Get, $"{p}/units"), (HttpMethod.Get, $"{p}/units.csv"), (HttpMethod.Get, $"{p}/regime"), (HttpMethod.Get, "/admin/dev/mailbox"),
            (HttpMethod.Post, $"{c}/lock"), (HttpMethod.Post, $"{u}/exempt"), (HttpMethod.Post, $"{u}/extend"), (HttpMethod.Post, $"{u}/reopen"),
            (HttpMethod.Post, $"{u}/resend"), (HttpMethod.Post, $"{p}/cycles/new"), (HttpMethod.Post, $"{p}/regime"), (HttpMethod.Post, $"{p}/units/import"),
            (HttpMethod.Post, $"{p}/units/import/job1"), (HttpMethod.Post, $"{p}/units/{t.UnitId}/edit"),
        ];
    }

    /// <summary>Signed in: posts without or with a wrong token, broken bodies, invalid values, hostile ids; a viewer's attempts to act.</summary>
    private HostileRequest DashboardSignedIn(int i)
    {
        var c = Turn(i, Category.WrongCredentials, Category.BadJson, Category.WrongContentType, Category.WrongTypes, Category.HugeBody,
            Category.Script, Category.ControlCharacters, Category.ReplayedToken);
        const string endpoint = "dashboard";
        var p = $"/admin/{t.Province}";
        var u = $"{p}/cycles/{t.Cycle}/units/{t.UnitId}";
        var posts = DashboardRoutes(t.Cycle).Where(r => r.Item1 == HttpMethod.Post).Select(r => r.Item2).ToArray();
        var path = Pick(posts);
        var token = new KeyValuePair<string, string>(AntiforgeryField, t.AdminAntiforgery);
        switch (c)
        {
            case Category.WrongCredentials:
                // A viewer, with a valid token of its own, tries to act; or an admin without a token.
                return i % 2 == 0
                    ? new(endpoint, c, Caller.Viewer, HttpMethod.Post, path, () => Form([new(AntiforgeryField, t.ViewerAntiforgery), new("reason", "x")]))
                    : new(endpoint, c, Caller.Admin, HttpMethod.Post, path, () => Form([new("reason", "x")]));
            case Category.ReplayedToken:
                // The viewer's token in the admin's session: tokens are bound to the user they were issued to.
                return new(endpoint, c, Caller.Admin, HttpMethod.Post, path, () => Form([new(AntiforgeryField, t.ViewerAntiforgery), new("reason", "x")]));
            case Category.BadJson:
                return new(endpoint, c, Caller.Admin, HttpMethod.Post, path, Pick<Func<HttpContent?>>(
                [
                    () => Raw(Encoding.UTF8.GetBytes($"--b\r\nContent-Disposition: form-data; name=\"{AntiforgeryField}\"\r\n\r\n{t.AdminAntiforgery}\r\n--b"), "multipart/form-data; boundary=b"),
                    () => Raw(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b"),
                    () => Raw([0x25, 0xFF, 0xFE, 0x3D], "application/x-www-form-urlencoded"),
                    () => Raw(Encoding.UTF8.GetBytes("x"), "multipart/form-data"),
                ]));
            case Category.WrongContentType:
                return new(endpoint, c, Caller.Admin, HttpMethod.Post, path, () => Json($"{{\"{AntiforgeryField}\":\"{t.AdminAntiforgery}\",\"reason\":\"x\"}}"));
            case Category.WrongTypes:
                // Valid token, values no action accepts, on the real cycle and unit.
                return Pick<Func<HostileRequest>>(
                [
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{u}/exempt", () => Form([token, new("reason", Pick(["", " ", new string('x', 501)]))])),
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{u}/extend", () => Form([token, new("dueAt", Pick(["", "mai", "2026-13-45T99:99", "1e9", "0001-01-01T00:00"]))])),
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{u}/reopen", () => Form([token])),
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{p}/cycles/new", () => Form([token, new("slug", Pick(["", "Hoa", "a b", "../x", "-x-"])), new("dueAt", "2026-12-01T10:00"), new("units", t.UnitId)])),
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{p}/units/{t.UnitId}/edit", () => Form([token, new("name", ""), new("group", "nhom-sai"), new("focal_email", "x"), new("head_email", "y")])),
                    // An import job that does not exist: sent on to its progress page, which says so (404); nothing starts.
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{p}/units/import/khong-co", () => Form([token])) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{p}/units/import", () => Multipart([token], ("don-vi.csv", Encoding.UTF8.GetBytes("id,name\nkhong,du,cot\n")))),
                ])();
            case Category.HugeBody:
                return Huge(endpoint, c, Caller.Admin, HttpMethod.Post, path, form: true);
            default:
                // Hostile ids in the dashboard's paths, read and acted on.
                var id = Uri.EscapeDataString(Payload(c));
                return Pick<Func<HostileRequest>>(
                [
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"/admin/{id}", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"{p}/cycles/{id}", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"{p}/cycles/{id}/audit", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"{p}/imports/{id}", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"/admin/dev/mailbox/{id}", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"{p}/cycles/{t.Cycle}/units/{id}/exempt", () => null) { MayBeAccepted = true },
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{p}/cycles/{t.Cycle}/units/{id}/exempt", () => Form([token, new("reason", Payload(c))])),
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Post, $"{p}/cycles/{id}/lock", () => Form([token])),
                    () => new(endpoint, c, Caller.Admin, HttpMethod.Get, $"/admin/sign-in?returnUrl={id}", () => null) { MayBeAccepted = true },
                ])();
        }
    }

    private HostileRequest SignIn(int i)
    {
        var c = Turn(i, Category.WrongCredentials, Category.BadJson, Category.WrongContentType, Category.HugeBody, Category.ReplayedToken);
        const string endpoint = "sign-in";
        return c switch
        {
            Category.WrongCredentials => new(endpoint, c, Caller.Anonymous, HttpMethod.Post, i % 2 == 0 ? "/admin/sign-in" : "/admin/sign-out",
                () => Form([new("name", Pick(Scripts)), new("role", "admin"), new("returnUrl", "//evil.example")])),
            Category.BadJson => new(endpoint, c, Caller.Anonymous, HttpMethod.Post, "/admin/sign-in", Pick<Func<HttpContent?>>(
            [
                () => Raw(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--b"), "multipart/form-data; boundary=b"),
                () => Raw([0x25, 0xFF, 0xFE, 0x3D], "application/x-www-form-urlencoded"),
                () => Raw(Encoding.UTF8.GetBytes("x"), "multipart/form-data"),
            ])),
            Category.WrongContentType => new(endpoint, c, Caller.Anonymous, HttpMethod.Post, "/admin/sign-in", () => Json("{\"name\":\"x\",\"role\":\"admin\"}")),
            Category.HugeBody => Huge(endpoint, c, Caller.Anonymous, HttpMethod.Post, "/admin/sign-in", form: true),
            // The signed-out admin's token, posted again to sign out (or in) without the session it belonged to.
            _ => new(endpoint, c, Caller.SignedOut, HttpMethod.Post, "/admin/sign-out", () => Form([new(AntiforgeryField, t.SignedOutAntiforgery)])),
        };
    }

    private HostileRequest Assets(int i)
    {
        var c = Turn(i, Category.Script, Category.ControlCharacters, Category.WrongTypes);
        var name = c == Category.WrongTypes
            ? Pick(["..%2F..%2Fappsettings.json", "%2e%2e%2fTtdn.App.dll", "form.js%00.png", "FORM.JS", "form.css.map", "dashboard.css%2F..%2Fform.js"])
            : Uri.EscapeDataString(Payload(c));
        var method = i % 4 == 3 ? HttpMethod.Post : HttpMethod.Get;
        return new("assets", c, Caller.Anonymous, method, $"/assets/{name}?v={Uri.EscapeDataString(Payload(Category.Script))}",
            () => method == HttpMethod.Post ? Json("{}") : null) { MayBeAccepted = method == HttpMethod.Get };
    }

    /// <summary>
    /// Paths of the Functions host's own (the Durable extension's instance API, a trigger's name): the
    /// host keeps them to itself behind its keys, and the app serves none of them.
    /// </summary>
    private HostileRequest Invocations(int i)
    {
        var c = Turn(i, Category.WrongCredentials, Category.BadJson, Category.WrongTypes);
        var path = i % 2 == 0 ? "/runtime/webhooks/durabletask/instances/cycle:quang-tri%7C2026-H1/raiseEvent/signal" : "/calendar";
        return new("functions-invocations", c, Caller.Anonymous, HttpMethod.Post, path, () => Json(c switch
        {
            Category.BadJson => "{\"Data\":",
            Category.WrongTypes => "{\"Data\":{\"message\":42},\"Metadata\":[]}",
            _ => "{\"Data\":{\"message\":\"{\\\"kind\\\":\\\"lock\\\"}\"},\"Metadata\":{\"DequeueCount\":1}}",
        }));
    }

    // ---- bodies -------------------------------------------------------------------------------------

    /// <summary>Bodies past every limit: a long value, many fields, a chunked body of unknown length, one announced far too large.</summary>
    /// <remarks>
    /// Behind a link the token is valid, so the limits are what refuses the body. A dashboard post with
    /// a valid token and a large junk field is an admin's own valid action, so there it has none.
    /// </remarks>
    private HostileRequest Huge(string endpoint, Category c, Caller caller, HttpMethod method, string path, bool form, bool unreadable = false)
    {
        var antiforgery = caller == Caller.Link ? t.LinkAntiforgery : "";
        switch (unreadable ? 2 + _rng.Next(2) : _rng.Next(4))
        {
            case 0:
                var size = 300_000 + _rng.Next(1_500_000);
                return new(endpoint, c, caller, method, path, () => form
                    ? Multipart([new(AntiforgeryField, antiforgery), new("s.han_che", new string('x', size))])
                    : Json($"{{\"sections\":{{\"han_che\":\"{new string('x', size)}\"}}}}"))
                { ExpectContinue = true };
            case 1:
                var fields = Enumerable.Range(0, 20_000).Select(n => $"f{n}=1");
                return new(endpoint, c, caller, method, path, () => form
                    ? Raw(Encoding.UTF8.GetBytes(AntiforgeryField + "=" + antiforgery + "&" + string.Join("&", fields)), "application/x-www-form-urlencoded")
                    : Json("{" + string.Join(",", Enumerable.Range(0, 40_000).Select(n => $"\"k{n}\":{n}")) + "}"))
                { ExpectContinue = true };
            case 2:
                var length = 600_000 + _rng.Next(600_000);
                return new(endpoint, c, caller, method, path, () =>
                {
                    var content = new StreamContent(new MemoryStream(new byte[length]));
                    content.Headers.ContentType = new MediaTypeHeaderValue(form ? "application/x-www-form-urlencoded" : "application/json");
                    return content;
                })
                { Chunked = true };
            default:
                return new(endpoint, c, caller, method, path, () =>
                {
                    var content = new ByteArrayContent(new byte[33 * 1024 * 1024 + 1024]);
                    content.Headers.ContentType = new MediaTypeHeaderValue(form ? "multipart/form-data" : "application/json");
                    return content;
                })
                { ExpectContinue = true };
        }
    }

    private static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    private static HttpContent Csv(string text) => new StringContent(text, Encoding.UTF8, "text/csv");

    private static HttpContent Form(IEnumerable<KeyValuePair<string, string>> fields) => new FormUrlEncodedContent(fields);

    private static HttpContent Raw(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>Multipart as a browser writes it: quotes and line ends in names percent-encoded, anything else as it is.</summary>
    private static HttpContent Multipart(IEnumerable<KeyValuePair<string, string>> fields, (string Name, byte[] Content)? file = null)
    {
        static string Escape(string name) => name.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new StringContent(value);
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Escape(name)}\"");
            content.Add(part);
        }
        if (file is { } f)
        {
            var part = new ByteArrayContent(f.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"attachment\"; filename=\"{Escape(f.Name)}\"");
            content.Add(part);
        }
        return content;
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _rng.NextBytes(bytes);
        return bytes;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
