return await FleetL4.Cli.FleetCli.RunAsync(args);
