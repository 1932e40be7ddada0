using System.CommandLine;
using Zongliang.Cli;

var root = new RootCommand("zl: command-line tools of the Zongliang total-control platform")
{
    DatabaseCommands.Create(),
    UserCommands.Create(),
    DeviceCommands.Create(),
    Hj212Commands.Create(),
    ArchiveCommands.Create(),
    ValidityCommands.Create(),
    QuotaCommands.Create(),
    SimulateCommand.Create(),
    LoadTestCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
