package io.snkv.bench;

import io.snkv.JournalMode;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.SyncLevel;
import java.nio.file.Path;

/**
 * This project's store, {@link KVStore}, with the settings of WORKLOADS.md (which are also SNKV's defaults); as
 * {@code snkv-capture}, the same with change capture on, so the two measure what capture adds. Capture's data
 * directory is {@value #CAPTURE_DIR} inside the run's temporary directory (deleted with it), with the default
 * retention and node ID 0.
 */
final class SnkvEngine implements Engine {

    static final String PLAIN = "snkv";
    static final String CAPTURE = "snkv-capture";
    static final String CAPTURE_DIR = "capture";

    // Spelled out rather than taken from the defaults, so a change of default cannot change what is measured.
    private static final KVStoreConfig CONFIG = KVStoreConfig.builder()
            .journalMode(JournalMode.WAL)
            .syncLevel(SyncLevel.NORMAL)
            .cacheSize(2000)
            .pageSize(4096)
            .walSizeLimit(0)
            .build();

    private final boolean capture;
    private KVStore store;

    private SnkvEngine(boolean capture) {
        this.capture = capture;
    }

    static SnkvEngine plain() {
        return new SnkvEngine(false);
    }

    /** Change capture on, as {@code snkv-capture}. */
    static SnkvEngine capturing() {
        return new SnkvEngine(true);
    }

    @Override
    public String name() {
        return capture ? CAPTURE : PLAIN;
    }

    @Override
    public void open(Path dir, String fileName) {
        if (!capture) {
            store = KVStore.open(dir.resolve(fileName), CONFIG);
            return;
        }
        // Retention stays at its default, as a user turning capture on gets it; node ID 0 is spelled out.
        store = KVStore.open(dir.resolve(fileName),
                CONFIG.toBuilder().changeCapture(dir.resolve(CAPTURE_DIR)).captureNodeId(0).build());
    }

    @Override
    public void describeSettings() {
        System.err.println(name() + " settings (read back): " + store.config());
        System.err.println(name() + " WAL auto-checkpoint: walSizeLimit=" + store.config().walSizeLimit()
                + " (commits between automatic checkpoints; 0 = none: the WAL is checkpointed only at close)");
        if (capture) {
            KVStoreConfig c = store.config();
            System.err.println(name() + " change capture: dir=" + store.captureDirectory().orElse(null)
                    + " retention=" + c.captureRetention() + " retentionInterval=" + c.captureRetentionInterval()
                    + " nodeId=" + c.captureNodeId() + " syncLevel=" + c.syncLevel()
                    + " (NORMAL: LTX files are fsynced at checkpoint, here at close, which is not timed)");
        }
    }

    @Override
    public void begin() {
        store.begin(true);
    }

    @Override
    public void commit() {
        store.commit();
    }

    @Override
    public void put(byte[] key, byte[] value) {
        store.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return store.get(key).orElse(null);
    }

    @Override
    public void delete(byte[] key) {
        store.delete(key);
    }

    @Override
    public boolean exists(byte[] key) {
        return store.exists(key);
    }

    @Override
    public OrderedScan openScan() {
        KVIterator iterator = store.iterator();
        return new OrderedScan() {
            @Override
            public void walk(EntryVisitor visitor) {
                for (boolean more = iterator.first(); more; more = iterator.next()) {
                    visitor.visit(iterator.key(), iterator.value());
                }
            }

            @Override
            public void close() {
                iterator.close();
            }
        };
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
