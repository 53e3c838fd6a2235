using Microsoft.Extensions.Configuration;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// A configuration source the test changes while the application runs, as an operator changes a
/// settings file: <see cref="Set"/> reloads it and <c>IOptionsMonitor</c> sees the new values at once.
/// </summary>
public sealed class ReloadableSettings : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Set(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (key, value) in values)
        {
            Data[key] = value;
        }

        OnReload();
    }

    public void Clear()
    {
        Data.Clear();
        OnReload();
    }
}
