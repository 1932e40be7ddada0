using System.Diagnostics;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// One connection's refusals: logged at a bounded rate (the first <see cref="Hj212Options.RefusalsLogged"/>
/// of each <see cref="Hj212Options.RefusalLogInterval"/>, then one line with how many more there were),
/// and the run of refused frames and garbage bytes since the last good frame, which closes the
/// connection once it passes <see cref="Hj212Options.MaxRefusedRun"/> or <see cref="Hj212Options.MaxGarbageBytes"/>.
/// A logger sending bad frames at full speed once wrote 230,000 log lines a second. The meter counts
/// every refusal whatever is logged. Not thread-safe: one per connection, used by its read loop.
/// </summary>
public sealed class RefusalGuard(Hj212Options options)
{
    private int _run;
    private long _garbage;
    private int _logged;
    private long _unlogged;
    private long _windowStart = Stopwatch.GetTimestamp();

    /// <summary>Refused frames in a row since the last good one.</summary>
    public int Run => _run;

    /// <summary>Garbage bytes since the last good frame.</summary>
    public long Garbage => _garbage;

    /// <summary>A frame refused (malformed, unauthenticated). Returns whether to log it.</summary>
    public bool Refused()
    {
        _run++;
        return ShouldLog();
    }

    /// <summary>Bytes skipped that were not part of any frame.</summary>
    public void Skipped(long bytes) => _garbage += bytes;

    /// <summary>A frame that was accepted: the run starts again.</summary>
    public void Accepted()
    {
        _run = 0;
        _garbage = 0;
    }

    /// <summary>Whether the connection has sent too much that was refused: it is closed.</summary>
    public bool Exhausted => _run >= options.MaxRefusedRun || _garbage >= options.MaxGarbageBytes;

    /// <summary>Whether a line about a refusal (or another warning of this connection) may be written now.</summary>
    public bool ShouldLog()
    {
        if (Stopwatch.GetElapsedTime(_windowStart) > options.RefusalLogInterval)
        {
            _windowStart = Stopwatch.GetTimestamp();
            _logged = 0;
        }
        if (_logged < options.RefusalsLogged)
        {
            _logged++;
            return true;
        }
        _unlogged++;
        return false;
    }

    /// <summary>The lines not written since the last call, once an interval has passed since the first of them (or at the end: <paramref name="now"/>).</summary>
    public long TakeUnlogged(bool now = false)
    {
        if (_unlogged == 0 || !now && Stopwatch.GetElapsedTime(_windowStart) <= options.RefusalLogInterval) return 0;
        var n = _unlogged;
        _unlogged = 0;
        return n;
    }
}
