namespace Cassiopeia.Core.Answers;

/// <summary>Evidence for an answer: a chunk and a short verbatim <paramref name="Quote"/> of it.</summary>
public sealed record Citation(string DocumentId, string ChunkId, string Quote);
