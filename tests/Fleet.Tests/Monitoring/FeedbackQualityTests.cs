using System.Net;
using System.Text;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class FeedbackQualityTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task Labels_join_by_prediction_id_and_give_exact_accuracy_beside_the_estimate_and_the_reference()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        var rows = MonitoredModel.Data.Rows.Take(300).ToArray();
        var labels = MonitoredModel.Data.Labels.Take(300).ToArray();
        var predicted = await model.InferAsync("q", rows);
        await model.FlushAsync();

        var feedback = labels.Select((l, i) => new { id = $"q-{i}", label = l }).Append(new { id = "never-served", label = 1 }).ToArray();
        var (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = feedback });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal((301, 300, 1), ((int)body!["received"]!, (int)body["joined"]!, (int)body["unknown"]!));
        Assert.Equal(300, (int)body["versions"]!["1"]!);

        var quality = await Server.GetJsonAsync($"api/v1/models/{model.Name}/quality");
        var expected = predicted.Zip(labels).Count(p => p.First == p.Second) / 300.0;
        Assert.Equal(300, (int)quality["labels_joined"]!);
        Assert.Equal(1, (int)quality["labels_unknown"]!);
        Assert.Equal(expected, (double)quality["accuracy"]!, 12);
        Assert.NotNull(quality["log_loss"]);
        var estimated = (double)quality["estimated_accuracy"]!;
        var reference = (double)quality["reference_accuracy"]!;
        Assert.InRange(estimated, 0.85, 1.0);
        Assert.InRange(reference, 0.9, 1.0);
        Assert.Equal("ok", (string)quality["verdict"]!);
        Assert.NotNull(quality["calibration"]!["ece_before"]);
    }

    [Fact]
    public async Task A_quality_drop_from_labels_makes_the_coordinator_roll_back_to_the_last_known_good()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        await Server.UploadWithReferenceAsync(model.Name, Repo.Sample("breast-cancer", "model.onnx"), Repo.Sample("breast-cancer", "reference_labeled.csv"), "2", "target");
        await Server.PromoteAsync(model.Name, "2");
        await Server.WaitServingAsync(model.Name, "2");
        await Server.WaitLastKnownGoodAsync(model.Name, "1");
        var predicted = await model.InferAsync("wrong", MonitoredModel.Data.Rows.Take(100).ToArray());
        await model.FlushAsync();

        // Every label contradicts the prediction: accuracy 0 on 100 labels against a reference of ~0.99.
        var (status, _) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = predicted.Select((p, i) => new { id = $"wrong-{i}", label = 1 - p }).ToArray() });
        Assert.Equal(HttpStatusCode.OK, status);
        await model.RunDriftAsync();
        var drift = await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift?version=2");
        Assert.Equal("quality-drop", (string)drift["quality"]!["verdict"]!);

        await Server.WaitRolledBackAsync(model.Name, "1");
        var decision = (await Server.GetJsonAsync($"api/v1/decisions?model={model.Name}"))["decisions"]!.AsArray()[0]!;
        Assert.Equal(("rollback", "2", "1"), ((string)decision["action"]!, (string)decision["from_version"]!, (string)decision["to_version"]!));
        Assert.Contains("accuracy 0 on 100 labels", (string)decision["reason"]!);
    }

    [Fact]
    public async Task A_bad_label_refuses_the_whole_batch_naming_it_and_stores_nothing()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        await model.InferAsync("b", MonitoredModel.Data.Rows.Take(3).ToArray());
        await model.FlushAsync();

        var (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = new object[] { new { id = "b-0", label = 1 }, new { id = "b-1", label = 7 } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"labels[1].label: 7 is not a class index of model '{model.Name}' (expected an integer in 0..1)", (string)body!["error"]!);
        (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = new object[] { new { id = "b-0", label = "yes" } } });
        Assert.Equal("labels[0].label: 'yes' is not a finite number (classifiers: the class index)", (string)body!["error"]!);
        (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { labels = new object[] { new { id = "b-0", label = 1 } } });
        Assert.Equal("model: missing (the model the labels are for)", (string)body!["error"]!);

        var quality = await Server.GetJsonAsync($"api/v1/models/{model.Name}/quality");
        Assert.Equal(0, (int)quality["labels_joined"]!);
    }

    [Fact]
    public async Task Rows_of_a_batch_are_labeled_as_id_hash_row_and_exported_with_their_labels()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        var request = await File.ReadAllTextAsync(Repo.Sample("breast-cancer", "request.json")); // id sample-breast-cancer, 3 rows
        var batchId = "batch-" + Guid.NewGuid().ToString("N");
        request = request.Replace("\"sample-breast-cancer\"", $"\"{batchId}\"", StringComparison.Ordinal);
        var response = await Server.Client.PostAsync($"v2/models/{model.Name}/infer", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await model.FlushAsync();

        var (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = new object[] { new { id = batchId, label = 1 } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"labels[0].id: prediction '{batchId}' has 3 rows; label each as {batchId}#0 .. {batchId}#2", (string)body!["error"]!);
        (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = new object[] { new { id = $"{batchId}#2", label = 1 }, new { id = $"{batchId}#3", label = 1 } } });
        Assert.Equal((1, 1), ((int)body!["joined"]!, (int)body["unknown"]!));

        var csv = await Server.Client.GetStringAsync($"api/v1/models/{model.Name}/export?since=1h");
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.StartsWith("id,time,version,mean_radius,", lines[0]);
        Assert.EndsWith(",prediction,p_0,p_1,label", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal([$"{batchId}#0", $"{batchId}#1", $"{batchId}#2"], lines.Skip(1).Select(l => l.Split(',')[0]).ToArray());
        Assert.EndsWith(",1", lines[3]);
        Assert.EndsWith(",", lines[1]);
    }
}
