using System.Collections.Concurrent;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Server.Serving;

/// <summary>
/// The input shapes (every dimension but the first, the batch) a loaded version has answered, so that a run-time
/// error on a shape it answered before counts against the version and one on a shape it never ran does not. For a
/// graph whose only dynamic dimension is the batch, every accepted request has the same shape: one flag, and the hot
/// path pays one volatile read. Bounded: past <see cref="MaxShapes"/> distinct shapes new ones are not remembered.
/// </summary>
internal sealed class ShapeHistory
{
    public const int MaxShapes = 1024;

    private readonly bool _tracksShapes;
    private readonly ConcurrentDictionary<long, byte>? _shapes;
    private volatile bool _answered;

    public ShapeHistory(IReadOnlyList<TensorSignature> inputs)
    {
        _tracksShapes = inputs.Any(i => i.Shape.Skip(1).Any(d => d < 0));
        _shapes = _tracksShapes ? new ConcurrentDictionary<long, byte>() : null;
    }

    /// <summary>Whether the version has answered any request on this load.</summary>
    public bool AnsweredAny => _answered;

    public void Record(IReadOnlyList<Tensor> inputs)
    {
        if (!_answered)
        {
            _answered = true;
        }

        if (_shapes is { Count: < MaxShapes } shapes)
        {
            shapes.TryAdd(Key(inputs), 0);
        }
    }

    public bool RanBefore(IReadOnlyList<Tensor> inputs) => _answered && (!_tracksShapes || _shapes!.ContainsKey(Key(inputs)));

    /// <summary>A hash of each input's name and dimensions after the first (collisions only make a client fault look like the model's).</summary>
    private static long Key(IReadOnlyList<Tensor> inputs)
    {
        var hash = new HashCode();
        foreach (var input in inputs)
        {
            hash.Add(input.Name, StringComparer.Ordinal);
            hash.Add(input.Shape.Length);
            for (var d = 1; d < input.Shape.Length; d++)
            {
                hash.Add(input.Shape[d]);
            }
        }

        return hash.ToHashCode();
    }
}
