using Fleet.Inference.Onnx;
using Fleet.Contracts;
using Fleet.Models;

namespace Fleet.Server.Serving;

/// <summary>
/// A loaded version with a reference count: the routing table holds one reference and each in-flight
/// request one more. A swapped-out version is disposed when its last request finishes, never under one.
/// </summary>
internal sealed class ServedModel
{
    private int _references = 1;
    private volatile VersionGuards _guards;
    private volatile Fleet.Server.Health.VersionHealth _health = Fleet.Server.Health.VersionHealth.New;

    public ServedModel(string model, string version, string sha256, ModelTask task, OnnxModel session, string? warmUpError)
    {
        Model = model;
        Version = version;
        Sha256 = sha256;
        Task = task;
        Session = session;
        WarmUpError = warmUpError;
        InputsByName = session.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        OutputNames = session.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        _guards = VersionGuards.Build(null, session.Outputs);
    }

    public string Model { get; }

    public string Version { get; }

    public string Sha256 { get; }

    public ModelTask Task { get; }

    public OnnxModel Session { get; }

    public string? WarmUpError { get; }

    public IReadOnlyDictionary<string, TensorSignature> InputsByName { get; }

    public IReadOnlySet<string> OutputNames { get; }

    /// <summary>This version's in-process statistics recorder, cached here so the hot path skips a dictionary lookup.</summary>
    public Fleet.Statistics.VersionStatsRecorder? Recorder { get; set; }

    /// <summary>The guards <see cref="Recorder"/> was made for; a contract edit replaces both.</summary>
    public VersionGuards? RecorderGuards { get; set; }

    /// <summary>How this load's probes stand on this silo (replaced by the prober after every probe; read by readiness).</summary>
    public Fleet.Server.Health.VersionHealth Health
    {
        get => _health;
        set => _health = value;
    }

    /// <summary>The contract's guards; replaced (not mutated) when the contract is edited.</summary>
    public VersionGuards Guards => _guards;

    public void UpdateContract(VersionContract? contract)
    {
        if (!ReferenceEquals(contract, _guards.Contract) && contract != _guards.Contract)
        {
            _guards = VersionGuards.Build(contract, Session.Outputs);
        }
    }

    /// <summary>Takes a reference unless the model is already being disposed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Session.Dispose();
        }
    }
}
