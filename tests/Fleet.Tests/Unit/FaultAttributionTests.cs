using Fleet.Abstractions.Hosts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Server.Serving;

namespace Fleet.Tests.Unit;

/// <summary>Whose fault a run-time error is (the rule), and the shapes a version answered (its evidence without a golden set).</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class FaultAttributionTests
{
    [Theory]
    // ONNX Runtime refused the arguments: the input, whatever the probes say.
    [InlineData(true, ProbeVerdict.Failing, false, true, true)]
    // Probes failing on this host: the version.
    [InlineData(false, ProbeVerdict.Failing, null, false, false)]
    // The golden set still passes right now: the version runs, the input is at fault, even on a shape it ran before.
    [InlineData(false, ProbeVerdict.Passing, true, true, true)]
    // The golden set fails too: the version.
    [InlineData(false, ProbeVerdict.Passing, false, false, false)]
    // No golden set: a shape it answered before says the version broke; a shape it never ran says the input is at fault.
    [InlineData(false, ProbeVerdict.Unknown, null, true, false)]
    [InlineData(false, ProbeVerdict.Unknown, null, false, true)]
    public void Decide_blames_the_input_only_when_the_version_demonstrably_runs(bool invalidArgument, ProbeVerdict verdict, bool? golden, bool ranBefore, bool clientsFault) =>
        Assert.Equal(clientsFault ? Fault.Client : Fault.Model, FaultAttribution.Decide(invalidArgument, verdict, golden, ranBefore).Fault);

    [Fact]
    public void Every_decision_says_why()
    {
        Assert.Equal("the version has no golden set yet and never answered an input of this shape",
            FaultAttribution.Decide(false, ProbeVerdict.Unknown, null, false).Why);
        Assert.Equal("the version still reproduces its golden outputs", FaultAttribution.Decide(false, ProbeVerdict.Passing, true, false).Why);
    }

    [Fact]
    public void A_graph_with_a_dynamic_inner_dimension_remembers_shapes_but_not_batch_sizes()
    {
        var history = new ShapeHistory([new TensorSignature("x", "FP32", [1, -1], ["", "n"])]);
        Assert.False(history.RanBefore([Input(1, 8)]));

        history.Record([Input(1, 8)]);

        Assert.True(history.RanBefore([Input(1, 8)]));
        Assert.True(history.RanBefore([Input(3, 8)])); // the first dimension is the batch
        Assert.False(history.RanBefore([Input(1, 5)]));
    }

    [Fact]
    public void A_graph_whose_only_dynamic_dimension_is_the_batch_needs_one_answer()
    {
        var history = new ShapeHistory([new TensorSignature("x", "FP32", [-1, 30], ["batch", ""])]);
        Assert.False(history.RanBefore([Input(2, 30)]));

        history.Record([Input(1, 30)]);

        Assert.True(history.RanBefore([Input(64, 30)]));
    }

    private static Tensor Input(long rows, long width) =>
        new("x", TensorDataType.Fp32, [rows, width], new float[rows * width]);
}
