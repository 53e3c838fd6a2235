using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Microsoft.Data.Sqlite;

namespace Cassiopeia.Bench;

/// <summary>
/// Writes <c>count</c> synthetic chunks (text and lexical embeddings, as ingestion would store them)
/// of ready documents into one organization of a stopped server's SQLite database, straight
/// through SQL: ingesting a million chunks through the API would take hours.
/// </summary>
public static class SearchSeeder
{
    public static async Task<int> RunAsync(string database, string organizationId, string userId, int count, int dimensions)
    {
        var corpus = new SearchCorpus();
        var embedder = new LexicalEmbeddingGenerator(dimensions);
        var started = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        var now = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var documents = (count + SearchCorpus.ChunksPerDocument - 1) / SearchCorpus.ChunksPerDocument;
        var transaction = connection.BeginTransaction();
        using var document = Command(connection, """
            INSERT INTO documents (Id, OrganizationId, UserId, Kind, Title, FileName, ContentType, Size, Sha256, Status, ChunkCount, CreatedUtc, UpdatedUtc)
            VALUES ($id, $org, $user, 'other', $id, $id, 'text/plain', 1000, $sha, 'ready', $chunks, $now, $now)
            """, "$id", "$org", "$user", "$sha", "$chunks", "$now");
        using var chunk = Command(connection, """
            INSERT INTO chunks (Id, OrganizationId, DocumentId, Ordinal, Text, HeadingPath, TokenCount, Suspect, ContentHash, ModelId, Dimensions, Vector)
            VALUES ($id, $org, $doc, $ordinal, $text, '', 30, 0, $id, $model, $dims, $vector)
            """, "$id", "$org", "$doc", "$ordinal", "$text", "$model", "$dims", "$vector");
        var written = 0;
        for (var d = 0; d < documents; d++)
        {
            var documentId = SearchCorpus.DocumentId(d);
            var chunks = Math.Min(SearchCorpus.ChunksPerDocument, count - written);
            Set(document, documentId, organizationId, userId, documentId.PadLeft(64, '0'), chunks, now);
            document.Transaction = transaction;
            await document.ExecuteNonQueryAsync();
            for (var o = 0; o < chunks; o++)
            {
                var text = corpus.Chunk(d, o);
                var vector = embedder.Embed(text);
                Set(chunk, $"{documentId}-{o}", organizationId, documentId, o, text, embedder.ModelId, dimensions, MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());
                chunk.Transaction = transaction;
                await chunk.ExecuteNonQueryAsync();
                written++;
            }

            if (d % 500 == 499)
            {
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
                transaction = connection.BeginTransaction();
                Console.Error.Write($"\r   {written:N0} chunks, {started.Elapsed.TotalSeconds:F0} s");
            }
        }

        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        Console.Error.WriteLine($"\r   {written:N0} chunks of {documents:N0} documents in {started.Elapsed.TotalSeconds:F0} s (model {embedder.ModelId})");
        Console.WriteLine(embedder.ModelId);
        return 0;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Set(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
