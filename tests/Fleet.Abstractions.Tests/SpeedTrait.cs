// Every test here is pure and fast (see Fleet.Testing.Speed): `dotnet test Fleet.sln --filter Speed=Unit` runs them alone.
[assembly: Trait(Fleet.Testing.Speed.Trait, Fleet.Testing.Speed.Unit)]
