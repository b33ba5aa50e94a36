using System.Text.Json.Nodes;

namespace Fleet.Tests.Infrastructure;

/// <summary>A committed golden file: an OIP request and the outputs the model must return.</summary>
internal sealed record Golden(string Model, double Tolerance, JsonObject Request, JsonArray ExpectedOutputs)
{
    public static Golden Load(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        return new Golden((string)node["model"]!, (double)node["tolerance"]!, node["request"]!.AsObject(), node["expected"]!["outputs"]!.AsArray());
    }

    /// <summary>Asserts every expected output is present with the same datatype and shape and values within tolerance.</summary>
    public void AssertMatches(JsonNode response)
    {
        var outputs = response["outputs"]!.AsArray();
        foreach (var expected in ExpectedOutputs)
        {
            var name = (string)expected!["name"]!;
            var actual = outputs.SingleOrDefault(o => (string)o!["name"]! == name);
            Assert.True(actual is not null, $"output {name} missing from {response.ToJsonString()}");
            Assert.Equal((string)expected["datatype"]!, (string)actual!["datatype"]!);
            Assert.Equal(expected["shape"]!.ToJsonString(), actual["shape"]!.ToJsonString());
            var want = expected["data"]!.AsArray();
            var got = actual["data"]!.AsArray();
            Assert.Equal(want.Count, got.Count);
            for (var i = 0; i < want.Count; i++)
            {
                if (want[i]!.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
                {
                    Assert.Equal((bool)want[i]!, (bool)got[i]!);
                }
                else
                {
                    var w = (double)want[i]!;
                    var g = (double)got[i]!;
                    Assert.True(Math.Abs(w - g) <= Tolerance, $"{Model} output {name}[{i}]: expected {w}, got {g} (tolerance {Tolerance})");
                }
            }
        }
    }
}
