// The pure rules of the grains (lifecycle, decisions, placement, detector runs, retraining), no silo: `dotnet test Fleet.sln --filter Speed=Unit`.
[assembly: Trait(Fleet.Testing.Speed.Trait, Fleet.Testing.Speed.Unit)]
