namespace Cassiopeia.Core.Answers;

/// <summary>Which generator writes answers.</summary>
public enum ChatProvider
{
    /// <summary>The OpenAI-compatible endpoint when <c>Chat:Endpoint</c> and <c>Chat:Model</c> are set, else extractive.</summary>
    Auto,

    /// <summary>An OpenAI-compatible <c>/chat/completions</c> endpoint (OpenAI, Azure OpenAI v1, Ollama, vLLM, llama.cpp).</summary>
    OpenAi,

    /// <summary>The built-in offline generator: quotes the best-matching sentences of the sources.</summary>
    Extractive,
}
