using System.Text;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// The state of one <see cref="Chunker.Split"/>. Tokens are counted once per block (or per sentence
/// of an over-long block) and summed while packing; only the finished chunk is counted again, which
/// gives its exact size and catches tokenizers that are not quite additive.
/// </summary>
internal sealed class ChunkBuilder
{
    private readonly ITokenCounter _counter;
    private readonly ChunkingOptions _options;
    private readonly int _spaceTokens;
    private readonly int _lineTokens;
    private readonly int _paragraphTokens;
    private readonly List<PendingChunk> _drafts = [];
    private readonly List<(int Level, string Text)> _headings = [];
    private PendingChunk _current = new();
    private string _path = "";
    private int _section;

    public ChunkBuilder(ITokenCounter counter, ChunkingOptions options)
    {
        _counter = counter;
        _options = options;
        _spaceTokens = counter.CountTokens(" ");
        _lineTokens = counter.CountTokens("\n");
        _paragraphTokens = counter.CountTokens("\n\n");
    }

    public IReadOnlyList<ChunkDraft> Build(IReadOnlyList<TextBlock> blocks)
    {
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading)
            {
                // A section starts a new chunk unless what came before is too small to stand alone
                // (then it joins the previous chunk of its own section if it can, else the new section).
                var threshold = block.Level <= 2 ? _options.MinTokens : _options.TargetTokens / 2;
                if (_current.HasOwnContent && (_current.OwnTokens >= Math.Max(threshold, 1) || CanJoinPrevious(_current)))
                {
                    Flush(closesSection: true, overlapBefore: null);
                }

                EnterHeading(block);
            }

            foreach (var piece in Pieces(block))
            {
                Add(piece);
            }
        }

        Flush(closesSection: true, overlapBefore: null);
        var chunks = new List<ChunkDraft>(_drafts.Count);
        foreach (var draft in _drafts)
        {
            Emit(draft.Pieces, draft.OverlapCount, chunks);
        }

        return chunks;
    }

    private void EnterHeading(TextBlock heading)
    {
        var level = Math.Max(heading.Level, 1);
        _headings.RemoveAll(h => h.Level >= level);
        _headings.Add((level, heading.Text.ReplaceLineEndings(" ")));
        _path = string.Join(" > ", _headings.Select(h => h.Text));
        _section++;
    }

    private void Add(ChunkPiece piece)
    {
        if (_current.HasOwnContent)
        {
            var joined = _current.Tokens + Separator(_current.Last, piece) + piece.Tokens;
            var fits = joined <= _options.TargetTokens || (_current.OwnTokens < _options.MinTokens && joined <= _options.MaxTokens);
            if (!fits)
            {
                // A heading never ends a chunk: it moves on with the text it introduces.
                var headings = _current.DetachTrailingHeadings();
                if (_current.HasOwnContent)
                {
                    var sameSection = headings.Count == 0 && _current.Last!.Section == piece.Section;
                    Flush(closesSection: false, overlapBefore: sameSection ? piece : null);
                }

                headings.ForEach(Append);
                if (headings.Count > 0 && _current.Tokens + Separator(_current.Last, piece) + piece.Tokens > _options.MaxTokens)
                {
                    Flush(closesSection: false, overlapBefore: null);
                }
            }
        }

        Append(piece);
    }

    private void Append(ChunkPiece piece) => _current.Append(piece, Separator(_current.Last, piece), overlap: false);

    private void Flush(bool closesSection, ChunkPiece? overlapBefore)
    {
        var finished = _current;
        _current = new PendingChunk();
        if (!finished.HasOwnContent)
        {
            return;
        }

        if (closesSection && CanJoinPrevious(finished))
        {
            // The small tail of a section joins the chunk before it rather than standing alone.
            var previous = _drafts[^1];
            foreach (var piece in finished.Pieces.Skip(finished.OverlapCount))
            {
                previous.Append(piece, Separator(previous.Last, piece), overlap: false);
            }
        }
        else
        {
            _drafts.Add(finished);
        }

        if (overlapBefore is not null)
        {
            var budget = Math.Min(_options.OverlapTokens, _options.MaxTokens - overlapBefore.Tokens - _paragraphTokens);
            foreach (var piece in Overlap(finished, budget))
            {
                _current.Append(piece, Separator(_current.Last, piece), overlap: true);
            }
        }
    }

    private bool CanJoinPrevious(PendingChunk draft)
    {
        if (_drafts.Count == 0 || draft.OwnTokens >= _options.MinTokens)
        {
            return false;
        }

        var previous = _drafts[^1];
        var first = draft.Pieces[draft.OverlapCount];
        return previous.Last!.Section == first.Section
            && previous.Tokens + Separator(previous.Last, first) + draft.OwnTokens <= _options.MaxTokens;
    }

    /// <summary>The last whole sentences of <paramref name="draft"/> that fit <paramref name="budget"/>, in reading order.</summary>
    private List<ChunkPiece> Overlap(PendingChunk draft, int budget)
    {
        var carried = new List<ChunkPiece>();
        var section = draft.Last!.Section;
        for (var p = draft.Pieces.Count - 1; p >= 0 && budget > 0; p--)
        {
            var piece = draft.Pieces[p];
            if (piece.Kind == BlockKind.Heading || piece.Section != section)
            {
                break;
            }

            var sentences = SentenceSplitter.Split(piece.Text);
            var taken = 0;
            var tokens = 0;
            for (var s = sentences.Count - 1; s >= 0; s--)
            {
                var count = _counter.CountTokens(sentences[s]) + (taken > 0 ? _spaceTokens : 0);
                if (tokens + count > budget)
                {
                    break;
                }

                tokens += count;
                taken++;
            }

            if (taken == 0)
            {
                break;
            }

            var whole = taken == sentences.Count;
            var text = whole ? piece.Text : string.Join(' ', sentences.Skip(sentences.Count - taken));
            carried.Insert(0, piece with { Text = text, Tokens = tokens });
            budget -= tokens + _paragraphTokens;
            if (!whole)
            {
                break;
            }
        }

        if (carried.Count > 0)
        {
            carried[0] = carried[0] with { ContinuesBlock = false };
        }

        return carried;
    }

    private int Separator(ChunkPiece? before, ChunkPiece after) => before is null ? 0
        : after.ContinuesBlock ? _spaceTokens
        : IsLine(before) && IsLine(after) ? _lineTokens
        : _paragraphTokens;

    private static string SeparatorText(ChunkPiece before, ChunkPiece after) =>
        after.ContinuesBlock ? " " : IsLine(before) && IsLine(after) ? "\n" : "\n\n";

    private static bool IsLine(ChunkPiece piece) => piece.Kind is BlockKind.ListItem or BlockKind.TableRow;

    private IEnumerable<ChunkPiece> Pieces(TextBlock block)
    {
        var text = block.Kind == BlockKind.ListItem ? "- " + block.Text : block.Text;
        var tokens = _counter.CountTokens(text);
        var hidden = block.Hidden is not null;
        if (tokens <= _options.MaxTokens)
        {
            yield return new ChunkPiece(text, tokens, block.Kind, block.Page, hidden, _path, _section, ContinuesBlock: false);
            yield break;
        }

        var continues = false;
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            foreach (var (part, partTokens) in OversizedText.Fit(sentence, _counter, _options.MaxTokens))
            {
                yield return new ChunkPiece(part, partTokens, block.Kind, block.Page, hidden, _path, _section, continues);
                continues = true;
            }
        }
    }

    private void Emit(List<ChunkPiece> pieces, int overlapCount, List<ChunkDraft> chunks)
    {
        var text = Render(pieces);
        var tokens = pieces.Count == 1 ? pieces[0].Tokens : _counter.CountTokens(text);
        if (tokens > _options.MaxTokens && overlapCount > 0)
        {
            Emit(pieces[overlapCount..], 0, chunks);
            return;
        }

        if (tokens > _options.MaxTokens && pieces.Count > 1)
        {
            // The counter was less additive than the estimate: halve until each part fits. A single
            // piece always fits, as it was counted on its own.
            var half = pieces.Count / 2;
            Emit(pieces[..half], 0, chunks);
            Emit(pieces[half..], 0, chunks);
            return;
        }

        var own = pieces[overlapCount];
        chunks.Add(new ChunkDraft(chunks.Count, text, own.Page, own.Path, tokens, pieces.Exists(p => p.Hidden)));
    }

    private static string Render(List<ChunkPiece> pieces)
    {
        if (pieces.Count == 1)
        {
            return pieces[0].Text;
        }

        var text = new StringBuilder(pieces.Sum(p => p.Text.Length + 2));
        text.Append(pieces[0].Text);
        for (var i = 1; i < pieces.Count; i++)
        {
            text.Append(SeparatorText(pieces[i - 1], pieces[i])).Append(pieces[i].Text);
        }

        return text.ToString();
    }
}
