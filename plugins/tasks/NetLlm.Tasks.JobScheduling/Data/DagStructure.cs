namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// Parent/child lists of a job DAG built from an adjacency matrix (<c>adj[i, j] = 1</c>: stage i is a parent of
/// stage j), validated: square, entries 0 or 1, acyclic. Errors name the source file.
/// </summary>
public sealed class DagStructure
{
    private DagStructure(int[][] parents, int[][] children, (int From, int To)[] edges, int[] topologicalOrder)
    {
        ParentsOf = parents;
        ChildrenOf = children;
        EdgeList = edges;
        TopologicalOrder = topologicalOrder;
    }

    /// <summary>Number of stages.</summary>
    public int StageCount => ParentsOf.Length;

    /// <summary>Parents of each stage, ascending.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Parents => ParentsOf;

    /// <summary>Children of each stage, ascending.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Children => ChildrenOf;

    /// <summary>Edges sorted by (parent, child), the order networkx lists them for a matrix.</summary>
    public IReadOnlyList<(int From, int To)> Edges => EdgeList;

    /// <summary>A topological order of the stages (parents before children).</summary>
    public IReadOnlyList<int> TopologicalOrder { get; }

    internal int[][] ParentsOf { get; }

    internal int[][] ChildrenOf { get; }

    internal (int From, int To)[] EdgeList { get; }

    /// <summary>Builds and validates the structure of a square adjacency matrix given row by row.</summary>
    /// <param name="rows">Matrix rows; every row must have as many entries as there are rows.</param>
    /// <param name="source">File (or description) named in errors.</param>
    public static DagStructure FromAdjacency(IReadOnlyList<IReadOnlyList<double>> rows, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Count;
        if (n == 0)
        {
            throw new InvalidDataException($"{source}: adjacency matrix is empty (a job needs at least one stage)");
        }

        var parents = new List<int>[n];
        var children = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            parents[i] = [];
            children[i] = [];
        }

        var edges = new List<(int, int)>();
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            if (row.Count != n)
            {
                throw new InvalidDataException($"{source}: adjacency matrix is not square: {n} rows but row {i} has {row.Count} entries");
            }

            for (var j = 0; j < n; j++)
            {
                var v = row[j];
                if (v == 0)
                {
                    continue;
                }

                if (v != 1)
                {
                    throw new InvalidDataException($"{source}: adjacency entry [{i}, {j}] is {v}; only 0 and 1 are allowed");
                }

                if (i == j)
                {
                    throw new InvalidDataException($"{source}: the DAG has a cycle: stage {i} is its own parent");
                }

                children[i].Add(j);
                parents[j].Add(i);
                edges.Add((i, j));
            }
        }

        var order = TopologicalSort(parents, children, source);
        return new DagStructure(
            parents.Select(p => p.ToArray()).ToArray(),
            children.Select(c => c.ToArray()).ToArray(),
            edges.ToArray(),
            order);
    }

    /// <summary>Builds and validates the structure of a square matrix given as a 2-D array.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="source">File (or description) named in errors.</param>
    public static DagStructure FromAdjacency(double[,] matrix, string source)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(0) != matrix.GetLength(1))
        {
            throw new InvalidDataException($"{source}: adjacency matrix is not square: shape ({matrix.GetLength(0)}, {matrix.GetLength(1)})");
        }

        var rows = new double[matrix.GetLength(0)][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[matrix.GetLength(1)];
            for (var j = 0; j < rows[i].Length; j++)
            {
                rows[i][j] = matrix[i, j];
            }
        }

        return FromAdjacency(rows, source);
    }

    private static int[] TopologicalSort(List<int>[] parents, List<int>[] children, string source)
    {
        var n = parents.Length;
        var indegree = new int[n];
        var ready = new Queue<int>();
        for (var i = 0; i < n; i++)
        {
            indegree[i] = parents[i].Count;
            if (indegree[i] == 0)
            {
                ready.Enqueue(i);
            }
        }

        var order = new List<int>(n);
        while (ready.Count > 0)
        {
            var u = ready.Dequeue();
            order.Add(u);
            foreach (var v in children[u])
            {
                if (--indegree[v] == 0)
                {
                    ready.Enqueue(v);
                }
            }
        }

        if (order.Count == n)
        {
            return order.ToArray();
        }

        throw new InvalidDataException($"{source}: the DAG has a cycle through stages {string.Join(" -> ", FindCycle(parents, indegree))}");
    }

    private static List<int> FindCycle(List<int>[] parents, int[] indegree)
    {
        // Every stage left with a positive in-degree has a parent that is also left; walking parents must repeat.
        var start = Array.FindIndex(indegree, d => d > 0);
        var seenAt = new Dictionary<int, int>();
        var path = new List<int>();
        var u = start;
        while (!seenAt.ContainsKey(u))
        {
            seenAt[u] = path.Count;
            path.Add(u);
            u = parents[u].First(p => indegree[p] > 0);
        }

        var cycle = path.GetRange(seenAt[u], path.Count - seenAt[u]);
        cycle.Reverse();

        // Start at the smallest stage so the message does not depend on where the walk entered the cycle.
        var first = cycle.IndexOf(cycle.Min());
        var rotated = cycle.Skip(first).Concat(cycle.Take(first)).ToList();
        rotated.Add(rotated[0]);
        return rotated;
    }
}
