using Fleet.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetServer();

var app = builder.Build();
app.MapFleetServer();
app.Run();

/// <summary>Entry point; public so tests can host the server in-process.</summary>
public partial class Program;
