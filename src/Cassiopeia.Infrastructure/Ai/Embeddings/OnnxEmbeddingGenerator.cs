using Cassiopeia.Core.Ingestion;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// A sentence-transformer run by ONNX Runtime: the model's WordPiece tokenizer, inputs
/// <c>input_ids</c>, <c>attention_mask</c> (and <c>token_type_ids</c> when declared), output
/// <c>last_hidden_state</c> mean-pooled over the attention mask and L2-normalised — what
/// sentence-transformers does for all-MiniLM-L6-v2 and bge-small-en-v1.5. Thread-safe.
/// </summary>
public sealed class OnnxEmbeddingGenerator : BatchedEmbeddingGenerator, ITokenCounter
{
    private const string InputIds = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "token_type_ids";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxEmbeddingGenerator(InferenceSession session, BertTokenizer tokenizer, string[] inputs, string output, int dimensions, string modelId, int maxTokens, int batchSize)
        : base("onnx", modelId, dimensions, batchSize)
    {
        _session = session;
        _tokenizer = tokenizer;
        _inputNames = inputs;
        _outputNames = [output];
        MaxTokens = maxTokens;
    }

    /// <summary>Longest input in tokens, [CLS] and [SEP] included; longer input is truncated.</summary>
    public int MaxTokens { get; }

    public static OnnxEmbeddingGenerator Create(OnnxModelFiles files, string modelId, int batchSize = 32)
    {
        var tokenizer = BertTokenizer.Create(files.VocabularyPath, new BertOptions { LowerCaseBeforeTokenization = files.LowerCase });
        var session = new InferenceSession(files.ModelPath);
        try
        {
            foreach (var required in new[] { InputIds, AttentionMask })
            {
                if (!session.InputMetadata.TryGetValue(required, out var input) || input.ElementDataType != TensorElementType.Int64)
                {
                    throw new InvalidOperationException($"{files.ModelPath} has no int64 input {required}; export it with input_ids and attention_mask.");
                }
            }

            string[] inputs = session.InputMetadata.ContainsKey(TokenTypeIds) ? [InputIds, AttentionMask, TokenTypeIds] : [InputIds, AttentionMask];
            var output = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputNames[0];
            var generator = new OnnxEmbeddingGenerator(session, tokenizer, inputs, output, HiddenSize(session, output, files.ModelPath), modelId, files.MaxTokens, batchSize);
            return generator;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public int CountTokens(string text) => Math.Min(_tokenizer.CountTokens(text) + 2, MaxTokens);

    /// <summary>Token ids as the model sees them: [CLS], the text's WordPiece ids (truncated), [SEP].</summary>
    public int[] Tokenize(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, MaxTokens - 2, addSpecialTokens: false, out _, out _);
        var result = new int[ids.Count + 2];
        result[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < ids.Count; i++)
        {
            result[i + 1] = ids[i];
        }

        result[^1] = _tokenizer.SeparatorTokenId;
        return result;
    }

    protected override ValueTask<BatchVectors> EmbedBatchAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        var tokens = new int[batch.Count][];
        var length = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = Tokenize(batch[i]);
            length = Math.Max(length, tokens[i].Length);
        }

        // Padded batch: ids and mask 0 after each text's end; segment ids all 0 (one sentence).
        var ids = new long[tokens.Length * length];
        var mask = new long[ids.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            for (var t = 0; t < tokens[i].Length; t++)
            {
                ids[i * length + t] = tokens[i][t];
                mask[i * length + t] = 1;
            }
        }

        long[] shape = [tokens.Length, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = _inputNames.Length > 2 ? OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape) : null;
        OrtValue[] values = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];

        using var run = new RunOptions();
        using var cancel = cancellationToken.Register(() => run.Terminate = true);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(run, _inputNames, values, _outputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        using (outputs)
        {
            return ValueTask.FromResult(new BatchVectors(Pool(outputs[0], mask, tokens.Length, length)));
        }
    }

    /// <summary>Mean of the token vectors the mask keeps (or the model's own pooled output), L2-normalised.</summary>
    private float[][] Pool(OrtValue output, long[] mask, int batch, int length)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var data = output.GetTensorDataAsSpan<float>();
        var vectors = new float[batch][];
        for (var i = 0; i < batch; i++)
        {
            var vector = new float[Dimensions];
            if (shape.Length == 2)
            {
                data.Slice(i * Dimensions, Dimensions).CopyTo(vector);
            }
            else
            {
                var kept = 0;
                for (var t = 0; t < length; t++)
                {
                    if (mask[i * length + t] != 0)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(vector, data.Slice((i * length + t) * Dimensions, Dimensions), vector);
                        kept++;
                    }
                }

                System.Numerics.Tensors.TensorPrimitives.Divide(vector, kept, vector);
            }

            vectors[i] = UnitVectors.TryNormalize(vector) ? vector : throw new InvalidOperationException($"{ModelId} produced a zero or non-finite vector.");
        }

        return vectors;
    }

    private static int HiddenSize(InferenceSession session, string output, string path)
    {
        var dimensions = session.OutputMetadata[output].Dimensions;
        return dimensions.Length is 2 or 3 && dimensions[^1] > 0
            ? dimensions[^1]
            : throw new InvalidOperationException($"{path}: output {output} must be [batch, tokens, hidden] or [batch, hidden] with a fixed hidden size.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.Dispose();
        }

        base.Dispose(disposing);
    }
}
