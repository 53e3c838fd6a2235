namespace Cassiopeia.Core.Answers;

/// <summary>One retrieved chunk as numbered source <paramref name="Number"/> (1-based) of a prompt.</summary>
public sealed record PromptSource(int Number, string DocumentId, string ChunkId, string Title, string Text, bool Suspect = false);
