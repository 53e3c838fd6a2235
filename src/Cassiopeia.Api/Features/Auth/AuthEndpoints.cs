using Cassiopeia.Api.Http;
using Cassiopeia.Api.RateLimiting;
using Cassiopeia.Core.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Auth;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/signup", SignUpAsync).WithName("SignUp").WithIdempotency().WithMetadata(new AuthRateLimitAttribute());
        group.MapPost("/login", LogInAsync).WithName("LogIn").WithMetadata(new AuthRateLimitAttribute());
        group.MapPost("/refresh", RefreshAsync).WithName("Refresh").WithMetadata(new AuthRateLimitAttribute());
        group.MapPost("/logout", LogOutAsync).WithName("LogOut");
        return app;
    }

    internal static async Task<Results<Created<AuthResponse>, ProblemHttpResult>> SignUpAsync(SignUpRequest request, SignUp signUp, HttpContext context, CancellationToken ct)
    {
        var result = await signUp.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created("/v1/me", result.Value) : result.Error!.ToProblem(context);
    }

    internal static async Task<Results<Ok<AuthResponse>, ProblemHttpResult>> LogInAsync(LogInRequest request, LogIn logIn, HttpContext context, CancellationToken ct)
    {
        var result = await logIn.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Error!.ToProblem(context);
    }

    internal static async Task<Results<Ok<AuthResponse>, ProblemHttpResult>> RefreshAsync(RefreshRequest request, RefreshSession refresh, HttpContext context, CancellationToken ct)
    {
        var result = await refresh.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Error!.ToProblem(context);
    }

    internal static async Task<NoContent> LogOutAsync(RefreshRequest request, LogOut logOut, CancellationToken ct)
    {
        await logOut.HandleAsync(request, ct);
        return TypedResults.NoContent();
    }
}
