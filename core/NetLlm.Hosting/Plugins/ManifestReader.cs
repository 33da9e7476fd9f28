using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NetLlm.Abstractions;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Hosting.Plugins;

/// <summary>
/// Reads a plugin's <see cref="NetLlmPluginAttribute"/> from the assembly's metadata without loading the assembly or
/// running any of its code, so that a plugin with a wrong contract version or a duplicate id is refused before it
/// can do anything.
/// </summary>
public static class ManifestReader
{
    private const string AttributeName = nameof(NetLlmPluginAttribute);
    private const string AttributeNamespace = "NetLlm.Abstractions.Plugins";

    /// <summary>
    /// Returns the manifest of <paramref name="assemblyPath"/>, or null when the assembly declares none. Throws
    /// <see cref="BadImageFormatException"/> when the file is not a .NET assembly and
    /// <see cref="InvalidDataException"/> when the attribute is malformed.
    /// </summary>
    /// <param name="assemblyPath">Plugin assembly.</param>
    public static PluginManifest? Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"{assemblyPath} is not a .NET assembly");
        }

        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!IsManifestAttribute(reader, attribute))
            {
                continue;
            }

            var value = attribute.DecodeValue(new TypeProvider());
            if (value.FixedArguments.Length != 3)
            {
                throw new InvalidDataException($"{assemblyPath}: malformed NetLlmPlugin attribute");
            }

            var id = value.FixedArguments[0].Value as string ?? string.Empty;
            var kind = (PluginKind)Convert.ToInt32(value.FixedArguments[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var version = value.FixedArguments[2].Value as string ?? string.Empty;
            string? contract = null;
            var depends = new List<string>();
            string? description = null;
            foreach (var named in value.NamedArguments)
            {
                switch (named.Name)
                {
                    case nameof(NetLlmPluginAttribute.ContractVersion):
                        contract = named.Value as string;
                        break;
                    case nameof(NetLlmPluginAttribute.Description):
                        description = named.Value as string;
                        break;
                    case nameof(NetLlmPluginAttribute.DependsOn):
                        if (named.Value is ImmutableArray<CustomAttributeTypedArgument<string>> items)
                        {
                            depends.AddRange(items.Select(i => i.Value as string).OfType<string>());
                        }

                        break;
                }
            }

            var shared = SharedReferences(reader);
            contract ??= shared.GetValueOrDefault(ContractInfo.SharedAssemblies[0]) ?? "0.0";
            return new PluginManifest(id, kind, version, contract, depends, description, shared);
        }

        return null;
    }

    /// <summary>Versions ("major.minor") of the shared NetLlm libraries an assembly references.</summary>
    private static Dictionary<string, string> SharedReferences(MetadataReader reader)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            var name = reader.GetString(reference.Name);
            if (ContractInfo.SharedAssemblies.Contains(name, StringComparer.Ordinal))
            {
                result[name] = $"{reference.Version.Major}.{reference.Version.Minor}";
            }
        }

        return result;
    }

    private static bool IsManifestAttribute(MetadataReader reader, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var ctor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (ctor.Parent.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        var type = reader.GetTypeReference((TypeReferenceHandle)ctor.Parent);
        return reader.StringComparer.Equals(type.Name, AttributeName) && reader.StringComparer.Equals(type.Namespace, AttributeNamespace);
    }

    /// <summary>Decodes the attribute argument types (strings, the PluginKind enum as int, string arrays).</summary>
    private sealed class TypeProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
