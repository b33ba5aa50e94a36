using Microsoft.Extensions.Options;

namespace Fleet.Grains.Coordination;

/// <summary>The rules across <see cref="CoordinatorOptions"/> settings (its attributes hold the ranges).</summary>
public sealed class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions o) =>
        o.CoolDown >= TimeSpan.Zero && o.ActionWindow > TimeSpan.Zero && o.ViolationWindow > TimeSpan.Zero && o.StatsInterval > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Fleet:Coordinator: CoolDown must not be negative; ActionWindow, ViolationWindow and StatsInterval must be positive");
}
