package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Test model of a database: {@code commit} pages, held in a page map in which an absent page is a
 * zero page, so a sparse database far above the lock page stays small. Applies an LTX file the way
 * the spec says a replica does: write every page, then truncate or extend to commit (extending adds
 * zero pages).
 */
final class ModelDatabase {
    final int pageSize;
    private final byte[] zero;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private long commit;

    ModelDatabase(int pageSize) {
        this.pageSize = pageSize;
        this.zero = new byte[pageSize];
    }

    ModelDatabase copy() {
        ModelDatabase c = new ModelDatabase(pageSize);
        pages.forEach((p, d) -> c.pages.put(p, d.clone()));
        c.commit = commit;
        return c;
    }

    long commit() {
        return commit;
    }

    byte[] page(long pgno) {
        return pages.getOrDefault(pgno, zero);
    }

    void write(long pgno, byte[] data) {
        assertThat(data).hasSize(pageSize);
        assertThat(pgno).isBetween(1L, commit);
        pages.put(pgno, data.clone());
    }

    void resize(long newCommit) {
        pages.tailMap(newCommit, false).clear();
        commit = newCommit;
    }

    /** Decodes (and so verifies) {@code file}, then applies it; returns its header and trailer. */
    Applied apply(byte[] file) throws IOException {
        LtxDecoder d = new LtxDecoder(new java.io.ByteArrayInputStream(file));
        TreeMap<Long, byte[]> frames = new TreeMap<>();
        for (LtxPageFrame f; (f = d.readPage()) != null; ) {
            frames.put(f.pageNumber(), f.data());
        }
        assertThat(d.position()).isEqualTo(file.length);
        assertThat(d.header().pageSize()).isEqualTo(pageSize);
        long newCommit = d.header().commit();
        commit = Math.max(commit, newCommit);
        frames.forEach(this::write);
        resize(newCommit);
        return new Applied(d.header(), d.trailer());
    }

    record Applied(LtxHeader header, LtxTrailer trailer) {}

    /** The database checksum: every page 1..commit but the lock page, absent pages as zero pages. */
    long checksum() {
        long lock = LtxChecksums.lockPage(pageSize);
        long x = 0;
        for (long p = 1; p <= commit; p++) {
            if (p != lock) {
                x ^= LtxChecksums.pageChecksum(p, page(p));
            }
        }
        return LtxChecksums.FLAG | x;
    }

    /** Asserts the same commit and the same content in every page either model holds. */
    void assertSameAs(ModelDatabase expected, String what) {
        assertThat(commit).as("%s: commit", what).isEqualTo(expected.commit);
        TreeSet<Long> held = new TreeSet<>(pages.keySet());
        held.addAll(expected.pages.keySet());
        for (long p : held) {
            assertThat(page(p)).as("%s: page %d", what, p).isEqualTo(expected.page(p));
        }
    }
}
