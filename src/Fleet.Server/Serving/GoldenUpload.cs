namespace Fleet.Server.Serving;

/// <summary>
/// A golden file sent with a version upload (multipart field <c>golden</c>), in the format of samples/*/golden.json.
/// It is read into memory, so it is refused beyond <see cref="MaxBytes"/> (uploads: Fleet:MaxRequestBodyBytes).
/// </summary>
internal sealed record GoldenUpload(Stream Content, string FileName, long MaxBytes);
