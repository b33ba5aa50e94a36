namespace Fleet.Cli;

/// <summary>Writes left-aligned, space-separated columns. Free text belongs in the last column.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int RowCount => _rows.Count;

    public Table Add(params string?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells.Select(Clean).ToArray());
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(writer, headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        var parts = cells.Select((cell, i) => i == cells.Length - 1 ? cell : cell.PadRight(widths[i]));
        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }

    private static string Clean(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return "-";
        }

        var chars = cell.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars);
    }
}
