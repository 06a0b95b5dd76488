using System.Text.Json.Serialization;

namespace Vigil.Tests.Remote;

[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class FleetJson : JsonSerializerContext;
