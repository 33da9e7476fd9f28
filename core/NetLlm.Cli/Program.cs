using NetLlm.Cli;
using NetLlm.Cli.Infrastructure;

NativeEnvironment.QuietTorchWarnings();
return CliApp.Run(args);
