namespace Fleet.Abstractions.Models;

/// <summary>What a model predicts; decides which output checks apply.</summary>
[GenerateSerializer, Alias("fleet.ModelTask")]
public enum ModelTask
{
    Classification = 0,
    Regression = 1,
    Embedding = 2,
    Other = 3,
}
