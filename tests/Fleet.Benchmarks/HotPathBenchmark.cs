using System.Diagnostics;
using System.Text.Json.Nodes;
using Fleet.Inference.Tensors;
using Fleet.Server.Protocol;
using Fleet.Server.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;

namespace Fleet.Benchmarks;

/// <summary>
/// Raw ONNX Runtime Run() on a session against Fleet's full supervised in-process path on the same
/// session (routing-table lookup and lease, input contract, ONNX Runtime, output contract, statistics
/// recording), interleaved in rounds in one process so both see the same machine state.
/// </summary>
internal static class HotPathBenchmark
{
    private const int Rounds = 5;
    private static readonly double MicrosecondsPerTick = 1e6 / Stopwatch.Frequency;

    public static bool Breakdown { get; set; }

    private static Fleet.Server.Statistics.StatsCollector? server_stats;

    public static async Task<int> RunAsync()
    {
        await using var server = await BenchServer.StartAsync();
        var host = server.Services.GetRequiredService<ModelHost>();
        var pipeline = server.Services.GetRequiredService<PredictionPipeline>();
        server_stats = server.Services.GetRequiredService<Fleet.Server.Statistics.StatsCollector>();
        Console.WriteLine($"hotpath: {Environment.ProcessorCount} cores, {RuntimeInformationText()}, ONNX Runtime CPU, 1 intra-op thread");
        Console.WriteLine($"{"model",-14} {"batch",5} {"raw p50",9} {"raw p99",9} {"sup p50",9} {"sup p99",9} {"+p50",7} {"+p99",7} {"thru ratio",10}   (microseconds per call)");
        Result? headline = null;
        var models = new[] { "breast-cancer", "wine", "diabetes" };
        foreach (var model in models)
        {
            Measure(host, pipeline, model, 1, rounds: 1); // warm every code path before anything is measured
        }

        foreach (var model in models)
        {
            foreach (var batch in new[] { 1, 64 })
            {
                var result = Measure(host, pipeline, model, batch);
                Console.WriteLine($"{model,-14} {batch,5} {result.RawP50,9:F2} {result.RawP99,9:F2} {result.SupP50,9:F2} {result.SupP99,9:F2} {result.SupP50 - result.RawP50,7:F2} {result.SupP99 - result.RawP99,7:F2} {result.ThroughputRatio,10:F2}");
                if (model == "breast-cancer" && batch == 1)
                {
                    headline = result;
                }
            }
        }

        Console.WriteLine($"hotpath: supervised/raw throughput ratio {headline!.ThroughputRatio:F2}, added p50 {headline.SupP50 - headline.RawP50:F1} us, added p99 {headline.SupP99 - headline.RawP99:F1} us (batch 1, breast-cancer)");
        return 0;
    }

    private static Result Measure(ModelHost host, PredictionPipeline pipeline, string model, int batch, int rounds = Rounds)
    {
        if (!host.TryGetSlot(model, out var slot) || slot.Live is null)
        {
            throw new InvalidOperationException($"sample model {model} is not loaded");
        }

        var served = slot.Live;
        var config = slot.Route.Config;
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Samples, model, "golden.json")))!;
        var input = golden["request"]!["inputs"]![0]!;
        var features = (int)input["shape"]![1]!;
        var source = input["data"]!.AsArray().Select(v => (float)(double)v!).ToArray();
        var data = new float[batch * features];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = source[i % source.Length];
        }

        var name = (string)input["name"]!;
        var request = new InferRequest(null, [new Tensor(name, TensorDataType.Fp32, [batch, features], data)], null);

        var session = served.Session.RawSession;
        using var runOptions = new RunOptions();
        string[] inputNames = [name];
        long[] shape = [batch, features];
        var outputNames = session.OutputNames.ToArray();

        // The baseline a serving stack cannot go below: wrap the request's array as an OrtValue and Run().
        void Raw()
        {
            using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
            using var results = session.Run(runOptions, inputNames, [value], outputNames);
        }

        void Supervised()
        {
            if (!host.TryAcquireLive(model, out var lease))
            {
                throw new InvalidOperationException("lost the live version");
            }

            using (lease)
            {
                pipeline.Predict(lease.Model, request, default, config, acquiredAsLive: true, Stopwatch.GetTimestamp());
            }
        }

        var guards = served.Guards;
        var recorder = server_stats!.For(served);
        if (Breakdown && rounds == Rounds)
        {
            var modes = new Fleet.Guardrails.InputModes();
            var outputs0 = served.Session.Run(request.Inputs);
            var parts = new (string Name, Action Action)[]
            {
                ("raw ORT", Raw),
                ("OnnxModel.Run", () => served.Session.Run(request.Inputs)),
                ("input guard", () => guards.Input!.Check(request.Inputs[0], modes)),
                ("output guard", () => guards.Output.Check(outputs0)),
                ("record features", () => recorder.RecordFeatures(data, features)),
                ("record request", () => recorder.RecordRequest(1.0, batch)),
                ("stats.For", () => server_stats.For(served)),
                ("lease", () => { host.TryAcquireLive(model, out var l); l.Dispose(); }),
                ("supervised", Supervised),
            };
            foreach (var (partName, action) in parts)
            {
                Time(action, 5_000, null);
                var samples = new List<double>();
                Time(action, 20_000, samples);
                Console.WriteLine($"  breakdown {model} batch {batch}: {partName,-16} p50 {Percentiles.Of(samples, 50),8:F2} us");
            }
        }

        var iterations = batch == 1 ? 20_000 : 4_000;
        Time(Raw, iterations, null);
        Time(Supervised, iterations, null);
        var raw = new List<double>(iterations * rounds);
        var supervised = new List<double>(iterations * rounds);
        double rawSeconds = 0, supervisedSeconds = 0;
        for (var round = 0; round < rounds; round++)
        {
            rawSeconds += Time(Raw, iterations, raw);
            supervisedSeconds += Time(Supervised, iterations, supervised);
        }

        return new Result(
            Percentiles.Of(raw, 50), Percentiles.Of(raw, 99),
            Percentiles.Of(supervised, 50), Percentiles.Of(supervised, 99),
            rawSeconds / supervisedSeconds);
    }

    /// <summary>Runs <paramref name="action"/> n times; records each call's microseconds; returns total seconds.</summary>
    private static double Time(Action action, int n, List<double>? samples)
    {
        var total = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            samples?.Add((Stopwatch.GetTimestamp() - start) * MicrosecondsPerTick);
        }

        return total.Elapsed.TotalSeconds;
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private sealed record Result(double RawP50, double RawP99, double SupP50, double SupP99, double ThroughputRatio);
}
