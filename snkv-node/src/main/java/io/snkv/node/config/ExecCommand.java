package io.snkv.node.config;

/**
 * One {@code exec} entry: a command line run once the node is ready (REPLICATION.md section 7).
 *
 * @param cmd the command line as written, split into words by the node when it runs it
 * @param ifCandidate run only on candidate nodes (migrations, for example)
 */
public record ExecCommand(String cmd, boolean ifCandidate) {}
