using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using Fleet.Abstractions.Routing;

namespace Fleet.Abstractions.Tests;

/// <summary>
/// Bytes of decisions and retraining requests written while their actions and statuses were strings: the enums
/// that replaced them (through <c>StringEnumCodec</c>) write the same bytes and read the old ones, so coordinator
/// and monitor state stored by an earlier Fleet reads back after the upgrade.
/// </summary>
public sealed class StoredVocabularyTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private const string Decisions =
        "IAANIehAD2QwMDAwNDEhgADgn55ZVN8IgQAAAAAAAAAA4EEDbUERZmFpbG92ZXJBAzLBFUEDYUFraG9zdCBhIGlzIGdvbmU6IHJlcGxpY2FzIG9mIG0gbW92ZWQgZnJvbSBhLCBiIHRvIGIsIGMh6EATaG9zdF9nb25lIQEDQR1yZXBsaWNhc19hZnRlcoAAAAAAAAAAQOAh4CEAA0EjaG9zdCBhOiB1bmhlYWx0aHngIYAA4J+eWVTfCIEAAAAAAAAAAODgQQ9wZW5kaW5nwQHBAcEBIQAFIehAA2JBEWh0dHA6Ly9i4CDoQANjwQHg4OAg6EAPZDAwMDA0MiGAgHY4n1lU3wiBAAAAAAAAAADgwRFBD3NraXBwZWTBFUEDMcEBQRdjYXAgcmVhY2hlZCHoQCFnb2xkZW5fYWxsX2hvc3RzIeAhAQNBI2ZhaWx1cmVfdGhyZXNob2xkgAAAAAAAAAhA4CHgIYAA4J+eWVTfCIEAAAAAAAAAAODgQQlkb25lQSFub3RoaW5nIHRvIGFwcGx5IYCAdjifWVTfCIEAAAAAAAAAAOBBEXJvbGxiYWNrwQHgIOhAD2QwMDAwNDMhgAAN0Z9ZVN8IgQAAAAAAAAAA4MERQQ1yZWxvYWTBFcEVwUVBH2ZhaWxzIG9uIGIgb25seSHoQCNnb2xkZW5fc29tZV9ob3N0cyHgIeDBcyGAAOCfnllU3wiBAAAAAAAAAADg4EENZmFpbGVkQSdtb2RlbCAnbScgbm90IGZvdW5kIYCAo2mgWVTfCIEAAAAAAAAAAODBAcEB4CDoQA9kMDAwMDQ0IYAAOgKhWVTfCIEAAAAAAAAAAODBEUERZGVncmFkZWTBFcEVwQFBHW5vIHVzYWJsZSBob3N0IehAH25vX2hlYWx0aHlfaG9zdCHgIeDBcyGAAOCfnllU3wiBAAAAAAAAAADg4MF7QSdubyBwbGFjZW1lbnQgY2hhbmdlIYAAOgKhWVTfCIEAAAAAAAAAAODBAcEB4CDoQA9kMDAwMDQ1IYCA0JqhWVTfCIEAAAAAAAAAAODBEUELcGxhY2XBX8FfwQFBDXNwcmVhZCHowAoCIeAh4MFzIYAA4J+eWVTfCIEAAAAAAAAAAODgwXtBF3JlcGxpY2FzOiBhIYCA0JqhWVTfCIEAAAAAAAAAAODBASEAAyHowBlBEWh0dHA6Ly9h4ODgIOhAD2QwMDAwNDYhgABnM6JZVN8IgQAAAAAAAAAA4MERwYXBFcFfwQFBGXF1YWxpdHkgZHJvcCHoQBlxdWFsaXR5X2Ryb3Ah4CHgwXMhgADgn55ZVN8IgQAAAAAAAAAA4ODBe0EXcm9sbGVkIGJhY2shgABnM6JZVN8IgQAAAAAAAAAA4MEBwQHg4A==";

    private const string RetrainRequests =
        "IAAFIehACXJ0LTFBA21BAzEhgADgn55ZVN8IgQAAAAAAAAAA4CEAAyHoQAtkcmlmdCGAAOCfnllU3wiBAAAAAAAAAADgQQ9kcmlmdGVkIQEDQRtkcmlmdGVkX3NoYXJlgAAAAAAAAOA/4MEN4OBBC2Fja2VkQQ10ZXN0ZXIhgABIZABiVN8IgQAAAAAAAAAA4EENam9iIDQyIQADIehAIXdlYmhvb2sgaHR0cDovL3ghgADgn55ZVN8IgQAAAAAAAAAA4AEDQRFIVFRQIDIwMODg4CDoQAlydC0ywQtBAzIhgACwKGJqVN8IgQAAAAAAAAAA4CEAAyHoQBNzdGFsZW5lc3MhgADgn55ZVN8IgQAAAAAAAAAA4EEHb2xkIeDBAeDgQQlvcGVuwQHBAcEBIeDg4A==";

    internal static Decision[] SampleDecisions() =>
    [
        new("d000041", At, "m", DecisionAction.Failover, "2", "2", "a", "host a is gone: replicas of m moved from a, b to b, c",
            new DecisionEvidence("host_gone", new Dictionary<string, double> { ["replicas_after"] = 2 }, [], ["host a: unhealthy"], At),
            DecisionStatus.Pending, null, null, null, [new ReplicaEndpoint("b", "http://b"), new ReplicaEndpoint("c", null)]),
        new("d000042", At.AddSeconds(1), "m", DecisionAction.Skipped, "2", "1", null, "cap reached",
            new DecisionEvidence("golden_all_hosts", [], new Dictionary<string, double> { ["failure_threshold"] = 3 }, [], At),
            DecisionStatus.Done, "nothing to apply", At.AddSeconds(1), DecisionAction.Rollback),
        new("d000043", At.AddSeconds(2), "m", DecisionAction.Reload, "2", "2", "b", "fails on b only",
            new DecisionEvidence("golden_some_hosts", [], [], [], At), DecisionStatus.Failed, "model 'm' not found", At.AddSeconds(3), null),
        new("d000044", At.AddSeconds(4), "m", DecisionAction.Degraded, "2", "2", null, "no usable host",
            new DecisionEvidence("no_healthy_host", [], [], [], At), DecisionStatus.Done, "no placement change", At.AddSeconds(4), null),
        new("d000045", At.AddSeconds(5), "m", DecisionAction.Place, "1", "1", null, "spread",
            new DecisionEvidence("spread", [], [], [], At), DecisionStatus.Done, "replicas: a", At.AddSeconds(5), null, [new ReplicaEndpoint("a", "http://a")]),
        new("d000046", At.AddSeconds(6), "m", DecisionAction.Rollback, "2", "1", null, "quality drop",
            new DecisionEvidence("quality_drop", [], [], [], At), DecisionStatus.Done, "rolled back", At.AddSeconds(6), null),
    ];

    internal static RetrainRequest[] SampleRequests() =>
    [
        new("rt-1", "m", "1", At, [new RetrainReason("drift", At, "drifted", new Dictionary<string, double> { ["drifted_share"] = 0.5 }) { Version = "1" }],
            RetrainStatus.Acked, "tester", At.AddHours(1), "job 42", [new RetrainDelivery("webhook http://x", At, true, "HTTP 200")]),
        new("rt-2", "m", "2", At.AddHours(2), [new RetrainReason("staleness", At, "old", [])], RetrainStatus.Open, null, null, null, []),
    ];

    [Fact]
    public void Decisions_write_and_read_the_bytes_of_string_actions_and_statuses() => Same(Decisions, SampleDecisions());

    [Fact]
    public void Retraining_requests_write_and_read_the_bytes_of_string_statuses() => Same(RetrainRequests, SampleRequests());

    [Fact]
    public void An_unknown_stored_name_fails_naming_it()
    {
        var bytes = Convert.FromBase64String(Decisions);
        var at = Convert.ToHexString(bytes).IndexOf(Convert.ToHexString("failover"u8), StringComparison.Ordinal) / 2;
        "teleport"u8.CopyTo(bytes.AsSpan(at));
        var error = Assert.Throws<InvalidOperationException>(() => OrleansRoundTrip.Serializer.Deserialize<Decision[]>(bytes));
        Assert.Equal("stored DecisionAction 'teleport' is not one of rollback, reload, skipped, place, failover, degraded", error.Message);
    }

    [Fact]
    public void Json_names_are_the_stored_strings_whatever_the_options()
    {
        var request = SampleRequests()[1];
        Assert.Contains("\"Status\":\"open\"", System.Text.Json.JsonSerializer.Serialize(request), StringComparison.Ordinal);
        var decision = System.Text.Json.JsonSerializer.Serialize(SampleDecisions()[1]);
        Assert.Contains("\"Action\":\"skipped\"", decision, StringComparison.Ordinal);
        Assert.Contains("\"Status\":\"done\"", decision, StringComparison.Ordinal);
        Assert.Contains("\"IntendedAction\":\"rollback\"", decision, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_in_reasons_and_logs_are_the_stored_names()
    {
        Assert.Equal(["rollback", "reload", "skipped", "place", "failover", "degraded"],
            Enum.GetValues<DecisionAction>().Select(a => System.Text.Json.JsonSerializer.Serialize(a).Trim('"')).ToArray());
        Assert.All(Enum.GetValues<DecisionAction>(), a => Assert.Equal($"\"{a.ToWire()}\"", System.Text.Json.JsonSerializer.Serialize(a)));
        Assert.All(Enum.GetValues<DecisionStatus>(), s => Assert.Equal($"\"{s.ToWire()}\"", System.Text.Json.JsonSerializer.Serialize(s)));
        Assert.All(Enum.GetValues<RetrainStatus>(), s => Assert.Equal($"\"{s.ToWire()}\"", System.Text.Json.JsonSerializer.Serialize(s)));
    }

    [Fact]
    public void Version_roles_are_stored_and_sent_as_their_words()
    {
        foreach (var role in Enum.GetValues<VersionRole>())
        {
            var loaded = new Fleet.Abstractions.Hosts.LoadedVersion("m", "2", role, new string('a', 64), "CPU", Fleet.Abstractions.Hosts.ProbeVerdict.Passing, [], null, 0, null, null, null);
            var bytes = OrleansRoundTrip.Serializer.SerializeToArray(loaded);
            Assert.Contains(Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(role.ToWire())), Convert.ToHexString(bytes), StringComparison.Ordinal);
            Assert.Equal(role, OrleansRoundTrip.Copy(loaded).Role);
            Assert.Equal($"\"{role.ToWire()}\"", System.Text.Json.JsonSerializer.Serialize(role));
        }

        Assert.Equal(["live", "fallback", "pinned"], Enum.GetValues<VersionRole>().Select(r => r.ToWire()).ToArray());
    }

    [Fact]
    public void Signal_kinds_are_stored_and_sent_in_snake_case()
    {
        Assert.All(Enum.GetValues<SignalKind>(), kind =>
        {
            var signal = new FleetSignal(kind, "m", "2", new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), "why", new Dictionary<string, double> { ["x"] = 1 });
            Assert.Equal(kind, OrleansRoundTrip.Copy(signal).Kind);
            Assert.Equal($"\"{kind.ToWire()}\"", System.Text.Json.JsonSerializer.Serialize(kind));
        });
        Assert.Equal("estimated_quality_drop", SignalKind.EstimatedQualityDrop.ToWire());
    }

    private static void Same<T>(string stored, T value)
    {
        var bytes = Convert.FromBase64String(stored);
        var now = OrleansRoundTrip.Serializer.SerializeToArray(value);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(now));
        var read = OrleansRoundTrip.Serializer.Deserialize<T>(bytes);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(OrleansRoundTrip.Serializer.SerializeToArray(read)));
        // Between silos too: the copier leaves the enums as they are.
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(OrleansRoundTrip.Serializer.SerializeToArray(OrleansRoundTrip.Copier.Copy(value))));
    }
}
