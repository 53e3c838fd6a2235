namespace Cassiopeia.Core.Ingestion;

/// <summary>Text of one block, or one sentence or word run of a block too long for a chunk.</summary>
internal sealed record ChunkPiece(string Text, int Tokens, BlockKind Kind, int? Page, bool Hidden, string Path, int Section, bool ContinuesBlock);
