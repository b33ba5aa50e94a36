using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Grains.Monitoring;

namespace Fleet.Grains.Tests.Monitoring;

public sealed class RetrainBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> NoneFresh = [];

    private static RetrainReason Reason(string trigger, string version = "1", string text = "fired") =>
        new(trigger, Now, $"version {version}: {text}", new Dictionary<string, double>()) { Version = version };

    [Fact]
    public void The_first_triggers_open_a_request_and_later_ones_join_it_once()
    {
        var book = new List<RetrainRequest>();

        var opened = RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift"), Reason("staleness")], NoneFresh, "rt-1", Now);

        var request = Assert.Single(book);
        Assert.Same(request, opened.Opened);
        Assert.Equal(("rt-1", "m", "1", RetrainStatus.Open, 2), (request.Id, request.Model, request.Version, request.Status, request.Triggers.Length));
        var again = RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift")], NoneFresh, "rt-2", Now);
        Assert.Null(again.Opened);
        Assert.Null(again.Extended);
        Assert.Empty(again.Added);
        Assert.Equal(2, book[0].Triggers.Length); // the same drift on every run adds nothing

        var extended = RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift"), Reason("quality")], new HashSet<string> { "drift" }, "rt-3", Now.AddMinutes(1));

        Assert.Null(extended.Opened);
        Assert.Equal(["drift", "quality"], extended.Added.Select(a => a.Trigger).ToArray()); // a new drift episode joins too
        Assert.Equal(["drift", "staleness", "drift", "quality"], Assert.Single(book).Triggers.Select(t => t.Trigger).ToArray());
        Assert.Same(book[0], extended.Extended);
    }

    [Fact]
    public void Acknowledging_closes_the_open_request_so_the_next_trigger_opens_another()
    {
        var book = new List<RetrainRequest>();
        RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift")], NoneFresh, "rt-1", Now);

        var acked = RetrainBook.Ack(book, "m", null, "tester", "job 42", Now.AddHours(1));

        Assert.Equal((RetrainStatus.Acked, "tester", (DateTimeOffset?)Now.AddHours(1), "job 42"), (acked.Status, acked.AckedBy, acked.AckedAt, acked.Note));
        Assert.Equal("model 'm' has no open retraining request",
            Assert.Throws<RegistryException>(() => RetrainBook.Ack(book, "m", null, "t", null, Now)).Message);
        Assert.Equal("rt-2", RetrainBook.OpenOrExtend(book, "m", "2", [Reason("drift", "2")], NoneFresh, "rt-2", Now).Opened!.Id);
        var error = Assert.Throws<RegistryException>(() => RetrainBook.Ack(book, "m", "rt-1", "t", null, Now));
        Assert.Equal((RegistryErrorKind.NotFound, "id: model 'm' has no open retraining request 'rt-1'"), (error.Kind, error.Message));
    }

    [Fact]
    public void At_most_the_retained_requests_are_kept_and_the_oldest_closed_one_goes_first()
    {
        var book = new List<RetrainRequest>();
        for (var i = 1; i <= RetrainBook.MaxRetained; i++)
        {
            RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift")], NoneFresh, $"rt-{i}", Now);
            RetrainBook.Ack(book, "m", null, "t", null, Now);
        }

        RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift")], NoneFresh, "rt-new", Now);

        Assert.Equal(RetrainBook.MaxRetained, book.Count);
        Assert.Equal(("rt-2", "rt-new"), (book[0].Id, book[^1].Id));
    }

    [Fact]
    public void Deliveries_are_recorded_on_their_request_and_a_crashed_notifier_reads_as_a_failed_delivery()
    {
        var book = new List<RetrainRequest>();
        RetrainBook.OpenOrExtend(book, "m", "1", [Reason("drift")], NoneFresh, "rt-1", Now);
        var crashed = RetrainBook.Crashed(new InvalidOperationException("no route"), Now);

        Assert.True(RetrainBook.RecordDeliveries(book, "rt-1", [new RetrainDelivery("webhook http://x", Now, true, "HTTP 200"), crashed]));
        Assert.False(RetrainBook.RecordDeliveries(book, "rt-1", []));
        Assert.False(RetrainBook.RecordDeliveries(book, "rt-gone", [crashed]));
        Assert.Equal([true, false], book[0].Deliveries.Select(d => d.Ok).ToArray());
        Assert.Equal(("delivery", "delivering failed: InvalidOperationException: no route"), (crashed.Target, crashed.Detail));
    }

    [Fact]
    public void The_coordinator_hears_of_an_opened_request_with_every_reason()
    {
        var book = new List<RetrainRequest>();
        var opened = RetrainBook.OpenOrExtend(book, "m", "3", [Reason("drift", "3", "drifted"), Reason("staleness", "3", "old")], NoneFresh, "rt-1", Now).Opened!;

        var signal = RetrainBook.Requested(opened, Now);

        Assert.Equal((SignalKind.RetrainRequested, "m", "3", "version 3: drifted; version 3: old"), (signal.Kind, signal.Model, signal.Version!, signal.Reason));
    }
}
