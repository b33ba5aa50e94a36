using Fleet.Guardrails;
using Fleet.Inference.Onnx;
using Fleet.Server.Serving;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Unit;

/// <summary>Golden sets keep only inputs the version runs (samples/testing/picky.onnx: [1, n], n a multiple of 4).</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class GoldenRecorderTests
{
    private static readonly OnnxSessionFactory Sessions = new(new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu });

    [Fact]
    public void Reference_rows_the_version_runs_only_one_at_a_time_make_a_one_row_golden_set()
    {
        using var session = Sessions.Open(Repo.Sample("testing", "picky.onnx"));
        // Three 8-value rows: the graph takes one row at a time (dimension 0 is 1), so the batch fails and each row runs alone.
        var reference = new ReferenceData([.. Enumerable.Range(0, 8).Select(i => $"f{i}")], [.. Enumerable.Range(0, 24).Select(i => (double)i)]);

        var (set, why) = GoldenRecorder.FromReference(session, reference, 16, 1e-3, 1e-3, DateTimeOffset.UnixEpoch);

        Assert.Null(why);
        Assert.Equal("reference data: first 1 rows", set!.Source);
        Assert.Equal([1L, 8L], set.Inputs[0].Shape);
    }

    [Fact]
    public void Reference_rows_the_version_cannot_run_are_not_kept_and_the_reason_is_given()
    {
        using var session = Sessions.Open(Repo.Sample("testing", "picky.onnx"));
        var reference = new ReferenceData(["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        var (set, why) = GoldenRecorder.FromReference(session, reference, 16, 1e-3, 1e-3, DateTimeOffset.UnixEpoch);

        Assert.Null(set);
        Assert.StartsWith("the model could run none of the first 2 reference rows (ONNX Runtime failed: ", why);
    }
}
