using System.Collections.Concurrent;
using System.Text;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.UnitTests.Ai;

public sealed class EmbeddingServicesTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cassiopeia-data-").FullName;
    private readonly LogCollector _logs = new();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(new("Cassiopeia:DataDirectory", _data)))
            .Build();
        return new ServiceCollection().AddLogging(b => b.AddProvider(_logs)).AddEmbeddings(configuration).BuildServiceProvider();
    }

    private void WriteGloveFile() =>
        GloveConverter.Read(Encoding.UTF8.GetBytes(GloveEmbeddingGeneratorTests.WinkJson([("the", [1f, 0f]), ("doctor", [0f, 1f])])))
            .Save(Path.Combine(_data, "models", "glove-100d.bin"));

    [Fact]
    public void Auto_without_model_files_is_lexical_and_says_why()
    {
        using var services = Services();

        var model = services.GetRequiredService<EmbeddingModel>();

        Assert.Equal("lexical:v1-384", model.Id);
        Assert.False(model.IsSemantic);
        Assert.Same(model.Generator, services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Contains(_logs.Messages, m => m.Contains("Lexical", StringComparison.Ordinal) && m.Contains("no GloVe vectors at", StringComparison.Ordinal));
    }

    [Fact]
    public void Auto_prefers_converted_glove_to_lexical()
    {
        WriteGloveFile();
        using var services = Services();

        var model = services.GetRequiredService<EmbeddingModel>();

        Assert.Equal("glove:wink-sg-100d", model.Id);
        Assert.Equal(2, model.Dimensions);
        Assert.True(model.IsSemantic);
        Assert.Equal(3, model.Tokens.CountTokens("the doctor's"));
    }

    [Fact]
    public void Auto_prefers_a_present_onnx_model_to_glove()
    {
        WriteGloveFile();
        var directory = TinyOnnxModel.CreateModelDirectory();
        try
        {
            using var services = Services(("Embeddings:OnnxModelDirectory", directory), ("Embeddings:OnnxModelName", "tiny"), ("Embeddings:OnnxMaxTokens", "256"));

            var model = services.GetRequiredService<EmbeddingModel>();

            Assert.Equal("onnx:tiny", model.Id);
            Assert.Equal(TinyOnnxModel.Hidden, model.Dimensions);
            Assert.Equal(256, model.MaxInputTokens);
            Assert.Equal(7, model.Tokens.CountTokens("This is an example sentence"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Auto_falls_back_when_the_onnx_folder_lacks_files()
    {
        using var services = Services(("Embeddings:OnnxModelDirectory", _data));

        Assert.Equal("lexical:v1-384", services.GetRequiredService<EmbeddingModel>().Id);
        Assert.Contains(_logs.Messages, m => m.Contains("no model.onnx", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Glove", "Embeddings:Provider is Glove but")]
    [InlineData("Onnx", "Embeddings:OnnxModelDirectory is not set")]
    [InlineData("OpenAi", "Embeddings:ApiKey (environment Embeddings__ApiKey) or Embeddings:ApiKeyFile is required")]
    public void Explicit_provider_without_its_files_fails_start_up_clearly(string provider, string message)
    {
        using var services = Services(("Embeddings:Provider", provider));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAi_model_is_built_from_settings_without_logging_the_key()
    {
        using var services = Services(("Embeddings:Provider", "OpenAi"), ("Embeddings:ApiKey", "sk-secret-91"), ("Embeddings:Dimensions", "512"));
        services.GetRequiredService<IStartupValidator>().Validate();

        var model = services.GetRequiredService<EmbeddingModel>();

        Assert.Equal("openai:text-embedding-3-small@512", model.Id);
        Assert.Equal(512, model.Dimensions);
        Assert.Equal(8191, model.MaxInputTokens);
        Assert.NotEmpty(_logs.Messages);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains("sk-secret-91", StringComparison.Ordinal));
    }

    private sealed class LogCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
