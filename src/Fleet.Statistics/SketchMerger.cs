namespace Fleet.Statistics;

/// <summary>
/// Merges a sequence of <see cref="SketchData"/> with one mutable sketch, and none at all while at most
/// one input holds values (that input is returned as is: the common case for sparse slots).
/// </summary>
internal sealed class SketchMerger
{
    private SketchData? _single;
    private SketchData? _empty;
    private DDSketch? _sketch;

    public void Add(SketchData data)
    {
        if (data.Count == 0)
        {
            _empty ??= data;
            return;
        }

        if (_sketch is not null)
        {
            _sketch.Merge(data);
        }
        else if (_single is null)
        {
            _single = data;
        }
        else
        {
            _sketch = DDSketch.FromData(_single);
            _sketch.Merge(data);
            _single = null;
        }
    }

    public SketchData Result() => _sketch?.ToData() ?? _single ?? _empty ?? SketchData.Empty();
}
