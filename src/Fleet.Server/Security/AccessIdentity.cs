using Fleet.Abstractions.Security;

namespace Fleet.Server.Security;

/// <summary>Who a request is: the token's name and role, and where the token came from (<c>config</c> or <c>api</c>).</summary>
internal sealed record AccessIdentity(string Name, AccessRole Role, string Source);
