using Microsoft.Extensions.Options;

namespace Fleet.Server.Hosting;

/// <summary>
/// How every Fleet options type is registered: bound from its section, its attributes (ranges) and its
/// <see cref="IValidateOptions{TOptions}"/> class (rules across settings, beside the options type) checked at start,
/// so a bad setting stops the server with the setting's name instead of failing later.
/// </summary>
internal static class OptionsRegistration
{
    public static OptionsBuilder<TOptions> AddFleetOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    public static OptionsBuilder<TOptions> AddFleetOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddFleetOptions<TOptions>(section);
    }

    /// <summary>The result of a validator's checks: each failed rule's message, or success.</summary>
    public static ValidateOptionsResult Result(params (bool Ok, string Failure)[] rules)
    {
        var failures = rules.Where(r => !r.Ok).Select(r => r.Failure).ToArray();
        return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
