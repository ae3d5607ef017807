using ServerlessVideo.Cli;

return await SvCli.InvokeAsync(args);
