using Fleet.Abstractions.Coordination;
using Fleet.Server.Protocol;

namespace Fleet.Server.Api;

/// <summary><c>GET /api/v1/decisions[?model=M&amp;limit=N]</c>: the coordinator's decisions with their evidence, newest first.</summary>
internal static class DecisionsApi
{
    public const int DefaultLimit = 100;

    public static RouteGroupBuilder MapDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/decisions", async (HttpContext context, IGrainFactory grains) =>
        {
            var model = context.Request.Query["model"].ToString();
            var limitText = context.Request.Query["limit"].ToString();
            var limit = DefaultLimit;
            if (limitText.Length > 0 && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1))
            {
                throw new InvalidRequestException($"limit: '{limitText}' is not a positive integer");
            }

            var decisions = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetDecisions(model.Length == 0 ? null : model, limit);
            return new { decisions };
        }).WithTags("Decisions");
        return api;
    }
}
