package io.snkv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code snkv ltx}: the reference {@code ltx} tool's commands over this project's codec and store.
 * Checksums and TXIDs print as 16 lower-case hex digits, positions as {@code <txid>/<checksum>}.
 */
@Command(name = "ltx", mixinStandardHelpOptions = true,
        description = "Inspect, verify and apply LTX files; checksum and snapshot databases.",
        subcommands = {LtxDumpCommand.class, LtxVerifyCommand.class, LtxChecksumCommand.class,
            LtxEncodeDbCommand.class, LtxApplyCommand.class, HelpCommand.class})
final class LtxCommand {
}
