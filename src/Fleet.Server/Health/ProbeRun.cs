using Fleet.Inference;
using Fleet.Inference.Tensors;

namespace Fleet.Server.Health;

/// <summary>What one golden run (two runs of the same inputs) produced: both answers and the first one's time, or the error.</summary>
internal sealed record ProbeRunResult(Tensor[]? First, Tensor[]? Second, double FirstMilliseconds, string? Error);

/// <summary>
/// Runs a probe body on its own thread and waits for it at most a timeout: a hung session must not hang the prober.
/// A run that times out keeps going on its thread; the caller keeps the task and does not start another run of the
/// same session until it returns.
/// </summary>
internal static class ProbeRun
{
    public static async Task<(ProbeRunResult? Result, Task<ProbeRunResult> Run)> StartAsync(Func<ProbeRunResult> body, TimeSpan timeout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var run = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return (await run.WaitAsync(timeout, time, cancellationToken), run);
        }
        catch (TimeoutException)
        {
            return (null, run);
        }
    }

    /// <summary>Runs the inputs twice (the second run catches nondeterminism); an ONNX Runtime failure becomes <see cref="ProbeRunResult.Error"/>.</summary>
    public static ProbeRunResult Twice(Func<Tensor[]> run, TimeProvider time)
    {
        try
        {
            var started = time.GetTimestamp();
            var first = run();
            var milliseconds = time.GetElapsedTime(started).TotalMilliseconds;
            return new ProbeRunResult(first, run(), milliseconds, null);
        }
        catch (InferenceException ex)
        {
            return new ProbeRunResult(null, null, 0, ex.Message);
        }
    }
}
