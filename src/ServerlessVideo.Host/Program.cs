using ServerlessVideo.Host.Cli;

return await CliCommands.RunAsync(args);
