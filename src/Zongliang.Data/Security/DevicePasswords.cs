using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Zongliang.Data.Security;

/// <summary>
/// Device access passwords (PW) encrypted at rest with AES-GCM, so that a dump of the database does not
/// reveal them. Not hashed: a platform that forwards data to the upper level's platform logs in there with
/// the clear value. The key is <c>Security:DevicePasswordKey</c> (32 bytes, base64); without it, a key file
/// (<c>Security:DevicePasswordKeyFile</c>, by default device-passwords.key in the database's data folder)
/// is created on first use. Stored values read "enc1:" + base64(nonce | tag | ciphertext); a value without
/// the prefix is a password stored before encryption, read as it is and encrypted at start-up
/// (<see cref="DatabaseInitializer"/>). One key per process: EF Core's mapping calls these methods.
/// </summary>
public static class DevicePasswords
{
    public const string Prefix = "enc1:";
    private const int NonceSize = 12, TagSize = 16;

    private static byte[]? _key;

    /// <summary>The stored form's longest length for a password of up to 6 characters (the column holds more).</summary>
    public const int StoredLength = 128;

    /// <summary>Puts the configured key in force (the data services do it when they are registered).</summary>
    public static void Configure(IConfiguration config, DatabaseSettings settings)
    {
        if (config["Security:DevicePasswordKey"] is { Length: > 0 } text)
        {
            _key = ConfiguredKey(text);
            return;
        }
        var file = config["Security:DevicePasswordKeyFile"] is { Length: > 0 } f
            ? Path.GetFullPath(f)
            : Path.Combine(settings.DataDirectory ?? Path.GetFullPath(config["Database:DataDirectory"] ?? "data"), "device-passwords.key");
        _key = LoadOrCreate(file);
    }

    private static byte[] LoadOrCreate(string file)
    {
        if (File.Exists(file))
        {
            var key = Convert.FromBase64String(File.ReadAllText(file).Trim());
            if (key.Length != 32) throw new InvalidOperationException($"{file}: the device password key needs 32 bytes");
            return key;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var created = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(file, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(created)));
            return created;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it a moment ago.
            return LoadOrCreate(file);
        }
    }

    /// <summary>The key of Security:DevicePasswordKey: 32 bytes in base64, or a clear message.</summary>
    private static byte[] ConfiguredKey(string text)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Security:DevicePasswordKey is not base64; give 32 random bytes in base64 (e.g. `openssl rand -base64 32`).");
        }
        return key.Length == 32 ? key
            : throw new InvalidOperationException($"Security:DevicePasswordKey has {key.Length} bytes; it needs 32 (base64 of 32 random bytes).");
    }

    // A context built without the data services (a tool, a test) takes the key from the environment.
    private static byte[] Key => _key ??= Environment.GetEnvironmentVariable("Security__DevicePasswordKey") is { Length: > 0 } fromEnvironment
        ? ConfiguredKey(fromEnvironment)
        : throw new InvalidOperationException("The device password key is not configured (DevicePasswords.Configure)");

    public static bool IsProtected(string? stored) => stored?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public static string Protect(string password)
    {
        if (password.Length == 0 || IsProtected(password)) return password;
        var plain = Encoding.UTF8.GetBytes(password);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    public static string Unprotect(string stored)
    {
        if (!IsProtected(stored)) return stored;
        var sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(Key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>How a page shows a password once it is set: never in full.</summary>
    public static string Masked(string password) => password.Length == 0 ? "未设置" : $"已设置（{password.Length} 位）";
}
