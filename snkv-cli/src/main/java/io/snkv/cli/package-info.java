/**
 * The {@code snkv} command, on picocli: {@link io.snkv.cli.SnkvCommand} is the root of the command tree,
 * one class per subcommand beneath it: {@code demo} (the seed demo's writer and reader against one
 * local store; {@code demo writer} and {@code demo reader} run one half each, for a primary's and a
 * replica's directory) and {@code ltx dump|verify|checksum|encode-db|apply} (the reference ltx tool's
 * commands). Commands write to the streams the root holds, never to {@code System.out} directly, so
 * tests run them in-process; failures reach {@link io.snkv.cli.FailureReport} as exceptions and become
 * one line and exit code 1. Calls the public API of {@code io.snkv} and reads LTX files with
 * {@code io.snkv.ltx}'s decoder; nothing internal.
 */
package io.snkv.cli;
