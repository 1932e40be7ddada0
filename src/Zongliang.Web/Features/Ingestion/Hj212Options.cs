using System.ComponentModel.DataAnnotations;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>The HJ 212 listener (section "Hj212"), bound and validated at start-up.</summary>
public sealed class Hj212Options
{
    public const string Section = "Hj212";

    public bool Enabled { get; set; } = true;

    /// <summary>Address to listen on: 127.0.0.1 by default; 0.0.0.0 where loggers connect from the network.</summary>
    [Required] public string Address { get; set; } = "127.0.0.1";

    [Range(0, 65535)] public int Port { get; set; } = 5212;

    /// <summary>Cap on a frame's data segment; the standard's is 1024 (table 2), loggers sometimes send more.</summary>
    [Range(64, 9999)] public int MaxDataLength { get; set; } = 4096;

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A frame begun ("##" received) must be complete within this time (slow senders are cut off).</summary>
    public TimeSpan FrameTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames waiting to be stored, for all connections together; when full, reading from sockets waits.</summary>
    [Range(1, 1_000_000)] public int QueueCapacity { get; set; } = 20_000;

    /// <summary>
    /// Transactions written at once, each for its own share of the devices (a device's frames always
    /// go to the same writer, so its archive chain stays in order). 0: one on SQLite, which has one
    /// writer at a time; two on PostgreSQL.
    /// </summary>
    [Range(0, 16)] public int Writers { get; set; }

    /// <summary>
    /// A writer begins a batch at most this often, unless a full batch is waiting: frames that come in the
    /// meantime join it. Each transaction costs the database a fixed amount besides its rows (planning,
    /// the commit, the connection's reset), and without a pause a writer under moderate load wrote a
    /// transaction every few milliseconds for a couple of dozen frames each.
    /// </summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Most frames written in one transaction.</summary>
    [Range(1, 100_000)] public int BatchSize { get; set; } = 10_000;

    /// <summary>Wrong passwords for one MN, within <see cref="ThrottleWindow"/>, before that MN is refused for that long (other loggers behind the same address are not).</summary>
    [Range(1, 1000)] public int AuthFailuresAllowed { get; set; } = 5;

    /// <summary>
    /// Unknown MNs from one address within <see cref="ThrottleWindow"/> before the address is refused for
    /// that long. Much higher than the bound per MN: many loggers share an address behind a carrier's NAT
    /// or a DTU concentrator, and a logger installed before its registration sends an unknown MN.
    /// </summary>
    [Range(1, 100_000)] public int UnknownMnsPerAddress { get; set; } = 200;

    public TimeSpan ThrottleWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A logger that reports its clock (1011 upload) further off the platform's than this gets its clock
    /// set (1012), and the difference is logged. Minute data is stamped by the logger's clock.
    /// </summary>
    public TimeSpan ClockTolerance { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A data packet's DataTime may be at most this far ahead of the platform's clock; later ones are a
    /// clock fault (archived and answered, kept out of the readings). A platform default, not the standard's.
    /// </summary>
    public TimeSpan DataTimeAhead { get; set; } = Domain.Monitoring.DataTimeWindow.DefaultAhead;

    /// <summary>
    /// A data packet's DataTime may be at most this far back (and never before the device's registration):
    /// a logger resending weeks of stored history is still stored, one whose clock battery was reset
    /// (2000-01-01) is not. A platform default, not the standard's.
    /// </summary>
    public TimeSpan DataTimeMaxAge { get; set; } = Domain.Monitoring.DataTimeWindow.DefaultMaxAge;

    /// <summary>Most parts (PNUM) a split message may have; a part announcing more is refused (each pending part is held in memory).</summary>
    [Range(1, 10_000)] public int MaxPacketParts { get; set; } = 100;

    /// <summary>Refusals (and other warnings) of one connection written to the log per <see cref="RefusalLogInterval"/>; the rest are counted in one line.</summary>
    [Range(0, 10_000)] public int RefusalsLogged { get; set; } = 5;

    public TimeSpan RefusalLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Refused frames in a row after which a connection is closed (a logger that is reconfigured reconnects).</summary>
    [Range(1, 1_000_000)] public int MaxRefusedRun { get; set; } = 100;

    /// <summary>Bytes of garbage (outside any frame) since the last good frame after which a connection is closed.</summary>
    [Range(1024, int.MaxValue)] public int MaxGarbageBytes { get; set; } = 256 * 1024;

    /// <summary>A device not heard from for this long is offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the device list (MN, PW, lifecycle state) is reloaded from the registry (a wrong PW or an unknown MN reloads it at once, at most every 5 s).</summary>
    public TimeSpan DirectoryRefresh { get; set; } = TimeSpan.FromSeconds(10);
}
