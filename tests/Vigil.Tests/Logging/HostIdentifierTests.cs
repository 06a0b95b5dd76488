using Vigil.Logging;
using Xunit;

namespace Vigil.Tests.Logging;

public sealed class HostIdentifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-host-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void HostnameIsTheDefault()
    {
        Assert.Equal("web-01", HostIdentifier.Resolve("hostname", "", null, "web-01"));
        Assert.Equal("web-01", HostIdentifier.Resolve("hostname", "", "7c8e1f0e-3c5b-4b1e-9d1e-2f0a5b6c7d8e", "web-01"));
    }

    [Fact]
    public void InstanceIsTheDatabasesInstanceIdOnceItIsOpen()
    {
        Assert.Equal("7c8e1f0e-3c5b-4b1e-9d1e-2f0a5b6c7d8e", HostIdentifier.Resolve("instance", "", "7c8e1f0e-3c5b-4b1e-9d1e-2f0a5b6c7d8e", "web-01"));
        Assert.Equal("web-01", HostIdentifier.Resolve("instance", "", null, "web-01"));
    }

    [Fact]
    public void SpecifiedUsesTheFlagAndFallsBackToTheHostname()
    {
        Assert.Equal("my-id", HostIdentifier.Resolve("specified", "my-id", null, "web-01"));
        Assert.Equal("web-01", HostIdentifier.Resolve("specified", "", null, "web-01"));
    }

    [Fact]
    public void UuidPrefersTheHardwareUuid()
    {
        string product = Write("product_uuid", "4C4C4544-0042-3510-8052-B4C04F4E4E32\n");
        string machine = Write("machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");

        Assert.Equal("4C4C4544-0042-3510-8052-B4C04F4E4E32", HostIdentifier.Resolve("uuid", "", null, "web-01", product, machine));
    }

    [Fact]
    public void UuidFallsBackToTheMachineIdWhenTheHardwareUuidIsMissingOrAPlaceholder()
    {
        string placeholder = Write("product_uuid", "03000200-0400-0500-0006-000700080009\n");
        string machine = Write("machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");

        Assert.Equal("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", HostIdentifier.Resolve("uuid", "", null, "web-01", placeholder, machine));
        Assert.Equal("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", HostIdentifier.Resolve("uuid", "", null, "web-01", Path.Combine(_dir, "absent"), machine));
        Assert.Equal("web-01", HostIdentifier.Resolve("uuid", "", null, "web-01", Path.Combine(_dir, "absent"), Path.Combine(_dir, "absent")));
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
