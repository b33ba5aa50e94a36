using Fleet.Inference.Onnx;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>Beside the serving composition: <see cref="InferenceOptions"/> lives in Fleet.Inference, which knows nothing of hosting.</summary>
internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions o) => OptionsRegistration.Result(
        (o.IntraOpThreads >= 1, "Fleet:Inference:IntraOpThreads must be at least 1"));
}
