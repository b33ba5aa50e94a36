using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Cli.Commands;

/// <summary>Reading local input files; every failure is a usage error (exit code 2).</summary>
internal static class LocalFiles
{
    /// <summary>Checks that <paramref name="path"/> is a readable regular file and returns its length.</summary>
    public static long CheckReadable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"cannot read file '{path}': it is a directory");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"cannot read file '{path}': file not found");
        }

        return new FileInfo(path).Length;
    }

    /// <summary>Opens a file for streaming.</summary>
    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read file '{path}': {e.Message}");
        }
    }

    /// <summary>
    /// Reads a JSON object from a file, or from <paramref name="stdin"/> when the path is "-".
    /// <paramref name="what"/> names the expected document in the "expected an object" message.
    /// </summary>
    public static async Task<(string Text, JsonObject Json)> ReadJsonObjectAsync(
        string path, TextReader stdin, CancellationToken cancellationToken, string what = "an Open Inference Protocol v2 request")
    {
        string text;
        var name = path == "-" ? "standard input" : $"'{path}'";
        if (path == "-")
        {
            text = await stdin.ReadToEndAsync(cancellationToken);
        }
        else
        {
            CheckReadable(path);
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read file '{path}': {e.Message}");
            }
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new UsageException($"invalid JSON in {name}: {e.Message}");
        }

        return node is JsonObject obj
            ? (text, obj)
            : throw new UsageException($"invalid JSON in {name}: expected an object ({what})");
    }
}
