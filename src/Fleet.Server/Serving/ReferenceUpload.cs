namespace Fleet.Server.Serving;

/// <summary>A reference dataset sent with a version upload: CSV with a header, or JSON lines.</summary>
internal sealed record ReferenceUpload(Stream Content, string FileName, string? LabelColumn)
{
    public bool IsJsonLines => FileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
        || FileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);
}
