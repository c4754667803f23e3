return await FleetL4.Client.Cli.FleetCli.RunAsync(args);
