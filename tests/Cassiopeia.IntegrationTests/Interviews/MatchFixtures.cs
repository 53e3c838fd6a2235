using System.Net;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>The application with ingestion workers and the real GloVe word vectors fetched by scripts/fetch-glove.sh.</summary>
public abstract class GloveIngestionFixture(string provider) : ApiFixture(provider)
{
    /// <summary><c>CASSIOPEIA_GLOVE_FILE</c>, else <c>data/models/glove-100d.bin</c> in the repository, where the test command puts it.</summary>
    public static string GloveFile => Environment.GetEnvironmentVariable("CASSIOPEIA_GLOVE_FILE") is { Length: > 0 } file ? file
        : Path.Combine(RepositoryRoot(), "data", "models", "glove-100d.bin");

    protected override Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        // Never a skip: without the file the class fails with the instruction.
        if (!File.Exists(GloveFile))
        {
            throw new InvalidOperationException($"{GloveFile} is missing; run scripts/fetch-glove.sh before the tests.");
        }

        return Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Cassiopeia:Role"] = "all",
            ["Ingestion:Workers"] = "2",
            ["Ingestion:PollInterval"] = "00:00:00.200",
            ["Embeddings:Provider"] = "Glove",
            ["Embeddings:GloveFile"] = GloveFile,
        });
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cassiopeia.slnx")))
            {
                return directory.FullName;
            }
        }

        return ".";
    }
}

public sealed class SqliteGloveIngestionFixture() : GloveIngestionFixture("Sqlite");

public sealed class PostgresGloveIngestionFixture() : GloveIngestionFixture("Postgres");

/// <summary>Matching CVs against job descriptions through the API.</summary>
public abstract class MatchTest(ApiFixture fixture) : IngestionTest(fixture)
{
    /// <summary>Uploads a document and waits until it is ready.</summary>
    protected async Task<string> ReadyAsync(Session session, byte[] bytes, string fileName, string kind)
    {
        var id = await UploadAsync(session, bytes, fileName, kind);
        await WaitForAsync(session, id, "ready");
        return id;
    }

    protected async Task<JsonElement> MatchAsync(Session session, string cv, string jd)
    {
        var response = await SendAsync(session, HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = jd });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    protected static List<JsonElement> Requirements(JsonElement match) => match.GetProperty("requirements").EnumerateArray().Select(r => r.Clone()).ToList();

    protected static JsonElement Requirement(JsonElement match, string textPart) =>
        Assert.Single(Requirements(match), r => r.GetProperty("requirement").GetString()!.Contains(textPart, StringComparison.Ordinal));

    protected static string Status(JsonElement match, string textPart) => Requirement(match, textPart).GetProperty("status").GetString()!;

    protected static int Score(JsonElement match) => match.GetProperty("score").GetInt32();

    /// <summary>Every evidence quote is a verbatim span of a visible chunk of the CV.</summary>
    protected async Task AssertEvidenceIsVerbatimAsync(Session session, JsonElement match, string cv)
    {
        var chunks = (await ChunksAsync(session, cv)).ToDictionary(c => c.GetProperty("id").GetString()!);
        foreach (var evidence in Requirements(match).SelectMany(r => r.GetProperty("evidence").EnumerateArray()))
        {
            Assert.Equal(cv, evidence.GetProperty("documentId").GetString());
            var chunk = chunks[evidence.GetProperty("chunkId").GetString()!];
            Assert.False(chunk.GetProperty("suspect").GetBoolean(), "a chunk holding hidden text was cited");
            Assert.Contains(evidence.GetProperty("quote").GetString()!, chunk.GetProperty("text").GetString()!, StringComparison.Ordinal);
        }
    }
}

/// <summary>One job description and CVs of clearly different fit, written for the tests.</summary>
public static class LabelledSet
{
    public const string Jd = """
        # Senior Backend Engineer

        ## About us

        We are a fintech company building payment infrastructure for small businesses across Europe.

        ## Requirements

        - 5+ years of experience building backend services in C#
        - Strong knowledge of PostgreSQL and SQL query tuning
        - Experience with Kubernetes and Docker in production
        - Experience designing REST APIs
        - Bachelor's degree in Computer Science or a related field

        ## Nice to have

        - Experience with Kafka or RabbitMQ
        - Familiarity with Terraform

        ## Benefits

        - Remote work and a yearly learning budget
        """;

    /// <summary>Meets every requirement, with years.</summary>
    public const string StrongCv = """
        # Alex Morgan

        Backend engineer with 8 years of experience in C# and .NET.

        ## Experience

        ### Payments Platform Lead, Finlytics, 2019 to present

        - Built backend services in C# and .NET for card payments, serving 3 million requests a day.
        - Tuned PostgreSQL queries and SQL indexes, cutting p95 latency by 60 percent.
        - Ran the services on Kubernetes with Docker images built in CI.
        - Designed the public REST APIs used by 400 merchants.

        ### Software Engineer, Ledgerly, 2016 to 2019

        - Wrote C# services for invoicing and event pipelines on Kafka.
        - Provisioned cloud infrastructure with Terraform.

        ## Education

        BSc in Computer Science, University of Leeds, 2016
        """;

    /// <summary>Some of it, in another stack, and no Kubernetes.</summary>
    public const string PartialCv = """
        # Sam Patel

        Java developer with 3 years of experience.

        ## Experience

        ### Developer, ShopCo, 2023 to present

        - Built backend services in Java and Spring Boot for an online shop.
        - Wrote SQL queries for MySQL reports.
        - Packaged the services as Docker images.
        - Designed REST APIs for the mobile app.

        ## Education

        BSc in Computer Science, Open University, 2020
        """;

    /// <summary>Another profession altogether.</summary>
    public const string WeakCv = """
        # Jordan Lee

        Pastry chef with 10 years in hotel kitchens.

        ## Experience

        ### Head Pastry Chef, Grand Hotel, 2015 to present

        - Ran a team of six bakers producing bread, croissants and wedding cakes.
        - Planned seasonal dessert menus and managed the food budget.
        - Trained apprentices in food safety and hygiene.

        ## Education

        Diploma in Culinary Arts, City College, 2014
        """;
}
