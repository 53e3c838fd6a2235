using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Cassiopeia.UnitTests.Ai;

/// <summary>
/// Writes a tiny ONNX model in place of a transformer: <c>last_hidden_state = Gather(E, input_ids)</c>
/// with E a [vocabulary × hidden] initializer whose rows <see cref="Row"/> computes, so the test
/// knows the exact token vectors the embedder must pool. Field numbers are those of onnx.proto.
/// </summary>
public static class TinyOnnxModel
{
    public const int Hidden = 8;
    public const int VocabularySize = 30522;
    private const int Int64 = 7, Float = 1;

    public static float Value(int token, int dimension) => ((token * 31 + dimension * 17) % 101 - 50) / 25f + (dimension == 0 ? 3f : 0f);

    public static float[] Row(int token) => [.. Enumerable.Range(0, Hidden).Select(d => Value(token, d))];

    /// <summary>Writes model.onnx plus the real tokenizer files into a fresh folder and returns it.</summary>
    public static string CreateModelDirectory(bool withTokenTypeIds = true, string layout = "model.onnx")
    {
        var directory = Directory.CreateTempSubdirectory("cassiopeia-onnx-").FullName;
        var model = Path.Combine(directory, layout);
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.WriteAllBytes(model, Build(withTokenTypeIds));
        foreach (var file in new[] { "vocab.txt", "tokenizer_config.json" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "bert-uncased-wordpiece", file), Path.Combine(directory, file));
        }

        return directory;
    }

    public static byte[] Build(bool withTokenTypeIds)
    {
        var embeddings = new float[VocabularySize * Hidden];
        for (var token = 0; token < VocabularySize; token++)
        {
            for (var d = 0; d < Hidden; d++)
            {
                embeddings[token * Hidden + d] = Value(token, d);
            }
        }

        var gather = Message(m =>
        {
            m.String(1, "embeddings");
            m.String(1, "input_ids");
            m.String(2, "last_hidden_state");
            m.String(3, "lookup");
            m.String(4, "Gather");
            m.Message(5, Message(a => { a.String(1, "axis"); a.Varint(3, 0); a.Varint(20, 2); }));
        });
        var initializer = Message(t =>
        {
            t.Varint(1, VocabularySize);
            t.Varint(1, Hidden);
            t.Varint(2, Float);
            t.String(8, "embeddings");
            t.Bytes(9, MemoryMarshal.AsBytes(embeddings.AsSpan()).ToArray());
        });
        var graph = Message(g =>
        {
            g.Message(1, gather);
            g.String(2, "tiny-embedder");
            g.Message(5, initializer);
            g.Message(11, Tensor("input_ids", Int64, "batch", "sequence"));
            g.Message(11, Tensor("attention_mask", Int64, "batch", "sequence"));
            if (withTokenTypeIds)
            {
                g.Message(11, Tensor("token_type_ids", Int64, "batch", "sequence"));
            }

            g.Message(12, Tensor("last_hidden_state", Float, "batch", "sequence", Hidden));
        });
        return Message(model =>
        {
            model.Varint(1, 8);
            model.String(2, "cassiopeia-tests");
            model.Message(7, graph);
            model.Message(8, Message(o => { o.String(1, ""); o.Varint(2, 13); }));
        });
    }

    private static byte[] Tensor(string name, int elementType, params object[] dimensions) => Message(v =>
    {
        v.String(1, name);
        v.Message(2, Message(type => type.Message(1, Message(tensor =>
        {
            tensor.Varint(1, elementType);
            tensor.Message(2, Message(shape =>
            {
                foreach (var dimension in dimensions)
                {
                    shape.Message(1, Message(d =>
                    {
                        if (dimension is int size)
                        {
                            d.Varint(1, size);
                        }
                        else
                        {
                            d.String(2, (string)dimension);
                        }
                    }));
                }
            }));
        }))));
    });

    private static byte[] Message(Action<Writer> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        write(new Writer(output));
        output.Flush();
        return buffer.ToArray();
    }

    private readonly struct Writer(CodedOutputStream output)
    {
        public void Varint(int field, long value)
        {
            output.WriteTag(field, WireFormat.WireType.Varint);
            output.WriteInt64(value);
        }

        public void String(int field, string value)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(value);
        }

        public void Bytes(int field, byte[] value)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(value));
        }

        public void Message(int field, byte[] value) => Bytes(field, value);
    }
}
