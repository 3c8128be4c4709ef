package io.snkv.bench;

import io.snkv.JournalMode;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.SyncLevel;
import java.nio.file.Path;

/** This project's store, {@link KVStore}, with the settings of WORKLOADS.md (which are also SNKV's defaults). */
final class SnkvEngine implements Engine {

    // Spelled out rather than taken from the defaults, so a change of default cannot change what is measured.
    private static final KVStoreConfig CONFIG = KVStoreConfig.builder()
            .journalMode(JournalMode.WAL)
            .syncLevel(SyncLevel.NORMAL)
            .cacheSize(2000)
            .pageSize(4096)
            .walSizeLimit(0)
            .build();

    private KVStore store;

    @Override
    public String name() {
        return "snkv";
    }

    @Override
    public void open(Path dir, String fileName) {
        store = KVStore.open(dir.resolve(fileName), CONFIG);
    }

    @Override
    public void describeSettings() {
        System.err.println("snkv settings (read back): " + store.config());
        System.err.println("snkv WAL auto-checkpoint: walSizeLimit=" + store.config().walSizeLimit()
                + " (commits between automatic checkpoints; 0 = none: the WAL is checkpointed only at close)");
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
