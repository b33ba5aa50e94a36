using Fleet.Abstractions.Contracts;
using Fleet.Grains.Registry;
using Fleet.Abstractions.Models;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Grains.Tests.Registry;

public sealed class PinTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private ModelState TwoVersionsSecondLive()
    {
        var state = new ModelState { Definition = new ModelDefinition("m", ModelTask.Classification, "") };
        foreach (var id in new[] { "1", "2", "3" })
        {
            ModelLifecycle.AddVersion(state, new NewVersion(id, new string('0', 64), 1, "t", "", [], [], new VersionContract(null, new OutputContract([], "none")), TestGolden.Set), _time.GetUtcNow());
        }

        ModelLifecycle.Promote(state, "1", "", "t", _time.GetUtcNow());
        ModelLifecycle.Promote(state, "2", "", "t", _time.GetUtcNow());
        return state;
    }

    [Fact]
    public void A_pinned_model_refuses_promote_rollback_and_retiring_its_live_version()
    {
        var state = TwoVersionsSecondLive();
        var pin = ModelLifecycle.Pin(state, "2", "incident 42", "alice", _time.GetUtcNow());

        Assert.Equal(new ModelPin("2", "incident 42", "alice", _time.GetUtcNow()), pin);
        var promote = Assert.Throws<RegistryException>(() => ModelLifecycle.Promote(state, "3", "", "bob", _time.GetUtcNow()));
        Assert.Equal((RegistryErrorKind.Conflict, "model 'm' is pinned to version '2' by alice (incident 42); unpin it before you promote it (fleet unpin m)"), (promote.Kind, promote.Message));
        var rollback = Assert.Throws<RegistryException>(() => ModelLifecycle.Rollback(state, null, true, "", "coordinator", _time.GetUtcNow()));
        Assert.Equal("model 'm' is pinned to version '2' by alice (incident 42); unpin it before you roll back it (fleet unpin m)", rollback.Message);
        Assert.Throws<RegistryException>(() => ModelLifecycle.Retire(state, "2", "", "bob", _time.GetUtcNow()));
        // Versions that are not live can still be retired or quarantined; promoting the live one is a no-op.
        Assert.Equal(VersionState.Quarantined, ModelLifecycle.Quarantine(state, "3", "", "bob", _time.GetUtcNow()).State);
        Assert.Equal(new LifecycleChange("m", "2", "2"), ModelLifecycle.Promote(state, "2", "", "bob", _time.GetUtcNow()));
        Assert.Equal("2", state.LiveVersion);
    }

    [Fact]
    public void Only_the_live_version_can_be_pinned_and_unpin_frees_the_model()
    {
        var state = TwoVersionsSecondLive();

        var notLive = Assert.Throws<RegistryException>(() => ModelLifecycle.Pin(state, "1", "", "alice", _time.GetUtcNow()));
        Assert.Equal("version: '1' of model 'm' is retired, not live; a pin holds the live version (promote it first)", notLive.Message);
        ModelLifecycle.Pin(state, "2", "", "alice", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(1));

        var removed = ModelLifecycle.Unpin(state, "done", "bob", _time.GetUtcNow());

        Assert.Equal("2", removed!.Version);
        Assert.Null(ModelLifecycle.Unpin(state, "again", "bob", _time.GetUtcNow()));
        Assert.Equal(new LifecycleChange("m", "1", "2"), ModelLifecycle.Rollback(state, null, false, "", "t", _time.GetUtcNow()));
        Assert.Equal(["pin", "unpin", "rollback"], state.Audit.Skip(5).Select(a => a.Action).ToArray());
        Assert.Equal(new AuditEntry(_time.GetUtcNow(), "unpin", "2", null, "done", "bob"), state.Audit[^2]);
    }
}
