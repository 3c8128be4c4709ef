/**
 * The {@code snkv} command, on picocli: {@link io.snkv.cli.SnkvCommand} is the root of the command tree,
 * one class per subcommand beneath it ({@code demo}: the seed demo's writer and reader against one
 * local store). Commands write to the streams the root holds, never to {@code System.out} directly, so
 * tests run them in-process. Calls only the public API of {@code io.snkv}.
 */
package io.snkv.cli;
