using Fleet.Drift;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;

namespace Fleet.Abstractions.Monitoring;

/// <summary>One detector run on one version: the per-feature tests, the multivariate and sequential detectors, quality, and notes on detectors that could not run.</summary>
[GenerateSerializer, Immutable, Alias("fleet.DriftRun")]
public sealed record DriftRun(
    [property: Id(0)] string Version,
    [property: Id(1)] DateTimeOffset CheckedAt,
    [property: Id(2)] string ReferenceSource,
    [property: Id(3)] DriftReport Report,
    [property: Id(4)] ReconstructionResult? Multivariate,
    [property: Id(5)] SequentialUpdate? Sequential,
    [property: Id(6)] QualityReport? Quality,
    [property: Id(7)] string[] Notes);

/// <summary>The drift view of one version: the latest run and a short history (newest first).</summary>
[GenerateSerializer, Immutable, Alias("fleet.DriftHistory")]
public sealed record DriftHistory(
    [property: Id(0)] string Version,
    [property: Id(1)] ReferenceSummary? Reference,
    [property: Id(2)] DriftRun? Latest,
    [property: Id(3)] DriftRun[] History,
    [property: Id(4)] int WindowRows);

/// <summary>Where a version's reference came from and its size; <see cref="Pending"/> counts live rows collected toward one.</summary>
[GenerateSerializer, Immutable, Alias("fleet.ReferenceSummary")]
public sealed record ReferenceSummary(
    [property: Id(0)] string Source,
    [property: Id(1)] int Rows,
    [property: Id(2)] bool Labeled,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] int Pending);
