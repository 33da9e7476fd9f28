using NetLlm.Cli;

return CliApp.Run(args);
