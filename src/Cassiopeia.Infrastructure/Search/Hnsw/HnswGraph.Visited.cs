namespace Cassiopeia.Infrastructure.Search.Hnsw;

public sealed partial class HnswGraph
{
    /// <summary>
    /// Per-thread search scratch: visited marks (a stamp array reused across searches) and the two
    /// heaps of a layer search, so a search allocates nothing proportional to the graph or to ef
    /// and concurrent searches never share state.
    /// </summary>
    private sealed class Visited
    {
        [ThreadStatic]
        private static Visited? _current;

        private int[] _stamps = [];
        private int _stamp;

        /// <summary>Nodes to expand, best first (the priority is the negated score).</summary>
        public PriorityQueue<int, float> Candidates { get; } = new();

        /// <summary>The best nodes kept, a min-heap whose root is the weakest.</summary>
        public PriorityQueue<int, float> Results { get; } = new();

        public static Visited Rent(int nodes)
        {
            var visited = _current ??= new Visited();
            if (visited._stamps.Length < nodes)
            {
                visited._stamps = new int[Math.Max(nodes, visited._stamps.Length * 2)];
                visited._stamp = 0;
            }

            return visited;
        }

        public void Next()
        {
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_stamps);
                _stamp = 1;
            }
        }

        /// <summary>True when <paramref name="node"/> was not yet visited in this search.</summary>
        public bool Mark(int node)
        {
            if (_stamps[node] == _stamp)
            {
                return false;
            }

            _stamps[node] = _stamp;
            return true;
        }
    }
}
