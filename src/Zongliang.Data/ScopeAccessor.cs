using Zongliang.Domain.Access;

namespace Zongliang.Data;

/// <summary>
/// Holds the access scope of the current unit of work. The web host sets it from the signed-in user
/// (one middleware); command-line tools and background jobs set <see cref="AccessScope.System"/>.
/// It starts as <see cref="AccessScope.Nobody"/>, so a forgotten assignment shows nothing.
/// </summary>
public sealed class ScopeAccessor
{
    public AccessScope Scope { get; set; } = AccessScope.Nobody;
}

/// <summary>A write outside the user's scope. The web host turns it into 403.</summary>
public sealed class ScopeViolationException(string message) : InvalidOperationException(message);
