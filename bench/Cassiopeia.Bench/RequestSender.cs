using System.Net;
using System.Text;

namespace Cassiopeia.Bench;

/// <summary>One request of a load run; null on a 2xx answer, else the status code or exception type.</summary>
public interface IRequestSender
{
    Task<string?> SendAsync(CancellationToken ct);
}

/// <summary>Sends the configured request over a pooled HTTP/1.1 client; an answer is an error unless 2xx.</summary>
public sealed class RequestSender : IRequestSender, IDisposable
{
    private readonly BenchOptions _options;
    private readonly HttpClient _client;
    private readonly byte[]? _body;
    private long _sent;

    public RequestSender(BenchOptions options)
    {
        _options = options;
        _body = options.Body is null ? null : Encoding.UTF8.GetBytes(options.Body);
        var handler = BenchHttp.Handler(options.Connections, TimeSpan.FromSeconds(5));
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Sends once; returns null on a 2xx answer, else the status code or exception type.</summary>
    public async Task<string?> SendAsync(CancellationToken ct)
    {
        var url = _options.Urls.Count > 1 ? _options.Urls[(int)((Interlocked.Increment(ref _sent) - 1) % _options.Urls.Count)] : _options.Url;
        using var request = new HttpRequestMessage(_options.Method, url) { Version = HttpVersion.Version11 };
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_body is not null)
        {
            request.Content = new ByteArrayContent(_body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", _options.ContentType);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await response.Content.CopyToAsync(Stream.Null, ct);
            return response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return e.GetType().Name;
        }
    }

    public void Dispose() => _client.Dispose();
}
