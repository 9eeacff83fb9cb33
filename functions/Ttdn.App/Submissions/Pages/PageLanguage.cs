namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// The language of the unit's pages: Vietnamese unless the reader switched to English. The switch
/// is a link with <c>?lang=en</c> (or <c>vi</c>) and is remembered in a cookie, so the next page,
/// the review and the confirmation stay in the chosen language.
/// </summary>
public static class PageLanguage
{
    public const string Cookie = "ttdn-lang";
    public const string Query = "lang";

    /// <summary>The language for this request; a <c>lang</c> query parameter also sets the cookie.</summary>
    public static Texts Resolve(HttpContext context)
    {
        var asked = context.Request.Query[Query].ToString();
        if (asked is "vi" or "en")
        {
            context.Response.Cookies.Append(Cookie, asked, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
                Path = "/",
            });
            return Texts.For(asked);
        }
        return Current(context);
    }

    /// <summary>The remembered language, without changing anything.</summary>
    public static Texts Current(HttpContext context) => Texts.For(context.Request.Cookies[Cookie]);
}
