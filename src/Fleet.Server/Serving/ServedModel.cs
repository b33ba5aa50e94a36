using Fleet.Inference.Onnx;
using Fleet.Abstractions.Contracts;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

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
    private volatile Fleet.Server.Health.GoldenProbe? _golden;
    private readonly Lock _recheckLock = new();
    private (DateTimeOffset At, bool Passed)? _recheck;
    private volatile bool _needsGolden;
    private GoldenTensor[]? _goldenCandidate;
    private int _liveAnswers;

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
        Shapes = new ShapeHistory(session.Inputs);
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

    /// <summary>The input shapes this load has answered (see <see cref="FaultAttribution"/>).</summary>
    public ShapeHistory Shapes { get; }

    /// <summary>The golden set the prober runs for this load, once it has one (null before its first probe, or with no golden set).</summary>
    public Fleet.Server.Health.GoldenProbe? Golden
    {
        get => _golden;
        set => _golden = value;
    }

    /// <summary>
    /// Whether the golden set still passes, for judging a run-time error: run at most once per
    /// <see cref="FaultAttribution.RecheckValidFor"/> (concurrent errors wait for that run); null without a golden set.
    /// </summary>
    public bool? RecheckGolden(TimeProvider time)
    {
        if (_golden is not { Set: not null } probe)
        {
            return null;
        }

        lock (_recheckLock)
        {
            var now = time.GetUtcNow();
            if (_recheck is { } last && now - last.At < FaultAttribution.RecheckValidFor)
            {
                return last.Passed;
            }

            var passed = FaultAttribution.GoldenPasses(this, probe);
            _recheck = (now, passed);
            return passed;
        }
    }

    /// <summary>Which golden set the prober runs for this load, or why there is none yet (for reports; null before the first probe).</summary>
    public string? GoldenState { get; set; }

    /// <summary>
    /// Set by the prober while the version has no golden set: the hot path then offers its live answers
    /// (<see cref="OfferGoldenCandidate"/>) until the prober records one. One volatile read per request otherwise.
    /// </summary>
    public bool NeedsGolden
    {
        get => _needsGolden;
        set => _needsGolden = value;
    }

    /// <summary>Counts a live request this version answered and keeps the first one's inputs as the golden candidate.</summary>
    public void OfferGoldenCandidate(Tensor[] inputs)
    {
        Interlocked.Increment(ref _liveAnswers);
        if (Volatile.Read(ref _goldenCandidate) is null)
        {
            Interlocked.CompareExchange(ref _goldenCandidate, inputs.Select(Fleet.Server.Health.GoldenTensors.From).ToArray(), null);
        }
    }

    /// <summary>The first live request's inputs (null before one) and how many live requests have succeeded since.</summary>
    public (GoldenTensor[]? Inputs, int Answers) GoldenCandidate => (Volatile.Read(ref _goldenCandidate), Volatile.Read(ref _liveAnswers));

    /// <summary>Forgets a candidate that did not run again the same way: the next live answer becomes the candidate.</summary>
    public void DropGoldenCandidate() => Volatile.Write(ref _goldenCandidate, null);

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
