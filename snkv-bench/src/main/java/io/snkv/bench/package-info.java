/**
 * The workload runner for {@code bench/WORKLOADS.md}: the same eight phases, seeded the same way, against this
 * store ({@link io.snkv.KVStore}) and its peers, each implementation in a child process of its own. Calls only the
 * public API of snkv-core and each peer's public API (sqlite-jdbc through JDBC); never the store's internals, so the
 * figures are what an application sees.
 *
 * <p>{@link io.snkv.bench.LtxCodecBench} measures the LTX codec of snkv-ltx (through its public API) and its parts
 * (CRC-64/ISO, lz4-java) beside a memory-bandwidth reference taken in the same run.
 *
 * <p>{@link io.snkv.bench.ReplicationBench} measures replication on loopback with a primary and replicas of snkv-node
 * in its own JVM (through {@code Node}'s public API; {@code Node.onApplied} timestamps each apply): the seed demo's
 * lag, per-commit lag at fixed rates, throughput beside a plain socket copy, and the primary's commit rate with 0, 1
 * and 2 replicas against capture off.
 */
package io.snkv.bench;
