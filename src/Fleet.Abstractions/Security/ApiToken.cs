namespace Fleet.Abstractions.Security;

/// <summary>
/// A named API token as the cluster stores it: never the secret, only its SHA-256 (<see cref="Hash"/>, lowercase hex).
/// Secrets are 32 random bytes, so a fast hash is enough (as with GitHub's tokens): nobody can guess back from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ApiToken")]
public sealed record ApiToken(
    [property: Id(0)] string Name,
    [property: Id(1)] AccessRole Role,
    [property: Id(2)] string Hash,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string CreatedBy);

/// <summary>One add or revoke, kept with the tokens (newest last, bounded).</summary>
[GenerateSerializer, Immutable, Alias("fleet.TokenEvent")]
public sealed record TokenEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Action,
    [property: Id(2)] string Name,
    [property: Id(3)] AccessRole Role,
    [property: Id(4)] string Actor);

/// <summary>The tokens added at run time (config tokens are not here), with their add/revoke history.</summary>
[GenerateSerializer, Immutable, Alias("fleet.TokenList")]
public sealed record TokenList(
    [property: Id(0)] ApiToken[] Tokens,
    [property: Id(1)] TokenEvent[] Events,
    [property: Id(2)] long Generation);
