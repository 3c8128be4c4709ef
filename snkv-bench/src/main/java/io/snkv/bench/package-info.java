/**
 * The workload runner for {@code bench/WORKLOADS.md}: the same eight phases, seeded the same way, against this
 * store ({@link io.snkv.KVStore}) and its peers, each implementation in a child process of its own. Calls only the
 * public API of snkv-core and each peer's public API (sqlite-jdbc through JDBC); never the store's internals, so the
 * figures are what an application sees.
 *
 * <p>{@link io.snkv.bench.LtxCodecBench} measures the LTX codec of snkv-ltx (through its public API) and its parts
 * (CRC-64/ISO, lz4-java) beside a memory-bandwidth reference taken in the same run.
 */
package io.snkv.bench;
