using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContextDiffusion.Scheduler.Quartz;

/// <summary>
/// Quartz logs through one process-wide provider, but a host's logger factory dies with its host: with several
/// hosts in a process (tests) Quartz would keep logging into a disposed factory and its firing loop would fail.
/// Quartz is given this factory once instead; it forwards to the factory of the newest host still running.
/// </summary>
public static class QuartzLogging
{
    private static readonly object Gate = new();
    private static readonly List<ILoggerFactory> Hosts = [];
    private static bool attached;

    public static void Attach(ILoggerFactory host)
    {
        lock (Gate)
        {
            Hosts.Add(host);
            if (attached) return;
            global::Quartz.Logging.LogContext.SetCurrentLogProvider(new ForwardingFactory());
            attached = true;
        }
    }

    public static void Detach(ILoggerFactory host)
    {
        lock (Gate) Hosts.Remove(host);
    }

    private static ILoggerFactory? Current
    {
        get
        {
            lock (Gate) return Hosts.Count == 0 ? null : Hosts[^1];
        }
    }

    private sealed class ForwardingFactory : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new ForwardingLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Quartz's loggers forward to the hosts' factories");

        public void Dispose()
        {
        }
    }

    /// <summary>Resolves its host's logger on each call, one per factory, so a replaced host is never written to.</summary>
    private sealed class ForwardingLogger(string category) : ILogger
    {
        private readonly ConcurrentDictionary<ILoggerFactory, ILogger> loggers = new();

        private ILogger Target => Current is { } factory ? loggers.GetOrAdd(factory, f => f.CreateLogger(category)) : NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Target.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Target.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Target.Log(logLevel, eventId, state, exception, formatter);
    }
}
