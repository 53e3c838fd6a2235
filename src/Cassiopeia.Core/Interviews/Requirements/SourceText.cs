namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>A stored chunk of a job description, as the extractors read it.</summary>
public sealed record SourceText(string ChunkId, string HeadingPath, string Text);
