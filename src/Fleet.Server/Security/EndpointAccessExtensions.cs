using Fleet.Abstractions.Security;

namespace Fleet.Server.Security;

public static class EndpointAccessExtensions
{
    /// <summary>
    /// The role an endpoint needs, and what a refusal calls it ("promote needs operate"). Without it an endpoint needs
    /// read for GET and admin for anything else (<see cref="AccessPolicy.NeedOf"/>).
    /// </summary>
    public static TBuilder Needs<TBuilder>(this TBuilder builder, AccessRole role, string action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccess(role, action));
}
