using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using System.Net;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Registry;
using Zongliang.Hj212;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// One data logger's TCP connection (HJ 212-2017 §6). Reads frames from the pipe, authenticates the
/// device by MN and PW, hands data to the store and answers only after it is durable (9014), answers
/// time requests (1013 → 9013 and 1012). Malformed input is logged and skipped; it never ends the
/// server. Memory per connection is bounded by one capped frame; time by the idle and frame timeouts.
/// </summary>
public sealed class Hj212ConnectionHandler(
    IngestQueue queue, DeviceDirectory devices, AuthThrottle throttle, SplitMessages splits, ClockFaultRecorder clockFaults,
    IOptions<Hj212Options> options, TimeProvider clock, IngestMetrics metrics, ILogger<Hj212ConnectionHandler> log) : ConnectionHandler
{
    /// <summary>What one connection keeps between its frames.</summary>
    private sealed class Connection(ConnectionContext context, string peer, IPAddress? address, RefusalGuard guard, ChannelWriter<Pending> answers)
    {
        public ConnectionContext Context { get; } = context;
        public string Peer { get; } = peer;
        public IPAddress? Address { get; } = address;
        public RefusalGuard Guard { get; } = guard;
        public ChannelWriter<Pending> Answers { get; } = answers;
        /// <summary>When this connection's logger was last sent a 1012 for a clock fault (at most one a minute).</summary>
        public DateTime ClockSetAt { get; set; } = DateTime.MinValue;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var peer = connection.RemoteEndPoint?.ToString() ?? "?";
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (throttle.IsBlocked(address))
        {
            log.LogDebug("HJ 212 connection from {Peer} refused: too many unknown MNs from its address", peer);
            metrics.Refused("throttled");
            return;
        }
        var o = options.Value;
        var input = connection.Transport.Input;
        DateTime? partialSince = null;
        // Frames are stored while the next ones are read; their answers go out in order from here.
        var answers = Channel.CreateBounded<Pending>(new BoundedChannelOptions(PipelineDepth) { SingleReader = true, SingleWriter = true });
        var answering = AnswerLoopAsync(connection, peer, answers.Reader);
        var state = new Connection(connection, peer, address, new RefusalGuard(o), answers.Writer);
        // One timer, set before each read and stopped after it (a new one per read cost a linked token
        // source and a timer for every frame). Only waiting for the logger counts, not storing its frames.
        var idle = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        try
        {
            while (true)
            {
                if (idle.IsCancellationRequested)
                {
                    // It went off just as the last read completed.
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
                }
                var wait = partialSince is { } since ? o.FrameTimeout - (clock.GetUtcNow().UtcDateTime - since) : o.IdleTimeout;
                idle.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1));
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!connection.ConnectionClosed.IsCancellationRequested)
                {
                    log.LogInformation("HJ 212 connection {Peer} closed: {Reason}", peer, partialSince is null ? "idle" : "frame not completed in time");
                    return;
                }
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                try
                {
                    while (true)
                    {
                        var frame = Hj212Framer.Read(buffer, o.MaxDataLength, out _);
                        if (frame.Status == FrameStatus.NeedMoreData)
                        {
                            state.Guard.Skipped(frame.FrameStart >= 0 ? frame.FrameStart : frame.Consumed);
                            var examined = buffer.Length;
                            buffer = buffer.Slice(frame.Consumed);
                            consumed = buffer.Start;
                            partialSince = frame.FrameStart >= 0 ? partialSince ?? clock.GetUtcNow().UtcDateTime : null;
                            if (state.Guard.Exhausted) { Closed(state, "garbage"); return; }
                            // Garbage longer than the framer's window: it skipped one window of it; the rest is
                            // in the buffer already and must be looked at now, not after the next read.
                            if (frame.FrameStart < 0 && frame.Consumed > 0 && buffer.Length > 1 && buffer.Length < examined) continue;
                            break;
                        }
                        partialSince = null;
                        state.Guard.Skipped(frame.FrameStart);
                        if (frame.Status == FrameStatus.Rejected)
                        {
                            if (state.Guard.Refused()) log.LogWarning("HJ 212 frame from {Peer} rejected: {Error}", peer, frame.Error);
                            metrics.Refused("frame");
                        }
                        else
                        {
                            // One copy of the frame: it is archived as it is, and its data segment is parsed in place.
                            var raw = buffer.Slice(frame.FrameStart, frame.Consumed - frame.FrameStart).ToArray();
                            var data = new ReadOnlyMemory<byte>(raw, frame.DataStart - frame.FrameStart, frame.DataLength);
                            if (!await HandleAsync(state, raw, data, frame.Warnings)) return;
                        }
                        if (state.Guard.Exhausted) { Closed(state, "refused"); return; }
                        LogUnlogged(state, final: false);
                        buffer = buffer.Slice(frame.Consumed);
                        consumed = buffer.Start;
                    }
                }
                finally
                {
                    input.AdvanceTo(consumed, result.Buffer.End);
                }
                if (result.IsCompleted || result.IsCanceled) return;
            }
        }
        catch (ConnectionResetException)
        {
            log.LogInformation("HJ 212 connection {Peer} reset", peer);
        }
        catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
        {
        }
        finally
        {
            idle.Dispose();
            answers.Writer.TryComplete();
            await answering;
            LogUnlogged(state, final: true);
        }
    }

    /// <summary>Closes a connection that sent too much that was refused; the logger may connect again.</summary>
    private void Closed(Connection c, string what)
    {
        log.LogWarning("HJ 212 connection {Peer} closed: {Frames} refused frames in a row, {Bytes} bytes of garbage since the last good frame ({What})",
            c.Peer, c.Guard.Run, c.Guard.Garbage, what);
        metrics.Closed(what);
    }

    private void LogUnlogged(Connection c, bool final)
    {
        var n = c.Guard.TakeUnlogged(final);
        if (n > 0) log.LogWarning("HJ 212 connection {Peer}: {Count} more refusals and warnings not logged one by one", c.Peer, n);
    }

    /// <summary>Most frames of one connection being stored at once; more wait in the socket.</summary>
    private const int PipelineDepth = 16;

    /// <summary>
    /// A frame on its way: the store's promise (null when nothing is stored) and the answers to send
    /// after it. Only the MN is kept, not the parsed packet: thousands of frames wait here at once.
    /// </summary>
    private sealed record Pending(Task<IngestOutcome>? Stored, string Mn, byte[][] Answers, long Arrived);

    private async Task AnswerLoopAsync(ConnectionContext connection, string peer, ChannelReader<Pending> pending)
    {
        var output = connection.Transport.Output;
        try
        {
            await foreach (var p in pending.ReadAllAsync())
            {
                if (p.Stored is not null)
                {
                    try
                    {
                        await p.Stored;
                    }
                    catch (Exception ex)
                    {
                        // Not durable: no answer, so the logger sends it again.
                        log.LogWarning("HJ 212 packet from {Peer} MN {Mn} not stored: {Error}", peer, p.Mn, ex.Message);
                        continue;
                    }
                }
                if (p.Stored is not null && p.Answers.Length > 0) metrics.Answered(p.Arrived);
                foreach (var answer in p.Answers) output.Write(answer);
                // One flush (one write to the socket) for all answers that are ready.
                if (!pending.TryPeek(out var next) || next.Stored is { IsCompleted: false })
                    await output.FlushAsync(connection.ConnectionClosed);
            }
            await output.FlushAsync(connection.ConnectionClosed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionResetException or InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// Whether a 1011 upload shows the logger's clock further off than <see cref="Hj212Options.ClockTolerance"/>
    /// (see <see cref="LoggerClock"/>); false when the time cannot be read.
    /// </summary>
    private bool ClockOff(Hj212Packet? upload, DateTime nowUtc, int deviceId)
    {
        if (LoggerClock.Offset(upload, nowUtc) is not { } off || !LoggerClock.IsSetAt(off, options.Value.ClockTolerance)) return false;
        log.LogWarning("HJ 212 device {Device} (MN {Mn}) reports its clock {Seconds:F0} s off the platform's; it is set (1012)",
            deviceId, upload!.Mn, off.TotalSeconds);
        return true;
    }

    /// <summary>Handles one well-framed packet. Returns false when the connection is to be closed.</summary>
    private async Task<bool> HandleAsync(Connection c, byte[] raw, ReadOnlyMemory<byte> data, Hj212Warnings framing)
    {
        var ct = c.Context.ConnectionClosed;
        var (peer, answers) = (c.Peer, c.Answers);
        var arrived = Stopwatch.GetTimestamp();
        var parsed = Hj212Parser.ParseSegment(data.Span, Hj212Mode.Lenient, framing);
        if (!parsed.Ok)
        {
            if (c.Guard.Refused()) log.LogWarning("HJ 212 packet from {Peer} rejected: {Error}", peer, parsed.Error);
            metrics.Refused("packet");
            return true;
        }
        var packet = parsed.Packet!;
        if (parsed.Warnings != Hj212Warnings.None && log.IsEnabled(LogLevel.Debug))
            log.LogDebug("HJ 212 packet from {Peer} MN {Mn} accepted with deviations: {Warnings}", peer, packet.Mn, string.Join(",", Hj212WarningText.Names(parsed.Warnings)));
        if (!splits.Acceptable(packet))
        {
            if (c.Guard.Refused())
                log.LogWarning("HJ 212 packet from {Peer} MN {Mn} rejected: part {No} of {Count}, more than {Max} parts or out of range", peer, packet.Mn, packet.PNo, packet.PNum, options.Value.MaxPacketParts);
            metrics.Refused("packet");
            return true;
        }

        var device = await devices.FindAsync(packet.Mn, ct);
        var blocked = device is not null && throttle.IsBlocked(device.Mn);
        var matches = device is not null && !blocked && PasswordMatches(device.AccessPassword, packet.Pw);
        if (device is not null && !blocked && !matches)
        {
            // A password changed a moment ago (a replaced logger): the registry is asked again before the frame is refused.
            device = await devices.FindFreshAsync(packet.Mn, ct);
            matches = device is not null && PasswordMatches(device.AccessPassword, packet.Pw);
        }
        var refusal = device switch
        {
            null => 4, // table 7: MN 错误
            _ when !matches => 3, // PW 错误 (or too many wrong ones lately: not checked again yet)
            { State: not DeviceState.Networked } => 2, // 请求被拒绝: not yet networked
            _ => 0,
        };
        if (refusal != 0)
        {
            var reason = refusal switch { 4 => "unknown MN", 2 => "device not networked", _ => "wrong PW" };
            if (c.Guard.Refused())
                log.LogWarning("HJ 212 packet from {Peer} MN {Mn} refused (QnRtn {Code}): {Reason}; not stored", peer, packet.Mn, refusal, reason);
            // A registered device with its right password that is not networked yet is no attack: it is not counted.
            if (refusal == 4) throttle.RecordUnknownMn(c.Address);
            else if (refusal == 3) throttle.RecordWrongPassword(device!.Mn);
            metrics.Refused(refusal == 2 ? "not_networked" : "authentication");
            await answers.WriteAsync(new Pending(null, packet.Mn, packet.WantsAnswer ? [Hj212Writer.RequestAnswer(packet, refusal)] : [], arrived), ct);
            return !throttle.IsBlocked(c.Address);
        }
        c.Guard.Accepted();

        var now = IngestStore.StoredPrecision(clock.GetUtcNow().UtcDateTime);
        var whole = await splits.AddAsync(device!.DeviceId, packet, now, ct);
        var (readings, dataTimeUtc, clockFault) = Readings(c, whole, device, now);
        // CN has four digits (table 9); a lenient parse may give more, which the archive's column cannot hold.
        var cn = (short)Math.Clamp(packet.CommandCode, -1, short.MaxValue);
        var record = new IngestRecord(device.DeviceId, device.OutletId, peer, now, raw, cn, dataTimeUtc, readings);
        var stored = queue.StoreAsync(record, ct, arrived);

        // HJ 212-2017 Appendix C: an upload that asks for an answer gets 9014, sent once the packet is durable.
        byte[][] replies;
        if (packet.CommandCode == 1013)
            // Time calibration request (table 9): answer the notice, then set the site's clock.
            replies = [Hj212Writer.NoticeAnswer(packet), Hj212Writer.SetTime(packet, BeijingTime.FromUtc(now), whole?.Field("PolId"))];
        else if (packet.WantsAnswer && packet.CommandCode is not (9011 or 9012 or 9013 or 9014))
            replies = [Hj212Writer.DataAnswer(packet)];
        else
            replies = [];
        if (packet.CommandCode == 1011 && ClockOff(whole, now, device.DeviceId) || clockFault && now - c.ClockSetAt >= ClockFaultResetInterval)
        {
            // The logger's clock is off (its 1011 upload says so, or its data carry impossible times): set it, after any answer.
            replies = [.. replies, Hj212Writer.SetTime(packet, BeijingTime.FromUtc(now), whole?.Field("PolId"))];
            if (clockFault) c.ClockSetAt = now;
        }
        await answers.WriteAsync(new Pending(stored, packet.Mn, replies, arrived), ct);
        return true;
    }

    /// <summary>A logger whose data carry impossible times is sent a 1012 at most this often per connection.</summary>
    private static readonly TimeSpan ClockFaultResetInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The readings of a whole message, if its DataTime is plausible (<see cref="DataTimeWindow"/>) and its
    /// values are numbers. Otherwise the frame is still archived and answered, and what was kept out is
    /// counted, logged at a bounded rate and, for a clock fault, recorded for the device page.
    /// </summary>
    private (IReadOnlyList<Reading> Readings, DateTime? DataTimeUtc, bool ClockFault) Readings(Connection c, Hj212Packet? whole, DeviceEntry device, DateTime now)
    {
        if (whole is null) return ([], null, false);
        if (ReadingMapper.KindOf(whole.CommandCode) is null) return ([], ReadingMapper.DataTimeUtc(whole), false);
        var verdict = Window.Judge(whole.DataTime, now, device.RegisteredAtUtc);
        if (verdict != DataTimeVerdict.Plausible)
        {
            var reason = verdict switch
            {
                DataTimeVerdict.Missing => "datatime_missing",
                DataTimeVerdict.Future => "datatime_future",
                DataTimeVerdict.BeforeRegistration => "datatime_before_registration",
                _ => "datatime_too_old",
            };
            metrics.Withheld(reason);
            if (c.Guard.ShouldLog())
                log.LogWarning("HJ 212 packet from {Peer} MN {Mn} (CN {Cn}): DataTime {DataTime} kept out of the readings ({Reason}); archived and answered",
                    c.Peer, whole.Mn, whole.Cn, whole.DataTime?.ToString("yyyy-MM-dd HH:mm:ss") ?? "(none)", reason);
            if (verdict == DataTimeVerdict.Missing) return ([], null, false);
            clockFaults.Record(device.DeviceId, now, whole.DataTime, verdict);
            return ([], null, true);
        }
        var unreadable = ReadingMapper.Unreadable(whole);
        if (unreadable > 0)
        {
            metrics.Withheld("not_a_number");
            if (c.Guard.ShouldLog())
                log.LogWarning("HJ 212 packet from {Peer} MN {Mn} (CN {Cn}): {Count} factors with values that are not finite numbers kept out of the readings (not_a_number)",
                    c.Peer, whole.Mn, whole.Cn, unreadable);
        }
        return (ReadingMapper.Map(whole), ReadingMapper.DataTimeUtc(whole), false);
    }

    /// <summary>The window of plausible DataTimes, from the options (read once: they are bound at start-up).</summary>
    private DataTimeWindow Window => _window ??= new DataTimeWindow(options.Value.DataTimeAhead, options.Value.DataTimeMaxAge);
    private DataTimeWindow? _window;

    /// <summary>
    /// The access password compared in constant time, so that the time of a refusal does not tell how much of
    /// a guess was right. It compares the strings' UTF-16 bytes in place: nothing is allocated per frame.
    /// </summary>
    private static bool PasswordMatches(string expected, string sent) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(sent.AsSpan()));
}
