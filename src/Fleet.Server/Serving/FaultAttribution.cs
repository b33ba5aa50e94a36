using Fleet.Abstractions.Hosts;
using Fleet.Inference;
using Fleet.Inference.Tensors;
using Fleet.Server.Health;

namespace Fleet.Server.Serving;

/// <summary>Whose fault a run-time error is: only the model's counts against it (fallbacks, rollbacks, readiness).</summary>
internal enum Fault
{
    Client,
    Model,
}

/// <summary>
/// Decides whether ONNX Runtime failing on a request is the input's fault or the version's. The input is at fault
/// when ONNX Runtime refused its arguments, or when the version still reproduces its golden outputs right now (so
/// it runs), or when it has no golden set and never ran an input of this shape. The version is at fault when its
/// probes are failing, when its golden inputs fail too, or when it ran inputs of this shape before.
/// </summary>
internal static class FaultAttribution
{
    /// <summary>How long a golden re-check on an error stands for later errors of the same load.</summary>
    public static readonly TimeSpan RecheckValidFor = TimeSpan.FromSeconds(1);

    /// <summary>The rule itself (pure). <paramref name="goldenPasses"/>: null when the version has no golden set to re-check.</summary>
    public static (Fault Fault, string Why) Decide(bool invalidArgument, ProbeVerdict verdict, bool? goldenPasses, bool ranShapeBefore) =>
        invalidArgument ? (Fault.Client, "ONNX Runtime refused the input's arguments")
        : verdict == ProbeVerdict.Failing ? (Fault.Model, "the version is failing its probes on this host")
        : goldenPasses == true ? (Fault.Client, "the version still reproduces its golden outputs")
        : goldenPasses == false ? (Fault.Model, "the version fails its golden inputs too")
        : ranShapeBefore ? (Fault.Model, "the version answered inputs of this shape before")
        : (Fault.Client, "the version has no golden set yet and never answered an input of this shape");

    /// <summary>Judges <paramref name="error"/> on <paramref name="inputs"/> for <paramref name="served"/>, re-running its golden set if needed.</summary>
    public static (Fault Fault, string Why) Judge(ServedModel served, IReadOnlyList<Tensor> inputs, InferenceException error, TimeProvider time)
    {
        if (error.InvalidArgument)
        {
            return Decide(true, ProbeVerdict.Unknown, null, false);
        }

        var verdict = served.Health.Verdict;
        var golden = verdict == ProbeVerdict.Failing ? null : served.RecheckGolden(time);
        return Decide(false, verdict, golden, served.Shapes.RanBefore(inputs));
    }

    /// <summary>The client's error: <c>model 'm' version 'v' cannot run this input: input 'x' [1,3,33,47]: message</c>.</summary>
    public static string Describe(ServedModel served, IReadOnlyList<Tensor> inputs, InferenceException error) =>
        $"model '{served.Model}' version '{served.Version}' cannot run this input: " +
        string.Join(", ", inputs.Select(t => $"input '{t.Name}' {Protocol.InferRequestReader.FormatShape(t.Shape)}")) +
        $": {error.Message}";

    /// <summary>Runs the golden set once and compares (the error path only; the caller caches the answer).</summary>
    public static bool GoldenPasses(ServedModel served, GoldenProbe probe)
    {
        if (probe.Set is not { } set || probe.Inputs is not { } inputs)
        {
            return false;
        }

        try
        {
            var outputs = served.Session.Run(inputs, probe.Outputs);
            return GoldenComparison.Compare(set.Expected, outputs, set.Tolerance, set.RelativeTolerance) is null;
        }
        catch (InferenceException)
        {
            return false; // the version fails on its own golden inputs: that is the answer, not an error to report
        }
    }
}
