using Fleet.Server.Hosting;

FleetServerExtensions.CreateApp(args).Run();
