namespace Zongliang.Domain.Common;

/// <summary>
/// The result of a state change that may be refused for a business reason. Refusals are expected
/// outcomes (a user tried an illegal move), so they are values with a Chinese message for the UI,
/// not exceptions.
/// </summary>
public readonly record struct Outcome(bool Succeeded, string? Error, string? Field = null)
{
    public static Outcome Ok() => new(true, null);

    public static Outcome Refuse(string error, string? field = null) => new(false, error, field);
}
