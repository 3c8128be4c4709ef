package io.snkv.bench;

import io.snkv.JournalMode;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import io.snkv.SyncLevel;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This project's store, {@link KVStore}, with the settings of WORKLOADS.md (which are also SNKV's defaults); as
 * {@code snkv-capture}, the same with change capture on, so the two measure what capture adds. Capture's data
 * directory is {@value #CAPTURE_DIR} inside the run's temporary directory (deleted with it), with the default
 * retention and node ID 0. After each phase (untimed) the capturing variant counts the LTX files that phase added
 * and their bytes, read from the log directory, and the transactions logged, from the store's capture position;
 * what creating each store logged is counted as {@value #OPEN}.
 */
final class SnkvEngine implements Engine {

    static final String PLAIN = "snkv";
    static final String CAPTURE = "snkv-capture";
    static final String CAPTURE_DIR = "capture";
    /** What opening (creating) a store logged, untimed: the figures' name for it. */
    static final String OPEN = "open";

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
    // Capture bookkeeping for the open store: the log's files already counted, the TXID already counted.
    private final Set<String> countedFiles = new HashSet<>();
    private long countedTxid;
    // By phase, in the order first seen; both stores' openings add to OPEN.
    private final Map<String, CaptureFigures> figures = new LinkedHashMap<>();

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
    public void open(Path dir, String fileName) throws IOException {
        if (!capture) {
            store = KVStore.open(dir.resolve(fileName), CONFIG);
            return;
        }
        // Retention stays at its default, as a user turning capture on gets it; node ID 0 is spelled out.
        store = KVStore.open(dir.resolve(fileName),
                CONFIG.toBuilder().changeCapture(dir.resolve(CAPTURE_DIR)).captureNodeId(0).build());
        countedFiles.clear();
        countedTxid = 0;
        record(OPEN); // creating the database is a commit of its own, logged before any phase
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
    public void phaseEnded(String workload) throws IOException {
        if (!capture) {
            return;
        }
        record(workload);
    }

    /** Adds what was logged since the last look to {@code workload}'s figures. */
    private void record(String workload) throws IOException {
        long txid = txid();
        if (txid == countedTxid) {
            return; // nothing committed, so nothing logged
        }
        long files = 0;
        long bytes = 0;
        for (var file : logFiles().entrySet()) {
            if (countedFiles.add(file.getKey())) {
                files++;
                bytes += file.getValue();
            }
        }
        CaptureFigures f = new CaptureFigures(CAPTURE, 0, workload, txid - countedTxid, files, bytes);
        figures.merge(workload, f, (a, b) -> new CaptureFigures(CAPTURE, 0, workload, a.commits() + b.commits(),
                a.files() + b.files(), a.bytes() + b.bytes()));
        countedTxid = txid;
    }

    @Override
    public List<CaptureFigures> takeCaptureFigures() {
        List<CaptureFigures> taken = List.copyOf(figures.values());
        figures.clear();
        return taken;
    }

    private long txid() {
        return store.capturePosition().map(LtxPosition::txid).orElse(0L);
    }

    /** The LTX files in the open store's log directory, by name, with their sizes. */
    private Map<String, Long> logFiles() throws IOException {
        Path ltx = store.captureDirectory().orElseThrow(() -> new IllegalStateException("capture is off"));
        Map<String, Long> files = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ltx, "*.ltx")) {
            for (Path p : ds) {
                try {
                    files.put(p.getFileName().toString(), Files.size(p));
                } catch (NoSuchFileException e) {
                    // removed by retention since the listing: not counted
                }
            }
        }
        return files;
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
