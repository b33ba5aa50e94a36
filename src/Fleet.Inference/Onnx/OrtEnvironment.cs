using Microsoft.ML.OnnxRuntime;

namespace Fleet.Inference.Onnx;

/// <summary>
/// Creates the process-wide ORT environment once, before any session, at FATAL log level: otherwise a failed
/// CUDA probe prints a native error to stderr that Fleet already reports through its own status and logs.
/// </summary>
internal static class OrtEnvironment
{
    private static readonly Lazy<OrtEnv> s_env = new(() =>
    {
        var options = new EnvironmentCreationOptions
        {
            logId = "fleet",
            logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        return OrtEnv.CreateInstanceWithOptions(ref options);
    });

    public static OrtEnv Instance => s_env.Value;
}
