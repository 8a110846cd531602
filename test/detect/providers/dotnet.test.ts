import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { dotnetVersion } from '../../../src/detect/providers/dotnet.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-dotnet-'));
}

const web = (tfm = 'net8.0', extra = '') => `<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>${tfm}</TargetFramework>\n  </PropertyGroup>\n${extra}</Project>\n`;
const program = 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.MapGet("/", () => "hi");\napp.Run();\n';

describe('target frameworks', () => {
  it.each([
    ['net8.0', '8.0'],
    ['netcoreapp3.1', '3.1'],
    ['net6.0;net8.0', '8.0'],
    ['net9.0-windows', '9.0'],
    ['netstandard2.0', undefined],
  ])('%s → %s', (tfm, v) => expect(dotnetVersion(tfm)).toBe(v));
});

describe('ASP.NET Core ports', () => {
  it('defaults to 8080 from .NET 8 and 80 before', async () => {
    expect((await detectFiles({ 'Api.csproj': web(), 'Program.cs': program })).services[0]!.port).toBe(8080);
    expect((await detectFiles({ 'Api.csproj': web('net6.0'), 'Program.cs': program })).services[0]!.port).toBe(80);
  });

  it('prefers an address fixed in code over the launch profile', async () => {
    const t = await detectFiles({
      'Api.csproj': web(),
      'Program.cs': program.replace('var app', 'builder.WebHost.UseUrls("http://0.0.0.0:5005");\nvar app'),
      'Properties/launchSettings.json': JSON.stringify({ profiles: { http: { commandName: 'Project', applicationUrl: 'http://localhost:5123' } } }),
    });
    expect(t.services[0]!.port).toBe(5005);
  });

  it('a gRPC service\'s Kestrel endpoint (ListenLocalhost, or Grpc.Core\'s ServerPort) is its port', async () => {
    const kestrel = await detectFiles({ 'Api.csproj': web(), 'Program.cs': program.replace('var app', 'builder.WebHost.ConfigureKestrel(o => o.ListenLocalhost(5081, l => l.Protocols = HttpProtocols.Http2));\nvar app') });
    expect(kestrel.services[0]!.port).toBe(5081);
    const core = await detectFiles({ 'Api.csproj': web(), 'Program.cs': program.replace('var app', 'var server = new Server { Ports = { new ServerPort("0.0.0.0", 50061, ServerCredentials.Insecure) } };\nvar app') });
    expect(core.services[0]!.port).toBe(50061);
  });

  it('takes the http address of the launch profile', async () => {
    const t = await detectFiles({
      'Api.csproj': web(),
      'Program.cs': program,
      'Properties/launchSettings.json': JSON.stringify({ profiles: { IIS: { commandName: 'IISExpress' }, https: { commandName: 'Project', applicationUrl: 'https://localhost:7001;http://localhost:5001' } } }),
    });
    expect(t.services[0]!.port).toBe(5001);
  });
});

describe('solutions', () => {
  it('keeps class libraries and test projects out and makes the solution folder a workspace', async () => {
    const t = await detectFiles({
      'App.sln': 'Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Web", "Web\\Web.csproj", "{1}"\nEndProject\nProject("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Lib", "Lib\\Lib.csproj", "{2}"\nEndProject\n',
      'Web/Web.csproj': web('net8.0', '  <ItemGroup>\n    <PackageReference Include="MongoDB.Driver" Version="2.28.0" />\n  </ItemGroup>\n'),
      'Web/Program.cs': program,
      'Lib/Lib.csproj': '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n</Project>\n',
      'Web.Tests/Web.Tests.csproj': '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework><OutputType>Exe</OutputType></PropertyGroup>\n  <ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.0.0" /><PackageReference Include="Npgsql" Version="8.0.0" /></ItemGroup>\n</Project>\n',
    });
    expect(t.services.map((s) => s.name)).toEqual(['web']);
    expect(t.services[0]).toMatchObject({ framework: 'aspnetcore', backingServices: ['mongodb'], commands: { start: 'dotnet Web.dll' } });
    expect(t.backingServices.map((b) => b.kind)).toEqual(['mongodb']);
  });

  it('warns with a line on a broken project file', async () => {
    const t = await detectFiles({ 'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n</Project>\n', 'Program.cs': program });
    const w = t.warnings.find((x) => x.file === 'Api.csproj');
    expect(w?.line).toBe(4);
  });
});
