using Fleet.Grains.Registry;
using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Grains.Tests.Registry;

public sealed class ModelLifecycleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static ModelState NewModel() => new() { Definition = new ModelDefinition("m", ModelTask.Classification, "") };

    private ModelVersionInfo Add(ModelState state, string? id = null, bool golden = true) =>
        ModelLifecycle.AddVersion(state, new NewVersion(id, new string('0', 64), 1, "t", "", [], [], new VersionContract(null, new OutputContract([], "none")),
            golden ? TestGolden.Set : null), _time.GetUtcNow());

    [Fact]
    public void A_version_without_a_golden_set_is_no_last_known_good_until_one_is_recorded_and_the_first_recorded_stays()
    {
        var state = NewModel();
        Add(state, golden: false);
        Add(state);
        var now = _time.GetUtcNow();
        ModelLifecycle.Promote(state, "1", "", "t", now);
        ModelLifecycle.Promote(state, "2", "", "t", now);
        Assert.Null(ModelLifecycle.LastKnownGood(state));
        var revision = state.Revision;

        var live = new GoldenSet("live traffic: first", 0.001, 0.001, [], [], now);
        Assert.Same(live, ModelLifecycle.RecordGolden(state, "1", live, "host:a", now));
        Assert.Same(live, ModelLifecycle.RecordGolden(state, "1", new GoldenSet("live traffic: second", 0.001, 0.001, [], [], now), "host:b", now));

        Assert.Equal("1", ModelLifecycle.LastKnownGood(state));
        Assert.Equal(revision + 1, state.Revision); // the route changes once: 1 became the last-known-good
        Assert.Equal(new AuditEntry(now, "golden", null, "1", "golden set recorded: live traffic: first (1 rows)", "host:a"), state.Audit[^1]);
    }

    [Fact]
    public void Generated_ids_count_up_past_numeric_ids_and_duplicates_are_refused()
    {
        var state = NewModel();
        Assert.Equal("1", Add(state).Version);
        Assert.Equal("7", Add(state, "7").Version);
        Assert.Equal("rc", Add(state, "rc").Version);
        Assert.Equal("8", Add(state).Version);

        var error = Assert.Throws<RegistryException>(() => Add(state, "7"));
        Assert.Equal(RegistryErrorKind.Conflict, error.Kind);
        Assert.Equal(4, state.Versions.Count);
    }

    [Fact]
    public void Audit_entries_carry_the_injected_time()
    {
        var state = NewModel();
        Add(state);
        _time.Advance(TimeSpan.FromMinutes(5));
        ModelLifecycle.Promote(state, "1", "ship", "alice", _time.GetUtcNow());

        Assert.Equal(new AuditEntry(new DateTimeOffset(2026, 3, 1, 12, 5, 0, TimeSpan.Zero), "promote", null, "1", "ship", "alice"), state.Audit[^1]);
    }

    [Fact]
    public void Last_known_good_skips_the_current_and_quarantined_versions()
    {
        var state = NewModel();
        Add(state);
        Add(state);
        Add(state);
        var now = _time.GetUtcNow();
        ModelLifecycle.Promote(state, "1", "", "t", now);
        ModelLifecycle.Promote(state, "2", "", "t", now);
        ModelLifecycle.Promote(state, "3", "", "t", now);
        ModelLifecycle.Quarantine(state, "2", "", "t", now);

        Assert.Equal("1", ModelLifecycle.LastKnownGood(state));
        var change = ModelLifecycle.Rollback(state, null, quarantineCurrent: false, "", "t", now);

        Assert.Equal(new LifecycleChange("m", "1", "3"), change);
        Assert.Equal([VersionState.Live, VersionState.Quarantined, VersionState.Retired], state.Versions.Select(v => v.State).ToArray());
        // From 1, the newest earlier live version that is not quarantined is 3.
        Assert.Equal("3", ModelLifecycle.LastKnownGood(state));
    }

    [Fact]
    public void Rollback_never_targets_a_quarantined_version()
    {
        var state = NewModel();
        Add(state);
        Add(state);
        var now = _time.GetUtcNow();
        ModelLifecycle.Promote(state, "1", "", "t", now);
        ModelLifecycle.Promote(state, "2", "", "t", now);
        ModelLifecycle.Rollback(state, null, quarantineCurrent: true, "", "t", now); // 2 quarantined, 1 live

        var explicitTarget = Assert.Throws<RegistryException>(() => ModelLifecycle.Rollback(state, "2", false, "", "t", now));
        Assert.Equal("to: version '2' of model 'm' is quarantined; rollback never goes to a quarantined version", explicitTarget.Message);
        var automatic = Assert.Throws<RegistryException>(() => ModelLifecycle.Rollback(state, null, false, "", "t", now));
        Assert.Equal(RegistryErrorKind.Conflict, automatic.Kind);
        Assert.Equal("1", state.LiveVersion);
    }

    [Fact]
    public void Retiring_the_live_version_leaves_no_live_version_and_bumps_the_revision()
    {
        var state = NewModel();
        Add(state);
        var now = _time.GetUtcNow();
        ModelLifecycle.Promote(state, "1", "", "t", now);
        var revision = state.Revision;

        ModelLifecycle.Retire(state, "1", "", "t", now);

        Assert.Null(state.LiveVersion);
        Assert.Equal(revision + 1, state.Revision);
        Assert.Equal("1", ModelLifecycle.LastKnownGood(state));
    }

    [Fact]
    public void Quarantining_the_live_version_is_refused()
    {
        var state = NewModel();
        Add(state);
        var now = _time.GetUtcNow();
        ModelLifecycle.Promote(state, "1", "", "t", now);

        var error = Assert.Throws<RegistryException>(() => ModelLifecycle.Quarantine(state, "1", "", "t", now));

        Assert.Equal("version: '1' of model 'm' is live; roll back with quarantine instead (fleet rollback m --quarantine)", error.Message);
        Assert.Equal(VersionState.Live, state.Versions[0].State);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("breast-cancer", true)]
    [InlineData("m.v2_x", true)]
    [InlineData("", false)]
    [InlineData("-leading", false)]
    [InlineData("Upper", false)]
    [InlineData("../x", false)]
    [InlineData("a/b", false)]
    public void Model_names_follow_the_documented_pattern(string name, bool valid) =>
        Assert.Equal(valid, ModelNames.IsValidName(name));

    [Fact]
    public void Model_names_are_at_most_63_characters() =>
        Assert.Equal((true, false), (ModelNames.IsValidName(new string('a', 63)), ModelNames.IsValidName(new string('a', 64))));
}
