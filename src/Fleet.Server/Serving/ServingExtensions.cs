using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Server.Hosting;
using Fleet.Server.Statistics;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

internal static class ServingExtensions
{
    /// <summary>
    /// Serving: the artifact store and ONNX sessions, the model host and its route table, the prediction pipeline and
    /// data plane behind the endpoints, version intake, and the in-process statistics flushed to the grains.
    /// </summary>
    public static IServiceCollection AddFleetServing(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<SupervisionOptions>().BindConfiguration(SupervisionOptions.SectionName);
        services.AddFleetOptions<InferenceOptions, InferenceOptionsValidator>(InferenceOptions.SectionName);
        services.AddSingleton(new ArtifactStore(Path.Combine(dataDirectory, "artifacts")));
        services.AddSingleton(sp => new OnnxSessionFactory(sp.GetRequiredService<IOptions<InferenceOptions>>().Value));
        services.AddSingleton<VersionLoader>();
        services.AddSingleton<LoadReporter>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton<VersionIntake>();
        services.AddSingleton<StatsCollector>();
        services.AddSingleton<PredictionPipeline>();
        services.AddSingleton<DataPlane>();
        services.AddSingleton<SampleModelSeeder>();
        services.AddHostedService<RoutingService>();
        services.AddHostedService<StatsFlushService>();
        return services;
    }
}
