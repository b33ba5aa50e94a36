using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Fleet.Server.Protocol;

/// <summary>
/// A multipart upload read section by section: text fields into memory (64 KiB each at most), files spooled to the
/// data directory's own <c>tmp</c> folder (not the system temp, which may be another, smaller filesystem), with the
/// limit counted across every section while the bytes stream in. Disposing deletes the spooled files.
/// </summary>
internal sealed class UploadForm : IAsyncDisposable
{
    public const int MaxFieldBytes = 64 * 1024;
    public const int MaxSections = 16;

    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string FileName, string Path)> _files = new(StringComparer.Ordinal);
    private readonly List<FileStream> _open = [];

    private UploadForm()
    {
    }

    public string? Field(string name) => _fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>The spooled file of field <paramref name="name"/>, opened for reading (null when the form has none).</summary>
    public (Stream Content, string FileName)? File(string name)
    {
        if (!_files.TryGetValue(name, out var file))
        {
            return null;
        }

        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        _open.Add(stream);
        return (stream, file.FileName);
    }

    public static async Task<UploadForm> ReadAsync(HttpRequest request, string spoolDirectory, long maxBytes, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new InvalidRequestException("body: multipart/form-data without a boundary");
        }

        Directory.CreateDirectory(spoolDirectory);
        var form = new UploadForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null, HeadersLengthLimit = 16 * 1024 };
            long total = 0;
            var sections = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++sections > MaxSections)
                {
                    throw new InvalidRequestException($"body: more than {MaxSections} multipart sections");
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || StringSegment.IsNullOrEmpty(disposition.Name))
                {
                    var given = section.ContentDisposition ?? "none";
                    throw new InvalidRequestException($"body: multipart section {sections} has no 'Content-Disposition: form-data; name=...' (it has {(given.Length > 100 ? given[..100] + "..." : given)})");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (disposition.IsFileDisposition())
                {
                    var path = Path.Combine(spoolDirectory, $"upload-{Guid.NewGuid():N}");
                    form._files[name] = (HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? name, path);
                    await using var spool = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                    total += await CopyBoundedAsync(section.Body, spool, maxBytes - total, maxBytes, cancellationToken);
                }
                else
                {
                    using var buffer = new MemoryStream();
                    await CopyBoundedFieldAsync(section.Body, buffer, name, cancellationToken);
                    form._fields[name] = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                }
            }

            return form;
        }
        catch
        {
            await form.DisposeAsync();
            throw;
        }
    }

    private static async Task<long> CopyBoundedAsync(Stream from, Stream to, long left, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long copied = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            copied += read;
            if (copied > left)
            {
                throw new InvalidRequestException($"body: the upload exceeds the limit of {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes (Fleet:MaxArtifactBytes)");
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return copied;
    }

    private static async Task CopyBoundedFieldAsync(Stream from, MemoryStream to, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (to.Length + read > MaxFieldBytes)
            {
                throw new InvalidRequestException($"{(name.Length > 64 ? name[..64] : name)}: a form field longer than {MaxFieldBytes} bytes");
            }

            to.Write(buffer, 0, read);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _open)
        {
            await stream.DisposeAsync();
        }

        foreach (var (_, path) in _files.Values)
        {
            System.IO.File.Delete(path);
        }
    }
}
