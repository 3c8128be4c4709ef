package io.snkv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded workload that leaves a store with a long free list for the incremental-vacuum tests: entries
 * with values from 0 bytes to 100 KiB (so overflow chains of every length), keys from a few bytes to more
 * than a page (so interior cells spill too), many small entries among them (so b-tree pages at all levels lie
 * all over the file), then most of them deleted and some rewritten, in many small
 * transactions so that the free list interleaves with live pages. Also reads the database header of a
 * closed file, written out here without the engine.
 */
final class VacuumWorkload {
    static final int MAX_VALUE = 100 * 1024;

    /** Header fields of a closed database file (SQLite's offsets 28, 32, 36) and its length in bytes. */
    record Header(int pageSize, int pageCount, int firstTrunk, int freeCount, int defaultRoot, int metadataRoot,
                  long fileLength) {
        static Header of(Path db) throws IOException {
            byte[] b = Files.readAllBytes(db);
            ByteBuffer h = ByteBuffer.wrap(b);
            int raw = h.getShort(16) & 0xffff;
            return new Header(raw == 1 ? 65536 : raw, h.getInt(28), h.getInt(32), h.getInt(36), h.getInt(40),
                    h.getInt(48), b.length);
        }
    }

    private VacuumWorkload() {
    }

    static KVStoreConfig config(JournalMode mode, int pageSize) {
        return KVStoreConfig.builder().journalMode(mode).pageSize(pageSize).syncLevel(SyncLevel.OFF).build();
    }

    /** Builds the store at {@code db} (closed on return) and returns what it holds. */
    static TreeMap<byte[], byte[]> build(Path db, long seed, JournalMode mode, int pageSize, int entries) {
        Random rnd = new Random(seed);
        TreeMap<byte[], byte[]> model = new TreeMap<>(UnsignedBytesOrder.INSTANCE);
        try (KVStore s = KVStore.open(db, config(mode, pageSize))) {
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                if (i % 16 == 0) {
                    s.begin(true);
                }
                // Mostly small entries between the large ones: page splits then place b-tree pages, interior
                // ones too, all over the file, not only near its start.
                boolean small = rnd.nextInt(100) < 75;
                byte[] k = small ? smallKey(rnd, i) : key(rnd, i, pageSize);
                byte[] v = small ? new byte[rnd.nextInt(40)] : value(rnd);
                s.put(k, v);
                model.put(k, v);
                keys.add(k);
                if (i % 16 == 15 || i == entries - 1) {
                    s.commit();
                }
            }
            // Delete about four in five, rewrite a few of the rest (they take pages from the free list again).
            java.util.Collections.shuffle(keys, rnd);
            for (int i = 0; i < keys.size(); i++) {
                if (i % 8 == 0) {
                    s.begin(true);
                }
                byte[] k = keys.get(i);
                if (rnd.nextInt(100) < 80) {
                    s.delete(k);
                    model.remove(k);
                } else if (rnd.nextInt(4) == 0) {
                    byte[] v = value(rnd);
                    s.put(k, v);
                    model.put(k, v);
                }
                if (i % 8 == 7 || i == keys.size() - 1) {
                    s.commit();
                }
            }
        }
        return model;
    }

    private static byte[] smallKey(Random rnd, int i) {
        byte[] k = new byte[6 + rnd.nextInt(20)];
        rnd.nextBytes(k);
        ByteBuffer.wrap(k).putShort(4, (short) i);
        return k;
    }

    private static byte[] key(Random rnd, int i, int pageSize) {
        int extra = switch (rnd.nextInt(10)) {
            case 0 -> Math.min(pageSize / 2 + rnd.nextInt(2 * pageSize), 60_000); // spills, also as a divider
            case 1, 2 -> rnd.nextInt(200);
            default -> rnd.nextInt(12);
        };
        byte[] k = new byte[6 + extra];
        ByteBuffer.wrap(k).putInt(rnd.nextInt()).putShort((short) i);
        for (int j = 6; j < k.length; j++) {
            k[j] = (byte) rnd.nextInt(256);
        }
        return k;
    }

    private static byte[] value(Random rnd) {
        int r = rnd.nextInt(100);
        int n;
        if (r < 10) {
            n = 0;
        } else if (r < 50) {
            n = rnd.nextInt(200);
        } else if (r < 80) {
            n = 200 + rnd.nextInt(5000);
        } else if (r < 98) {
            n = 5000 + rnd.nextInt(MAX_VALUE - 5000);
        } else {
            n = MAX_VALUE;
        }
        byte[] v = new byte[n];
        rnd.nextBytes(v);
        return v;
    }
}
