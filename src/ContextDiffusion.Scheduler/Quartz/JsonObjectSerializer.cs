using System.Collections.Specialized;
using System.Text.Json;
using Quartz;
using Quartz.Spi;

namespace ContextDiffusion.Scheduler.Quartz;

/// <summary>
/// Stores Quartz's job data maps as JSON. Quartz's own binary serializer throws on .NET 10 and its JSON
/// serializers are separate packages that the registry lacks. Our jobs keep only strings in their data maps
/// (a schedule's name, an attempt number), so a string dictionary is the whole format; anything else
/// (calendars, objects) is refused with a message saying so rather than stored in a form nothing can read.
/// </summary>
public sealed class JsonObjectSerializer : IObjectSerializer
{
    public void Initialize()
    {
    }

    public byte[] Serialize<T>(T obj) where T : class => obj switch
    {
        JobDataMap map => JsonSerializer.SerializeToUtf8Bytes(map.ToDictionary(e => e.Key, e => AsString(e.Key, e.Value))),
        NameValueCollection values => JsonSerializer.SerializeToUtf8Bytes(values.AllKeys.ToDictionary(k => k!, k => values[k])),
        _ => throw new NotSupportedException($"the scheduler stores job data as strings only; cannot store a {obj.GetType().Name}"),
    };

    public T? DeSerialize<T>(byte[] data) where T : class
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [];
        if (typeof(T).IsAssignableFrom(typeof(JobDataMap)))
        {
            var map = new JobDataMap();
            foreach (var (key, value) in values) map[key] = value!;
            return (T)(object)map;
        }
        if (typeof(T).IsAssignableFrom(typeof(NameValueCollection)))
        {
            var collection = new NameValueCollection();
            foreach (var (key, value) in values) collection[key] = value;
            return (T)(object)collection;
        }
        throw new NotSupportedException($"the scheduler reads job data as strings only; cannot read a {typeof(T).Name}");
    }

    private static string? AsString(string key, object? value) => value switch
    {
        null => null,
        string text => text,
        _ => throw new NotSupportedException($"job data '{key}' is a {value.GetType().Name}; the scheduler stores strings only"),
    };
}
