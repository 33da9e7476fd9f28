namespace NetLlm.Encoders.Graph;

/// <summary>The edges of one message-passing step: children send to parents.</summary>
/// <param name="Children">Sending node of each edge (the child).</param>
/// <param name="ParentSlots">Index into <paramref name="Parents"/> of each edge's receiving node.</param>
/// <param name="Parents">Receiving nodes (distinct, ascending).</param>
public sealed record MessagePassingLevel(long[] Children, long[] ParentSlots, long[] Parents);

/// <summary>
/// The original's message-passing schedule (<c>make_dag_layer_edge_masks</c> + reverse flow). Nodes are grouped into
/// topological generations; step k uses the edges whose two ends both lie in generation k or among the children of
/// generation k; the steps run from the deepest generation to generation 0, so information flows from the leaves
/// up to the roots. Generations of different DAGs align by depth from their roots, as when the original
/// collates observations.
/// </summary>
public static class MessagePassingLevels
{
    /// <summary>
    /// The steps (deepest first) for a graph of <paramref name="nodeCount"/> nodes and the given edges (node indices;
    /// edges must form a DAG).
    /// </summary>
    /// <param name="nodeCount">Nodes.</param>
    /// <param name="edgeFrom">Parent of each edge.</param>
    /// <param name="edgeTo">Child of each edge.</param>
    public static IReadOnlyList<MessagePassingLevel> Build(int nodeCount, ReadOnlySpan<int> edgeFrom, ReadOnlySpan<int> edgeTo)
    {
        if (edgeFrom.Length != edgeTo.Length)
        {
            throw new ArgumentException("edge arrays differ in length");
        }

        var generation = Generations(nodeCount, edgeFrom, edgeTo);

        // L(x) = {gen(x)} ∪ {gen(p) : p parent of x}: the steps whose node set contains x.
        var levels = new List<int>[nodeCount];
        for (var x = 0; x < nodeCount; x++)
        {
            levels[x] = [generation[x]];
        }

        for (var e = 0; e < edgeFrom.Length; e++)
        {
            var g = generation[edgeFrom[e]];
            var l = levels[edgeTo[e]];
            if (!l.Contains(g))
            {
                l.Add(g);
            }
        }

        var maxGeneration = nodeCount == 0 ? -1 : generation.Max();
        var edgesPerStep = new List<int>[Math.Max(0, maxGeneration + 1)];
        for (var e = 0; e < edgeFrom.Length; e++)
        {
            foreach (var k in levels[edgeFrom[e]])
            {
                if (levels[edgeTo[e]].Contains(k))
                {
                    (edgesPerStep[k] ??= []).Add(e);
                }
            }
        }

        var result = new List<MessagePassingLevel>();
        for (var k = edgesPerStep.Length - 1; k >= 0; k--)
        {
            var edges = edgesPerStep[k];
            if (edges is null)
            {
                continue;
            }

            var parentSet = new SortedSet<long>();
            foreach (var e in edges)
            {
                parentSet.Add(edgeFrom[e]);
            }

            var parents = parentSet.ToArray();
            var slot = new Dictionary<long, long>(parents.Length);
            for (var i = 0; i < parents.Length; i++)
            {
                slot[parents[i]] = i;
            }

            var children = new long[edges.Count];
            var slots = new long[edges.Count];
            for (var i = 0; i < edges.Count; i++)
            {
                children[i] = edgeTo[edges[i]];
                slots[i] = slot[edgeFrom[edges[i]]];
            }

            result.Add(new MessagePassingLevel(children, slots, parents));
        }

        return result;
    }

    /// <summary>Topological generation (longest distance from a root) of each node; throws on a cycle.</summary>
    /// <param name="nodeCount">Nodes.</param>
    /// <param name="edgeFrom">Parent of each edge.</param>
    /// <param name="edgeTo">Child of each edge.</param>
    public static int[] Generations(int nodeCount, ReadOnlySpan<int> edgeFrom, ReadOnlySpan<int> edgeTo)
    {
        var indegree = new int[nodeCount];
        var childStart = new int[nodeCount + 1];
        foreach (var v in edgeTo)
        {
            indegree[v]++;
        }

        foreach (var u in edgeFrom)
        {
            childStart[u + 1]++;
        }

        for (var i = 0; i < nodeCount; i++)
        {
            childStart[i + 1] += childStart[i];
        }

        var children = new int[edgeFrom.Length];
        var fill = (int[])childStart.Clone();
        for (var e = 0; e < edgeFrom.Length; e++)
        {
            children[fill[edgeFrom[e]]++] = edgeTo[e];
        }

        var generation = new int[nodeCount];
        var queue = new Queue<int>();
        for (var x = 0; x < nodeCount; x++)
        {
            if (indegree[x] == 0)
            {
                queue.Enqueue(x);
            }
        }

        var seen = 0;
        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            seen++;
            for (var i = childStart[u]; i < childStart[u + 1]; i++)
            {
                var v = children[i];
                generation[v] = Math.Max(generation[v], generation[u] + 1);
                if (--indegree[v] == 0)
                {
                    queue.Enqueue(v);
                }
            }
        }

        if (seen != nodeCount)
        {
            throw new ArgumentException("the DAG batch has a cycle");
        }

        return generation;
    }
}
