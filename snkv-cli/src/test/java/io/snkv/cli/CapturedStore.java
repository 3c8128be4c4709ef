package io.snkv.cli;

import io.snkv.JournalMode;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A store written with change capture on, so its LTX files are under {@code <dir>/data/dbs/src.db/ltx/}:
 * a snapshot (TXID 1, the file's creation) then one file per transaction below, with small values,
 * an overflowing one, an update and a delete (so some commits change few pages, some many).
 */
record CapturedStore(Path db, List<Path> ltxFiles, LtxPosition position, long checksum) {
    static final Instant TIME = Instant.parse("2024-05-06T07:08:09.123Z");
    static final long NODE_ID = 0x1234abcdL;

    static CapturedStore create(Path dir, JournalMode mode) throws IOException {
        Path db = dir.resolve("src.db");
        KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).changeCapture(dir.resolve("data"))
                .captureNodeId(NODE_ID).clock(Clock.fixed(TIME, ZoneOffset.UTC)).build();
        LtxPosition pos;
        long checksum;
        try (KVStore kv = KVStore.open(db, cfg)) {
            for (int i = 0; i < 5; i++) {
                kv.put("key" + i, "value " + i + " " + "x".repeat(50 * i));
            }
            kv.put("big".getBytes(StandardCharsets.US_ASCII), pattern(20_000));
            kv.begin(true);
            for (int i = 0; i < 200; i++) {
                kv.put("batch" + i, "v" + i);
            }
            kv.commit();
            kv.put("key2", "changed");
            kv.delete("key3");
            pos = kv.capturePosition().orElseThrow();
            checksum = kv.checksum();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("data/dbs/src.db/ltx"))) {
            files = s.filter(p -> p.toString().endsWith(".ltx")).sorted().toList();
        }
        return new CapturedStore(db, files, pos, checksum);
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** Every key with its value's length and digest (short enough to print), read through a read-only open. */
    static Map<String, String> contents(Path db) {
        Map<String, String> m = new TreeMap<>();
        try (KVStore kv = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build());
                KVIterator it = kv.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key(), StandardCharsets.ISO_8859_1), digest(it.value()));
            }
        }
        return m;
    }

    private static String digest(byte[] value) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(value);
            return value.length + ":" + java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static long checksumOf(Path db) {
        try (KVStore kv = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            return kv.checksum();
        }
    }

    static String hex(long v) {
        return String.format("%016x", v);
    }
}
