using Vigil.Remote;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Remote;

/// <summary>The enroll secret: trimmed from its file, which root must own and no one else may read; or from the environment.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EnrollSecretTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-secret-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RootFact]
    public void AFileOthersCanRead_IsRefused_A0600One_IsReadTrimmed()
    {
        var path = Path.Combine(_dir, "secret");
        File.WriteAllText(path, "  s3cret\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var settings = new RemoteSettings { EnrollSecretPath = path };
        var refusal = Assert.Throws<RemoteException>(() => EnrollSecret.Read(settings)).Message;
        Assert.Equal($"refusing --enroll_secret_path {path}: it is readable by others (mode 0644); make it 0600 or 0400, owned by root", refusal);
        Assert.DoesNotContain("s3cret", refusal, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Equal($"refusing --enroll_secret_path {path}: it is readable by its group (mode 0640); make it 0600 or 0400, owned by root",
            Assert.Throws<RemoteException>(() => EnrollSecret.Read(settings)).Message);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("s3cret", EnrollSecret.Read(settings));
    }

    [Fact]
    public void TheEnvironmentVariable_IsUsed_WithoutAFile()
    {
        Environment.SetEnvironmentVariable("VIGIL_TEST_ENROLL_SECRET", "from-env");
        Assert.Equal("from-env", EnrollSecret.Read(new RemoteSettings { EnrollSecretEnv = "VIGIL_TEST_ENROLL_SECRET" }));
        Assert.Equal("--enroll_secret_env=VIGIL_TEST_NO_SUCH_VARIABLE: the variable is not set",
            Assert.Throws<RemoteException>(() => EnrollSecret.Read(new RemoteSettings { EnrollSecretEnv = "VIGIL_TEST_NO_SUCH_VARIABLE" })).Message);
    }
}
