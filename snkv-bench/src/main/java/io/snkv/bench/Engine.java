package io.snkv.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One key-value store as the workload phases see it: the few operations of bench/WORKLOADS.md and nothing more,
 * so each implementation is measured doing the same work. An instance holds at most one open store at a time; it may
 * be opened again after {@link #close()}. Not thread-safe: the runner uses it from one thread.
 */
interface Engine extends AutoCloseable {

    /** The name printed as {@code impl=<name>}. */
    String name();

    /** Opens (creating) the store file {@code fileName} in {@code dir}, with the settings of WORKLOADS.md. */
    void open(Path dir, String fileName) throws Exception;

    /** Prints the settings actually in force, read back from the open store, to standard error. */
    void describeSettings() throws Exception;

    /** Begins a write transaction; reads made before {@link #commit()} see its writes. */
    void begin() throws Exception;

    void commit() throws Exception;

    /** Upsert. */
    void put(byte[] key, byte[] value) throws Exception;

    /** The value's bytes, or null when the key is absent. */
    byte[] get(byte[] key) throws Exception;

    /** Deleting an absent key is not an error. */
    void delete(byte[] key) throws Exception;

    /** Whether the key exists, without fetching its value where the engine allows. */
    boolean exists(byte[] key) throws Exception;

    /** Prepares an ordered walk of every entry; preparing is not timed, walking is. */
    OrderedScan openScan() throws Exception;

    long count() throws Exception;

    /**
     * Called, untimed, after each phase with the phase's name, while its store is still open: where an engine
     * measures what a phase wrote besides the store (change capture's log), it does so here. Nothing by default.
     */
    default void phaseEnded(String workload) throws Exception {
    }

    /**
     * What change capture wrote in each phase since the last call (phases that wrote nothing left out), and forgets
     * it; empty for an engine without capture. {@code impl} and {@code pass} are left for the caller to fill in.
     */
    default List<CaptureFigures> takeCaptureFigures() {
        return List.of();
    }

    /** Closes the open store; does nothing when none is open. */
    @Override
    void close() throws Exception;
}
