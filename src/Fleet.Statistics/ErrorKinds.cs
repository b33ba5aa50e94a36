namespace Fleet.Statistics;

/// <summary>
/// The error kinds the serving path reports to <see cref="VersionStatsRecorder.RecordError"/>. Any other
/// string is counted under its own name, up to <see cref="StatsOptions.MaxNames"/> names per category.
/// </summary>
public static class ErrorKinds
{
    // The client's faults: never evidence against a model.

    /// <summary>The request could not be read against the version's signature (names, types, shapes, values).</summary>
    public const string BadInput = "bad_input";

    /// <summary>The input contract rejected the request (mode reject).</summary>
    public const string InputRejected = "input_rejected";

    /// <summary>ONNX Runtime could not run this input while the version itself runs (see the server's FaultAttribution).</summary>
    public const string InputNotRunnable = "input_not_runnable";

    // The model's faults: each is answered by the fallback chain and counts towards a rollback.

    /// <summary>ONNX Runtime failed on an input the version should run.</summary>
    public const string RuntimeError = "runtime_error";

    /// <summary>The answer broke the output contract (NaN, probabilities out of range, ...).</summary>
    public const string OutputViolation = "output_violation";

    public const string Fallback = "fallback";
    public const string Unavailable = "unavailable";

    /// <summary>Whether an error of <paramref name="kind"/> is the client's (see the constants above).</summary>
    public static bool IsClientFault(string kind) => kind is BadInput or InputRejected or InputNotRunnable;

    /// <summary>Whether an error of <paramref name="kind"/> is the model's.</summary>
    public static bool IsModelFault(string kind) => kind is RuntimeError or OutputViolation;

    /// <summary>Where names beyond the per-category bound are counted (errors, fallbacks, violations).</summary>
    public const string Other = "other";
}
