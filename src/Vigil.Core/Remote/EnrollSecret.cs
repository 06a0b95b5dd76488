using Vigil.Platform;

namespace Vigil.Remote;

/// <summary>
/// The enroll secret, from <c>--enroll_secret_path</c> (the file's contents, trimmed) or else the variable
/// <c>--enroll_secret_env</c> names. Running as root, the file must be root-owned and neither group- nor
/// other-readable, like the client key (<see cref="FilePermissions.SecretRefusal"/>). The secret is never part of a
/// message.
/// </summary>
public static class EnrollSecret
{
    /// <summary>Reads the secret; throws <see cref="RemoteException"/> saying why it cannot be had.</summary>
    public static string Read(RemoteSettings settings)
    {
        if (settings.EnrollSecretPath.Length > 0)
        {
            if (FilePermissions.SecretRefusal(settings.EnrollSecretPath, "--enroll_secret_path") is { } refusal)
            {
                throw new RemoteException(refusal);
            }

            try
            {
                return File.ReadAllText(settings.EnrollSecretPath).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RemoteException($"cannot read --enroll_secret_path={settings.EnrollSecretPath}: {e.Message}", inner: e);
            }
        }

        if (settings.EnrollSecretEnv.Length > 0)
        {
            return Environment.GetEnvironmentVariable(settings.EnrollSecretEnv)
                ?? throw new RemoteException($"--enroll_secret_env={settings.EnrollSecretEnv}: the variable is not set");
        }

        return "";
    }
}
