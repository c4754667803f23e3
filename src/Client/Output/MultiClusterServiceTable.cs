using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>`fleetl4 get multiclusterservices`: NAME SERVICE-IMPORT EXTERNAL-IP IS-VALID AGE (the printer columns of
/// Fleet's CRD), after CLUSTER and NAMESPACE when several are listed; -o wide adds BACKENDS and LB-IN-SYNC.</summary>
public static class MultiClusterServiceTable
{
    public static Table Of(IEnumerable<MultiClusterServiceView> items, bool clusterColumn, bool namespaceColumn, bool wide, DateTimeOffset now)
    {
        var headers = new List<string>();
        if (clusterColumn) headers.Add("CLUSTER");
        if (namespaceColumn) headers.Add("NAMESPACE");
        headers.AddRange(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID"]);
        if (wide) headers.AddRange(["BACKENDS", "LB-IN-SYNC"]);
        headers.Add("AGE");
        var table = new Table([.. headers]);
        foreach (var m in items)
        {
            var cells = new List<string>();
            if (clusterColumn) cells.Add(m.Cluster);
            if (namespaceColumn) cells.Add(m.Namespace);
            cells.AddRange([m.Name, m.ServiceImportName, m.ExternalIp ?? "<pending>", Printer.Status(m.Conditions, ConditionTypes.Valid)]);
            if (wide) cells.AddRange([m.Backends.Count.ToString(), Printer.Bool(m.LoadBalancerInSync)]);
            cells.Add(Age.Since(m.CreationTimestamp, now));
            table.Add([.. cells]);
        }
        return table;
    }
}
