using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;
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
    IngestQueue queue, DeviceDirectory devices, AuthThrottle throttle, IOptions<Hj212Options> options, TimeProvider clock,
    IngestMetrics metrics, ILogger<Hj212ConnectionHandler> log) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var peer = connection.RemoteEndPoint?.ToString() ?? "?";
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (throttle.IsBlocked(address))
        {
            log.LogWarning("HJ 212 connection from {Peer} refused: too many failed authentications", peer);
            return;
        }
        var o = options.Value;
        var input = connection.Transport.Input;
        var reassembler = new Hj212Reassembler();
        DateTime? partialSince = null;
        // Frames are stored while the next ones are read; their answers go out in order from here.
        var answers = Channel.CreateBounded<Pending>(new BoundedChannelOptions(PipelineDepth) { SingleReader = true, SingleWriter = true });
        var answering = AnswerLoopAsync(connection, peer, answers.Reader);
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
                            buffer = buffer.Slice(frame.Consumed);
                            consumed = buffer.Start;
                            partialSince = frame.FrameStart >= 0 ? partialSince ?? clock.GetUtcNow().UtcDateTime : null;
                            break;
                        }
                        partialSince = null;
                        if (frame.Status == FrameStatus.Rejected)
                        {
                            log.LogWarning("HJ 212 frame from {Peer} rejected: {Error}", peer, frame.Error);
                            metrics.Refused("frame");
                        }
                        else
                        {
                            // One copy of the frame: it is archived as it is, and its data segment is parsed in place.
                            var raw = buffer.Slice(frame.FrameStart, frame.Consumed - frame.FrameStart).ToArray();
                            var data = new ReadOnlyMemory<byte>(raw, frame.DataStart - frame.FrameStart, frame.DataLength);
                            if (!await HandleAsync(connection, peer, address, raw, data, frame.Warnings, reassembler, answers.Writer)) return;
                        }
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
        }
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
    private async Task<bool> HandleAsync(ConnectionContext connection, string peer, IPAddress? address, byte[] raw, ReadOnlyMemory<byte> data,
        Hj212Warnings framing, Hj212Reassembler reassembler, ChannelWriter<Pending> answers)
    {
        var ct = connection.ConnectionClosed;
        var arrived = Stopwatch.GetTimestamp();
        var parsed = Hj212Parser.ParseSegment(data.Span, Hj212Mode.Lenient, framing);
        if (!parsed.Ok)
        {
            log.LogWarning("HJ 212 packet from {Peer} rejected: {Error}", peer, parsed.Error);
            metrics.Refused("packet");
            return true;
        }
        var packet = parsed.Packet!;
        if (parsed.Warnings != Hj212Warnings.None && log.IsEnabled(LogLevel.Debug))
            log.LogDebug("HJ 212 packet from {Peer} MN {Mn} accepted with deviations: {Warnings}", peer, packet.Mn, string.Join(",", Hj212WarningText.Names(parsed.Warnings)));

        var device = await devices.FindAsync(packet.Mn, ct);
        var refusal = device switch
        {
            null => 4, // table 7: MN 错误
            { State: not DeviceState.Networked } => 2, // 请求被拒绝: not yet networked
            _ when !string.Equals(device.AccessPassword, packet.Pw, StringComparison.Ordinal) => 3, // PW 错误
            _ => 0,
        };
        if (refusal != 0)
        {
            log.LogWarning("HJ 212 packet from {Peer} MN {Mn} refused (QnRtn {Code}): {Reason}; not stored", peer, packet.Mn, refusal,
                refusal switch { 4 => "unknown MN", 2 => "device not networked", _ => "wrong PW" });
            throttle.RecordFailure(address);
            metrics.Refused("authentication");
            await answers.WriteAsync(new Pending(null, packet.Mn, packet.WantsAnswer ? [Hj212Writer.RequestAnswer(packet, refusal)] : [], arrived), ct);
            return !throttle.IsBlocked(address);
        }

        var now = IngestStore.StoredPrecision(clock.GetUtcNow().UtcDateTime);
        var whole = reassembler.Add(packet, now);
        var readings = whole is null ? [] : ReadingMapper.Map(whole);
        // CN has four digits (table 9); a lenient parse may give more, which the archive's column cannot hold.
        var cn = (short)Math.Clamp(packet.CommandCode, -1, short.MaxValue);
        var record = new IngestRecord(device!.DeviceId, device.OutletId, peer, now, raw, cn,
            whole is null ? null : ReadingMapper.DataTimeUtc(whole), readings);
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
        if (packet.CommandCode == 1011 && ClockOff(whole, now, device.DeviceId))
            // The logger's clock (1011 upload) is off: set it, after any answer to the upload.
            replies = [.. replies, Hj212Writer.SetTime(packet, BeijingTime.FromUtc(now), whole?.Field("PolId"))];
        await answers.WriteAsync(new Pending(stored, packet.Mn, replies, arrived), ct);
        return true;
    }

}
