package io.snkv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What one column family of a store must hold: its live entries in store order (unsigned byte-wise key
 * order, a shorter key before every key it prefixes) and keys that must not be found. Immutable: the
 * {@code with...} methods return changed copies (values are shared, never modified).
 */
final class ExpectedContent {
    private final NavigableMap<byte[], byte[]> entries;
    private final Set<byte[]> absentKeys;

    private ExpectedContent(NavigableMap<byte[], byte[]> entries, Set<byte[]> absentKeys) {
        this.entries = entries;
        this.absentKeys = absentKeys;
    }

    static ExpectedContent empty() {
        return new ExpectedContent(new TreeMap<>(Arrays::compareUnsigned), new TreeSet<>(Arrays::compareUnsigned));
    }

    /** Live entries in store order; the map's comparator is unsigned byte-wise. Do not modify. */
    NavigableMap<byte[], byte[]> entries() {
        return Collections.unmodifiableNavigableMap(entries);
    }

    /** Keys that must not be found (never one of {@link #entries()}). */
    List<byte[]> absentKeys() {
        return List.copyOf(absentKeys);
    }

    int size() {
        return entries.size();
    }

    /** A copy where {@code key} maps to {@code value} (inserted or replaced). */
    ExpectedContent withEntry(byte[] key, byte[] value) {
        ExpectedContent copy = copy();
        copy.entries.put(key.clone(), value);
        copy.absentKeys.remove(key);
        return copy;
    }

    /** A copy without {@code key}; the key is then expected absent. */
    ExpectedContent withoutEntry(byte[] key) {
        ExpectedContent copy = copy();
        copy.entries.remove(key);
        copy.absentKeys.add(key.clone());
        return copy;
    }

    /** A copy that also expects {@code key} to be absent. */
    ExpectedContent withAbsentKey(byte[] key) {
        if (entries.containsKey(key)) {
            throw new IllegalArgumentException("key " + GoldenManifest.toHex(key) + " is a live entry");
        }
        ExpectedContent copy = copy();
        copy.absentKeys.add(key.clone());
        return copy;
    }

    /**
     * A copy holding only the entries whose key passes {@code keep}; the others become absent keys (so a
     * store that still has them is wrong).
     */
    ExpectedContent onlyKeys(Predicate<byte[]> keep) {
        ExpectedContent copy = empty();
        copy.absentKeys.addAll(absentKeys);
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            if (keep.test(e.getKey())) {
                copy.entries.put(e.getKey(), e.getValue());
            } else {
                copy.absentKeys.add(e.getKey());
            }
        }
        return copy;
    }

    /** Entries as a list of key/value pairs in store order. */
    List<Map.Entry<byte[], byte[]>> entryList() {
        return new ArrayList<>(entries.entrySet());
    }

    private ExpectedContent copy() {
        NavigableMap<byte[], byte[]> e = new TreeMap<>(Arrays::compareUnsigned);
        e.putAll(entries);
        Set<byte[]> a = new TreeSet<>(Arrays::compareUnsigned);
        a.addAll(absentKeys);
        return new ExpectedContent(e, a);
    }

    /** Builds content from a manifest; package-private for {@link GoldenManifest}. */
    static final class Builder {
        private final ExpectedContent content = empty();

        /** Adds a live entry; a key given twice is a manifest error. */
        Builder entry(byte[] key, byte[] value) {
            if (content.entries.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("key " + GoldenManifest.toHex(key) + " listed twice");
            }
            return this;
        }

        Builder absentKey(byte[] key) {
            content.absentKeys.add(key);
            return this;
        }

        ExpectedContent build() {
            for (byte[] k : content.absentKeys) {
                if (content.entries.containsKey(k)) {
                    throw new IllegalArgumentException("key " + GoldenManifest.toHex(k) + " is both live and absent");
                }
            }
            return content.copy();
        }
    }
}
