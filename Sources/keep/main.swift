import KeepCLI

await Keep.main(arguments: Array(CommandLine.arguments.dropFirst()))
