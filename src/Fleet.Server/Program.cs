using Fleet.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetServer();

var app = builder.Build();
app.MapFleetServer();
app.Run();
