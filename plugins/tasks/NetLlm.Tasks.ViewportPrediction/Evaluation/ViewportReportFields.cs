using System.Text.Json.Nodes;
using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction.Evaluation;

/// <summary>Serialises common fields of the VP reports.</summary>
internal static class ViewportReportFields
{
    public static void AddData(JsonObject json, ViewportDataset data)
    {
        var request = data.Request;
        json["dataset"] = request.Dataset.Name;
        json["split"] = request.Split.ToString().ToLowerInvariant();
        json["history"] = request.Window.History;
        json["future"] = request.Window.Future;
        json["trim_head"] = request.Window.TrimHead;
        json["trim_tail"] = request.Window.TrimTail;
        json["step"] = request.Window.Step;
        json["files"] = data.Files;
        json["tolerated_time_reversals"] = data.ToleratedTimeReversals;
        json["load_s"] = data.LoadSeconds;
    }
}
