using Cassiopeia.Infrastructure.Ai.Embeddings;

namespace Cassiopeia.UnitTests.Ai;

/// <summary>
/// Checks the real GloVe vectors made by scripts/fetch-glove.sh, which the test command runs first;
/// a missing file fails the test with that instruction, never skips it.
/// </summary>
[Trait("Category", "GloveFile")]
public sealed class RealGloveTests
{
    [Fact]
    public void Related_words_are_closer_than_unrelated_ones()
    {
        var file = RealGloveFile.File;
        Assert.True(System.IO.File.Exists(file), $"{file} is missing; run scripts/fetch-glove.sh before the tests.");

        var generator = new GloveEmbeddingGenerator(GloveVectors.Load(file));

        Assert.Equal(100, generator.Dimensions);
        Assert.True(generator.VocabularySize > 300_000, $"{generator.VocabularySize} words");
        var doctor = generator.Embed("doctor");
        Assert.True(VectorAssert.Cosine(doctor, generator.Embed("physician")) > VectorAssert.Cosine(doctor, generator.Embed("banana")));
        var resume = generator.Embed("Experienced nurse looking for a hospital position");
        Assert.True(VectorAssert.Cosine(resume, generator.Embed("The clinic is hiring medical staff"))
            > VectorAssert.Cosine(resume, generator.Embed("Quarterly revenue of the retail chain fell")));
    }
}

internal static class RealGloveFile
{
    /// <summary><c>CASSIOPEIA_GLOVE_FILE</c>, else <c>data/models/glove-100d.bin</c> in the repository, where the fetch script puts it.</summary>
    public static string File => Environment.GetEnvironmentVariable("CASSIOPEIA_GLOVE_FILE") is { Length: > 0 } file ? file
        : Path.Combine(RepositoryRoot() ?? ".", "data", "models", "glove-100d.bin");

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Cassiopeia.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
