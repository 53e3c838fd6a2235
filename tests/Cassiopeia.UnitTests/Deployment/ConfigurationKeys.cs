using System.Collections;
using System.Reflection;
using Cassiopeia.Api;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>
/// Resolves <c>Section__Key__Sub</c> environment variable names against the application's options
/// classes: every public type with a <c>SectionName</c> constant is a section, and every further
/// segment must be a bindable property (or a collection index / dictionary key) of it.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>
    /// Keys the deployment artifacts already pass for parts of the scale-out profile that are not built
    /// yet. Once an options class with the section exists, the key is checked like every other one.
    /// </summary>
    public static readonly IReadOnlySet<string> Pending = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Redis__ConnectionString" };

    /// <summary>Section name (as in configuration, <c>:</c>-separated) → the options types bound to it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Type>> Sections { get; } = FindSections();

    public static bool IsPending(string name) =>
        Pending.Contains(name) && !Sections.ContainsKey(name.Split("__")[0]);

    /// <summary>Whether the environment variable name is a real configuration key of the application.</summary>
    public static bool Resolves(string name)
    {
        var segments = name.Split("__");
        // Longest section first: "Billing:Stripe" before "Billing".
        for (var length = segments.Length - 1; length >= 1; length--)
        {
            var section = string.Join(':', segments[..length]);
            if (Sections.TryGetValue(section, out var types) && types.Any(t => ResolvesIn(t, segments[length..])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Binds literal values to the options of their sections; a value that does not convert throws.</summary>
    public static void Bind(IReadOnlyDictionary<string, string> literalValues)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(literalValues.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value)))
            .Build();
        foreach (var (section, types) in Sections)
        {
            foreach (var type in types)
            {
                configuration.GetSection(section).Get(type);
            }
        }
    }

    private static bool ResolvesIn(Type type, string[] rest)
    {
        if (rest.Length == 0)
        {
            return IsLeaf(type);
        }

        var collection = ElementOf(type);
        if (collection is { } element)
        {
            var keyed = Dictionary(type) is not null;
            return (keyed || int.TryParse(rest[0], out _)) && ResolvesIn(element, rest[1..]);
        }

        var property = type.GetProperty(rest[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanRead: true } && (property.CanWrite || !IsLeaf(property.PropertyType)) && ResolvesIn(property.PropertyType, rest[1..]);
    }

    private static bool IsLeaf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal)
            || underlying == typeof(TimeSpan) || underlying == typeof(Uri) || underlying == typeof(DateTimeOffset) || underlying == typeof(Guid);
    }

    private static Type? ElementOf(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (Dictionary(type) is { } dictionary)
        {
            return dictionary.GetGenericArguments()[1];
        }

        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable is not null && typeof(IEnumerable).IsAssignableFrom(type) ? enumerable.GetGenericArguments()[0] : null;
    }

    private static Type? Dictionary(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        ?? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));

    private static Dictionary<string, IReadOnlyList<Type>> FindSections()
    {
        Assembly[] assemblies = [typeof(ProcessRoleOptions).Assembly, typeof(DatabaseOptions).Assembly, typeof(AuthOptions).Assembly];
        return assemblies.Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string) && !x.Type.IsAbstract)
            .GroupBy(x => (string)x.Field!.GetRawConstantValue()!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Type>)[.. g.Select(x => x.Type)], StringComparer.OrdinalIgnoreCase);
    }
}
