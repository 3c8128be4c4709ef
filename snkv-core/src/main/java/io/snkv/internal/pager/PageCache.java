package io.snkv.internal.pager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Committed page images, least recently used dropped first. Each image is tagged with where it came
 * from (a WAL frame of one log generation, or the database file), so a reader whose snapshot resolves
 * the page to another source misses instead of seeing the wrong version. Images are never modified.
 * Thread-safe.
 */
final class PageCache {
    /** Tag of an image read from (or written to) the database file. */
    static final long DB_FILE = 0;

    private record Entry(long tag, byte[] data) {
    }

    private final LinkedHashMap<Integer, Entry> map;

    PageCache(int capacity) {
        this.map = new LinkedHashMap<>(Math.min(capacity, 4096) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    static long frameTag(int generation, int frame) {
        return ((long) generation << 32) | (frame & 0xffffffffL);
    }

    synchronized byte[] get(int pgno, long tag) {
        Entry e = map.get(pgno);
        return e != null && e.tag == tag ? e.data : null;
    }

    synchronized void put(int pgno, long tag, byte[] data) {
        map.put(pgno, new Entry(tag, data));
    }

    /** Drops the database-file image of {@code pgno}: the file's copy changed. */
    synchronized void invalidateFileCopy(int pgno) {
        Entry e = map.get(pgno);
        if (e != null && e.tag == DB_FILE) {
            map.remove(pgno);
        }
    }

    synchronized void clear() {
        map.clear();
    }
}
