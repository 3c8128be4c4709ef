package io.snkv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Reads a whole store through its iterator and compares it, entry by entry, with an expected map. */
final class StoreContents {
    private StoreContents() {
    }

    /** Every entry of {@code store} in iteration order, checking that the order is SNKV's key order. */
    static List<Map.Entry<byte[], byte[]>> read(KVStore store) {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        try (KVIterator it = store.iterator()) {
            byte[] previous = null;
            for (boolean ok = it.first(); ok; ok = it.next()) {
                if (!it.valid()) {
                    throw new AssertionError("iterator returned true from first()/next() but valid() is false after "
                            + entries.size() + " entries");
                }
                byte[] key = it.key();
                if (previous != null && UnsignedBytesOrder.INSTANCE.compare(previous, key) >= 0) {
                    throw new AssertionError("iterator out of key order at entry " + entries.size() + ": "
                            + describe(previous) + " then " + describe(key));
                }
                entries.add(Map.entry(key, it.value()));
                previous = key;
            }
            if (it.valid()) {
                throw new AssertionError("iterator still valid() after next() returned false");
            }
        }
        return entries;
    }

    /** Fails with the first difference when the store does not hold exactly {@code expected}. */
    static void assertEquals(NavigableMap<byte[], byte[]> expected, KVStore store, String context) {
        List<Map.Entry<byte[], byte[]>> actual = read(store);
        String diff = difference(expected, actual);
        if (diff != null) {
            throw new AssertionError(context + ": store content differs from the expected content: " + diff);
        }
        long count = store.count();
        if (count != expected.size()) {
            throw new AssertionError(context + ": count() = " + count + " but the store holds " + expected.size()
                    + " entries");
        }
    }

    /** The first difference between the two, or null when equal. */
    static String difference(NavigableMap<byte[], byte[]> expected, List<Map.Entry<byte[], byte[]>> actual) {
        Iterator<Map.Entry<byte[], byte[]>> e = expected.entrySet().iterator();
        int i = 0;
        for (Map.Entry<byte[], byte[]> a : actual) {
            if (!e.hasNext()) {
                return "unexpected extra entry #" + i + " key " + describe(a.getKey()) + " (expected "
                        + expected.size() + " entries, got " + actual.size() + ")";
            }
            Map.Entry<byte[], byte[]> x = e.next();
            if (!Arrays.equals(x.getKey(), a.getKey())) {
                int c = UnsignedBytesOrder.INSTANCE.compare(x.getKey(), a.getKey());
                return "entry #" + i + ": expected key " + describe(x.getKey()) + " but found "
                        + describe(a.getKey()) + (c < 0 ? " (expected key missing)" : " (unexpected key present)")
                        + "; expected " + expected.size() + " entries, got " + actual.size();
            }
            if (!Arrays.equals(x.getValue(), a.getValue())) {
                return "entry #" + i + " key " + describe(x.getKey()) + ": expected value " + describe(x.getValue())
                        + " but found " + describe(a.getValue()) + firstMismatch(x.getValue(), a.getValue());
            }
            i++;
        }
        if (e.hasNext()) {
            return "missing entry #" + i + " key " + describe(e.next().getKey()) + " (expected " + expected.size()
                    + " entries, got " + actual.size() + ")";
        }
        return null;
    }

    /** Length plus the first bytes in hex: enough to recognise a key or value in a failure message. */
    static String describe(byte[] b) {
        if (b == null) {
            return "null";
        }
        int shown = Math.min(b.length, 24);
        return "[" + b.length + " bytes: " + HexFormat.of().formatHex(b, 0, shown) + (shown < b.length ? "..." : "")
                + "]";
    }

    private static String firstMismatch(byte[] x, byte[] a) {
        int at = Arrays.mismatch(x, a);
        return at < 0 ? "" : " (first difference at byte " + at + ")";
    }
}
