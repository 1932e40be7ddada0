namespace Zongliang.Hj212;

/// <summary>
/// Reads frames from a stream (a logger's socket, a capture file) with the framer: split reads,
/// several frames per read and garbage between them are all handled; rejected frames are skipped.
/// For clients and tools; the listener itself reads from a pipe.
/// </summary>
public sealed class Hj212StreamReader(Stream stream, int maxDataLength = Hj212Framer.StandardMaxDataLength)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    /// <summary>The next well-formed frame, parsed (leniently); null at the end of the stream.</summary>
    public async Task<Hj212Packet?> ReadPacketAsync(CancellationToken ct = default)
    {
        while (true)
        {
            while (_end > _start)
            {
                var r = Hj212Framer.Read(_buffer.AsSpan(_start, _end - _start), maxDataLength);
                if (r.Status == FrameStatus.NeedMoreData)
                {
                    _start += r.Consumed;
                    break;
                }
                var packet = r.Status == FrameStatus.Frame
                    ? Hj212Parser.ParseSegment(_buffer.AsSpan(_start + r.DataStart, r.DataLength)).Packet
                    : null;
                _start += r.Consumed;
                if (packet is not null) return packet;
            }
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                (_end, _start) = (_end - _start, 0);
            }
            if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (n == 0) return null;
            _end += n;
        }
    }
}
