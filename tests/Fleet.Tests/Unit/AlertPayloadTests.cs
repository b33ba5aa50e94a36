using Fleet.Abstractions.Alerting;
using Fleet.Grains.Alerting;
using Fleet.Server.Alerting;

namespace Fleet.Tests.Unit;

/// <summary>What Fleet sends (Alertmanager's API v2 list, the documented webhook body, its signature) and the post-mortem it writes.</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class AlertPayloadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Alert Alert(AlertState state, DateTimeOffset? ends = null) => new("00ff00ff00ff00ff", state, Severity.Critical,
        new Dictionary<string, string> { ["alertname"] = "FleetModelDrift", ["model"] = "churn", ["version"] = "2", ["severity"] = "critical" },
        new Dictionary<string, string> { ["summary"] = "drifted", ["description"] = "mean_radius KS 0.31" },
        T0, T0.AddSeconds(1), ends, T0, null, 0.31, ["s000007"], false);

    [Fact]
    public void Alertmanager_gets_startsAt_when_it_fired_and_an_endsAt_four_resends_ahead_while_firing()
    {
        var list = AlertPayloads.Alertmanager([Alert(AlertState.Firing), Alert(AlertState.Resolved, T0.AddMinutes(3))], T0.AddMinutes(2), TimeSpan.FromMinutes(1), "http://fleet:8080");

        Assert.Equal("""[{"labels":{"alertname":"FleetModelDrift","model":"churn","severity":"critical","version":"2"},"annotations":{"description":"mean_radius KS 0.31","summary":"drifted"},"startsAt":"2026-03-01T12:00:01.0000000\u002B00:00","endsAt":"2026-03-01T12:06:00.0000000\u002B00:00","generatorURL":"http://fleet:8080/api/v1/alerts?fingerprint=00ff00ff00ff00ff"},{"labels":{"alertname":"FleetModelDrift","model":"churn","severity":"critical","version":"2"},"annotations":{"description":"mean_radius KS 0.31","summary":"drifted"},"startsAt":"2026-03-01T12:00:01.0000000\u002B00:00","endsAt":"2026-03-01T12:03:00.0000000\u002B00:00","generatorURL":"http://fleet:8080/api/v1/alerts?fingerprint=00ff00ff00ff00ff"}]""",
            list.ToJsonString());
    }

    [Fact]
    public void The_webhook_body_carries_its_schema_version_idempotency_key_group_and_alerts()
    {
        var n = new AlertNotification("n000042", "webhook-0", "churn", AlertState.Firing, [Alert(AlertState.Firing)], T0, 5, T0, "refused");
        var body = AlertPayloads.Webhook(n, T0.AddSeconds(31), "http://fleet:8080");

        Assert.Equal(("1", "n000042", "firing", "{model=\"churn\"}", 6), ((string)body["version"]!, (string)body["idempotency_key"]!, (string)body["status"]!, (string)body["group_key"]!, (int)body["attempt"]!));
        var alert = body["alerts"]![0]!;
        Assert.Equal(("firing", "critical", 0.31, "s000007"), ((string)alert["status"]!, (string)alert["severity"]!, (double)alert["value"]!, (string)alert["signal_ids"]![0]!));
        Assert.Null(alert["ends_at"]);
    }

    [Fact]
    public void The_signature_is_the_hex_HMAC_SHA256_of_the_body()
    {
        // RFC 4231-style known vector (the one Wikipedia lists for HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog")).
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", AlertSinks.Sign("key", "The quick brown fox jumps over the lazy dog"));
    }

    [Fact]
    public void A_postmortem_states_time_to_detect_and_mitigate_the_impact_and_every_section()
    {
        var incident = new Incident("i000003", "churn", "rollback of churn version 2", Severity.Critical, IncidentState.Mitigated, ["2"], ["silo-a"], ["00ff00ff00ff00ff"],
            T0, T0.AddSeconds(40), null, T0.AddSeconds(41), null,
        [
            new(T0.AddSeconds(40), "opened", "incident opened: rollback of churn version 2", "fleet"),
            new(T0.AddSeconds(40), "decision", "decision rollback: version 2 broke its output contract on 100% of 120 answers | over 5 min", "fleet"),
            new(T0.AddSeconds(41), "mitigated", "mitigated by rollback", "fleet"),
        ]);
        var markdown = PostmortemWriter.Write(incident, [new VersionImpact("2", TimeSpan.FromMinutes(2), 120, 118, new Dictionary<string, long> { ["invalid_output"] = 2 })], T0.AddMinutes(5));

        Assert.StartsWith("# Post-mortem i000003: rollback of churn version 2\n", markdown.ReplaceLineEndings("\n"));
        foreach (var heading in new[] { "## Summary", "## Impact", "## Timeline", "## Detection", "## Mitigation", "## Root-cause evidence", "## Action items" })
        {
            Assert.Contains("\n" + heading + "\n", markdown.ReplaceLineEndings("\n"));
        }

        Assert.Contains("- Detected: 2026-03-01 12:00:40.000 (time to detect: 40 s)", markdown);
        Assert.Contains("- Mitigated: 2026-03-01 12:00:41.000 (time to mitigate: 41 s)", markdown);
        Assert.Contains("| 2 | 120 | 118 | 2 | invalid_output 2 |", markdown);
        Assert.Contains("First to fire: decision at 2026-03-01 12:00:40.000: decision rollback:", markdown);
        Assert.Contains("answers \\| over 5 min", markdown); // a pipe in a cell is escaped
        Assert.Contains("Time to mitigate: 41 s.", markdown);
        Assert.Contains("- Resolved: not yet (time to resolve: n/a)", markdown);
    }
}
