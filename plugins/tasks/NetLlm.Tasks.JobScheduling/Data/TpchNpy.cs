using NetLlm.Core.IO;
using TorchSharp;

namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// Reads the original numpy files of the TPC-H set. Only the float64 adjacency matrices are plain arrays; the
/// task-duration and stage-map files are pickled Python dictionaries, which <see cref="NpyFile"/> refuses with a
/// message pointing to the JSON copies (use <see cref="TpchJsonLoader"/> for those).
/// </summary>
public static class TpchNpy
{
    /// <summary>Reads and validates <c>adj_mat_&lt;q&gt;.npy</c>.</summary>
    /// <param name="path">The .npy file.</param>
    public static DagStructure ReadAdjacency(string path)
    {
        var array = NpyFile.Read(path);
        if (array.Shape.Length != 2)
        {
            throw new InvalidDataException($"{path}: an adjacency matrix must be 2-D, got shape ({string.Join(", ", array.Shape)})");
        }

        if (array.DType != torch.ScalarType.Float64)
        {
            throw new InvalidDataException($"{path}: an adjacency matrix must be float64, got {array.DType}");
        }

        var rows = (int)array.Shape[0];
        var cols = (int)array.Shape[1];
        if (rows != cols)
        {
            throw new InvalidDataException($"{path}: adjacency matrix is not square: shape ({rows}, {cols})");
        }

        var values = array.ToDoubles();
        var matrix = new double[rows, cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                matrix[i, j] = values[(i * cols) + j];
            }
        }

        return DagStructure.FromAdjacency(matrix, path);
    }
}
