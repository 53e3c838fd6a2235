using Cassiopeia.Core.Common;
using Cassiopeia.Core.Usage;

namespace Cassiopeia.Core.Answers;

/// <summary>One step of a streamed answer: tokens, then either the citations or a failure.</summary>
public abstract record AskEvent;

/// <summary>The next piece of the answer's text.</summary>
public sealed record AnswerToken(string Text) : AskEvent;

/// <summary>The answer is complete: its full text, citations and usage.</summary>
public sealed record AnswerCompleted(string Answer, IReadOnlyList<Citation> Citations, TokenUsage Usage) : AskEvent;

/// <summary>The provider failed before the answer was complete.</summary>
public sealed record AnswerFailed(Error Error) : AskEvent;
