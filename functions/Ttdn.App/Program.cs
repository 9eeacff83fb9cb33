using Ttdn.App.Hosting;

TtdnApp.Build(args).Run();
