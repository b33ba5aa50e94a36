namespace Fleet.Server.Serving;

/// <summary>A request's hold on a loaded version; disposing it releases the reference.</summary>
internal readonly struct ModelLease(ServedModel model) : IDisposable
{
    public ServedModel Model { get; } = model;

    public void Dispose() => Model.Release();
}
