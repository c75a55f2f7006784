import KeepCLI
