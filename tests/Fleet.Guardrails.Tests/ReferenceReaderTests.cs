namespace Fleet.Guardrails.Tests;

public sealed class ReferenceReaderTests
{
    [Fact]
    public void Csv_reads_features_labels_and_missing_values()
    {
        var data = ContractInference.ReadCsv(new StringReader("a,target, \"b\"\n1,0,2.5\n\n,1,nan\nNaN,0,NA\n-1e3,1, 4 \n"), "target");

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(4, data.RowCount);
        Assert.Equal([1, 2.5, double.NaN, double.NaN, double.NaN, double.NaN, -1000, 4], data.Values);
        Assert.Equal([0, 1, 0, 1], data.Labels!);
    }

    [Fact]
    public void Csv_without_label_column_keeps_every_column_as_a_feature()
    {
        var data = ContractInference.ReadCsv(new StringReader("x,y\r\n1,2\r\n3,4\r\n"), null);

        Assert.Equal(["x", "y"], data.FeatureNames);
        Assert.Equal([1, 2, 3, 4], data.Values);
        Assert.Null(data.Labels);
        Assert.Equal([3, 4], data.Row(1).ToArray());
    }

    [Fact]
    public void The_samples_labeled_reference_reads_with_its_target()
    {
        var data = Samples.Reference("wine", "reference_labeled.csv", "target");

        Assert.Equal(13, data.FeatureCount);
        Assert.Equal(133, data.RowCount);
        Assert.Equal([0, 1, 2], data.Labels!.Distinct().Order());
    }

    [Theory]
    [InlineData("", null, "reference: empty; a header line is required")]
    [InlineData("a,b,c\n", null, "reference: no data rows after the header")]
    [InlineData("a,b,c\n1,2,3\n", "target", "reference: label column 'target' is not in the header (columns: a, b, c)")]
    [InlineData("a,b,c\n1,2,3\n\n1,2\n", null, "reference: line 4 has 2 values, the header has 3")]
    [InlineData("a,b,c\n1,2,3\n1,2,3,4\n", null, "reference: line 3 has 4 values, the header has 3")]
    [InlineData("a,alcohol\n1,2\n1,abc\n", null, "reference: line 3, column 'alcohol': 'abc' is not a number")]
    [InlineData("a,b\n1,1,5\n", null, "reference: line 2 has 3 values, the header has 2")]
    [InlineData("a,b\n1,Infinity\n", null, "reference: line 2, column 'b': 'Infinity' is not a finite number")]
    [InlineData("a,target\n1,cat\n", "target", "reference: line 2, column 'target': 'cat' is not a number")]
    [InlineData("a,,b\n1,2,3\n", null, "reference: header column 2 has no name")]
    [InlineData("a,b,a\n1,2,3\n", null, "reference: column 'a' appears twice in the header")]
    [InlineData("target\n1\n", "target", "reference: no feature columns besides the label column 'target'")]
    [InlineData("a,b\n\"1,2\n", null, "reference: line 2 has an unterminated quoted field")]
    public void Csv_errors_name_the_line_and_column(string csv, string? label, string message)
    {
        var error = Assert.Throws<ContractException>(() => ContractInference.ReadCsv(new StringReader(csv), label));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Json_lines_take_the_first_rows_keys_as_columns()
    {
        var lines = """
            {"b": 2, "a": 1, "y": 0}
            {"a": 3, "b": null, "y": 1}

            {"y": 0, "a": "4.5"}
            {"a": "NaN", "b": 6, "y": 1}
            """;

        var data = ContractInference.ReadJsonLines(new StringReader(lines), "y");

        Assert.Equal(["b", "a"], data.FeatureNames);
        Assert.Equal([2, 1, double.NaN, 3, double.NaN, 4.5, 6, double.NaN], data.Values);
        Assert.Equal([0, 1, 0, 1], data.Labels!);
    }

    [Theory]
    [InlineData("", "reference: empty; no data rows")]
    [InlineData("{\"a\": 1}\n[1, 2]\n", "reference: line 2 is not a JSON object")]
    [InlineData("{\"a\": 1}\n{\"a\": \n", "reference: line 2 is not valid JSON")]
    [InlineData("{\"a\": 1}\n{\"a\": 1, \"c\": 2}\n", "reference: line 2 has the key 'c', which the first row does not have (keys: a)")]
    [InlineData("{\"a\": 1}\n{\"a\": true}\n", "reference: line 2, column 'a': true is not a number")]
    [InlineData("{\"a\": 1}\n\n{\"a\": \"abc\"}\n", "reference: line 3, column 'a': 'abc' is not a number")]
    [InlineData("{\"a\": 1, \"a\": 2}\n", "reference: line 1 has the key 'a' twice")]
    [InlineData("{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n", "reference: line 2 has the key 'a' twice")]
    public void Json_lines_errors_name_the_line_and_key(string lines, string message)
    {
        var error = Assert.Throws<ContractException>(() => ContractInference.ReadJsonLines(new StringReader(lines), null));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Json_lines_label_must_be_a_key_of_the_first_row()
    {
        var error = Assert.Throws<ContractException>(() => ContractInference.ReadJsonLines(new StringReader("{\"a\": 1, \"b\": 2}\n"), "target"));

        Assert.Equal("reference: label column 'target' is not in the header (columns: a, b)", error.Message);
    }

    [Fact]
    public void Rows_past_the_limit_are_refused_naming_the_line_and_the_setting()
    {
        // Blank lines do not count; the 4th data row is on line 6.
        var csv = "a,b\n1,2\n\n3,4\n5,6\n7,8\n";
        Assert.Equal(3, ContractInference.ReadCsv(new StringReader("a,b\n1,2\n\n3,4\n5,6\n"), null, maxRows: 3).RowCount);

        var error = Assert.Throws<ContractException>(() => ContractInference.ReadCsv(new StringReader(csv), null, maxRows: 3));
        Assert.Equal("reference: more than 3 data rows (line 6); the limit is Fleet:MaxReferenceRows", error.Message);

        var lines = Assert.Throws<ContractException>(() => ContractInference.ReadJsonLines(new StringReader("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"), null, maxRows: 2));
        Assert.Equal("reference: more than 2 data rows (line 3); the limit is Fleet:MaxReferenceRows", lines.Message);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_before_it_is_held_whole()
    {
        var reader = new CountingReader(new string('1', 5 * 1024 * 1024));

        var error = Assert.Throws<ContractException>(() => ContractInference.ReadCsv(new StringReader("a\n1\n" + new string('9', ContractInference.MaxReferenceLineChars + 1)), null));
        Assert.Equal($"reference: line 3 is longer than {ContractInference.MaxReferenceLineChars} characters", error.Message);
        Assert.Throws<ContractException>(() => ContractInference.ReadJsonLines(reader, null));
        // Refused at the limit: the rest of the 5 Mi-character line was never read.
        Assert.Equal(ContractInference.MaxReferenceLineChars + 1, reader.CharsRead);

        // A line exactly at the limit is fine.
        var header = new string('h', ContractInference.MaxReferenceLineChars);
        Assert.Equal([header], ContractInference.ReadCsv(new StringReader(header + "\r\n1"), null).FeatureNames);
    }

    private sealed class CountingReader(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public int CharsRead { get; private set; }

        public override int Peek() => _inner.Peek();

        public override int Read()
        {
            CharsRead++;
            return _inner.Read();
        }
    }
}
