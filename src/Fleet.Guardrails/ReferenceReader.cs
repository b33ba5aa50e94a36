using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fleet.Guardrails;

/// <summary>Reads reference datasets (CSV, JSON lines) into <see cref="ReferenceData"/>; every error names the line and column.</summary>
internal static class ReferenceReader
{
    /// <summary>The longest line read, in characters: a file without line breaks is refused, never held whole.</summary>
    public const int MaxLineChars = 1024 * 1024;

    public static ReferenceData ReadCsv(TextReader csv, string? labelColumn, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lineNumber = 0;
        var rows = 0;
        var buffer = new StringBuilder();
        string? line;
        do
        {
            line = ReadLine(csv, buffer, lineNumber + 1);
            lineNumber++;
        }
        while (line is not null && line.Trim().Length == 0);

        if (line is null)
        {
            throw new ContractException("reference: empty; a header line is required");
        }

        var header = SplitCsv(line.TrimStart('\uFEFF'), lineNumber).ConvertAll(name => name.Trim());
        var columns = new Columns(header, labelColumn);
        var cells = new List<string>(header.Count);
        while ((line = ReadLine(csv, buffer, lineNumber + 1)) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            CountRow(ref rows, maxRows, lineNumber);
            SplitCsv(line, lineNumber, cells);
            if (cells.Count != header.Count)
            {
                throw new ContractException($"reference: line {lineNumber} has {cells.Count} values, the header has {header.Count}");
            }

            columns.BeginRow();
            for (var i = 0; i < cells.Count; i++)
            {
                columns.Set(i, ParseCell(cells[i], lineNumber, header[i]));
            }
        }

        return columns.Build("no data rows after the header");
    }

    public static ReferenceData ReadJsonLines(TextReader lines, string? labelColumn, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Columns? columns = null;
        List<string>? header = null;
        var lineNumber = 0;
        var rows = 0;
        var buffer = new StringBuilder();
        string? line;
        while ((line = ReadLine(lines, buffer, lineNumber + 1)) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            CountRow(ref rows, maxRows, lineNumber);

            using var document = ParseJson(line, lineNumber);
            if (header is null)
            {
                header = [];
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (header.Contains(property.Name))
                    {
                        throw new ContractException($"reference: line {lineNumber} has the key '{property.Name}' twice");
                    }

                    header.Add(property.Name);
                }

                columns = new Columns(header, labelColumn);
            }

            columns!.BeginRow();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var index = header.IndexOf(property.Name);
                if (index < 0)
                {
                    throw new ContractException($"reference: line {lineNumber} has the key '{property.Name}', which the first row does not have (keys: {string.Join(", ", header)})");
                }

                if (!columns.Set(index, ParseJsonValue(property.Value, lineNumber, property.Name)))
                {
                    throw new ContractException($"reference: line {lineNumber} has the key '{property.Name}' twice");
                }
            }
        }

        return columns?.Build("no data rows") ?? throw new ContractException("reference: empty; no data rows");
    }

    private static void CountRow(ref int rows, int maxRows, int lineNumber)
    {
        if (++rows > maxRows)
        {
            throw new ContractException($"reference: more than {maxRows.ToString(CultureInfo.InvariantCulture)} data rows (line {lineNumber.ToString(CultureInfo.InvariantCulture)}); the limit is Fleet:MaxReferenceRows");
        }
    }

    /// <summary>Like <see cref="TextReader.ReadLine"/> (\n, \r\n or \r ends a line), but refuses a line over <see cref="MaxLineChars"/>.</summary>
    private static string? ReadLine(TextReader reader, StringBuilder buffer, int lineNumber)
    {
        buffer.Clear();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n')
            {
                return buffer.ToString();
            }

            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                {
                    reader.Read();
                }

                return buffer.ToString();
            }

            if (buffer.Length == MaxLineChars)
            {
                throw new ContractException($"reference: line {lineNumber.ToString(CultureInfo.InvariantCulture)} is longer than {MaxLineChars.ToString(CultureInfo.InvariantCulture)} characters");
            }

            buffer.Append((char)c);
        }

        return buffer.Length > 0 ? buffer.ToString() : null;
    }

    private static JsonDocument ParseJson(string line, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            throw new ContractException($"reference: line {lineNumber} is not valid JSON");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ContractException($"reference: line {lineNumber} is not a JSON object");
        }

        return document;
    }

    private static double ParseJsonValue(JsonElement value, int lineNumber, string column) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null => double.NaN,
        JsonValueKind.String => ParseCell(value.GetString()!, lineNumber, column),
        _ => throw new ContractException($"reference: line {lineNumber}, column '{column}': {value.GetRawText()} is not a number"),
    };

    /// <summary>Empty, nan/NaN/NAN, NA, N/A and null are missing (NaN); anything else must be a finite invariant-culture number.</summary>
    private static double ParseCell(string cell, int lineNumber, string column)
    {
        var text = cell.AsSpan().Trim();
        if (text.IsEmpty || text.Equals("nan", StringComparison.OrdinalIgnoreCase) || text is "NA" or "N/A" or "null")
        {
            return double.NaN;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new ContractException($"reference: line {lineNumber}, column '{column}': '{cell}' is not a number");
        }

        return double.IsFinite(value)
            ? value
            : throw new ContractException($"reference: line {lineNumber}, column '{column}': '{cell}' is not a finite number");
    }

    /// <summary>Splits one CSV line (RFC 4180 quotes, no line breaks inside a field).</summary>
    private static List<string> SplitCsv(string line, int lineNumber, List<string>? into = null)
    {
        var fields = into ?? [];
        fields.Clear();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new ContractException($"reference: line {lineNumber} has an unterminated quoted field");
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Accumulates rows column by column, splitting off the label column.</summary>
    private sealed class Columns
    {
        private readonly IReadOnlyList<string> _header;
        private readonly int _labelIndex;
        private readonly string[] _features;
        private readonly List<double> _values = [];
        private readonly List<double>? _labels;
        private readonly bool[] _seen;
        private int _rows;

        public Columns(IReadOnlyList<string> header, string? labelColumn)
        {
            for (var i = 0; i < header.Count; i++)
            {
                if (header[i].Trim().Length == 0)
                {
                    throw new ContractException($"reference: header column {i + 1} has no name");
                }

                for (var j = 0; j < i; j++)
                {
                    if (header[j] == header[i])
                    {
                        throw new ContractException($"reference: column '{header[i]}' appears twice in the header");
                    }
                }
            }

            _header = header;
            _labelIndex = -1;
            if (labelColumn is not null)
            {
                _labelIndex = IndexOf(header, labelColumn);
                if (_labelIndex < 0)
                {
                    throw new ContractException($"reference: label column '{labelColumn}' is not in the header (columns: {string.Join(", ", header)})");
                }

                _labels = [];
            }

            _features = [.. header.Where((_, i) => i != _labelIndex)];
            if (_features.Length == 0)
            {
                throw new ContractException($"reference: no feature columns besides the label column '{labelColumn}'");
            }

            _seen = new bool[header.Count];
        }

        /// <summary>Starts a row of missing values (a JSON line may leave keys out).</summary>
        public void BeginRow()
        {
            for (var i = 0; i < _header.Count; i++)
            {
                if (i == _labelIndex)
                {
                    _labels!.Add(double.NaN);
                }
                else
                {
                    _values.Add(double.NaN);
                }
            }

            Array.Clear(_seen);
            _rows++;
        }

        /// <summary>Sets a cell of the current row; false when it was already set.</summary>
        public bool Set(int column, double value)
        {
            if (_seen[column])
            {
                return false;
            }

            _seen[column] = true;
            if (column == _labelIndex)
            {
                _labels![^1] = value;
            }
            else
            {
                var feature = _labelIndex >= 0 && column > _labelIndex ? column - 1 : column;
                _values[((_rows - 1) * _features.Length) + feature] = value;
            }

            return true;
        }

        public ReferenceData Build(string noRows) => _rows == 0
            ? throw new ContractException($"reference: {noRows}")
            : new ReferenceData(_features, [.. _values], _labels?.ToArray());

        private static int IndexOf(IReadOnlyList<string> header, string name)
        {
            for (var i = 0; i < header.Count; i++)
            {
                if (header[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
