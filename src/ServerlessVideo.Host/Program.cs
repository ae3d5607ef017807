using ServerlessVideo.Host;

// The worker host: `serve` (the default) runs the durable worker, blob watcher and HTTP API; `check-models` reports
// what every model runs on. Users' commands live in the sv CLI.
const string Usage = "usage: sv-host [serve] [--urls URL] [--Section:Key=value …]\n       sv-host check-models [--Inference:ExecutionProvider=cuda]";
return args switch
{
    ["check-models", .. var rest] => ModelCheck.Run(rest, Console.Out, Console.Error),
    ["serve", .. var rest] => await HostRunner.ServeAsync(rest, Console.Out),
    [] => await HostRunner.ServeAsync(args, Console.Out),
    [var first, ..] when first.StartsWith('-') && first is not ("-h" or "--help") => await HostRunner.ServeAsync(args, Console.Out),
    ["-h" or "--help" or "help", ..] => Help(0),
    _ => Help(2),
};

static int Help(int code)
{
    (code == 0 ? Console.Out : Console.Error).WriteLine(Usage);
    return code;
}
