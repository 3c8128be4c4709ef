package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtxCompactorTest {
    private static final long SEED = Long.getLong("ltx.seed", System.nanoTime());

    static {
        System.out.println("LtxCompactorTest seed " + SEED
                + " (rerun: mvn -pl snkv-ltx test -Dtest=LtxCompactorTest -Dltx.seed=" + SEED + ")");
    }

    private final SplittableRandom random = new SplittableRandom(SEED);

    /** One file of a chain, and the database after applying it. */
    private record Link(byte[] file, LtxHeader header, long postApply, ModelDatabase after) {}

    /** Pages that are random, repetitive, zero, or a mix, so LZ4 sees literals and matches. */
    private byte[] page(int pageSize) {
        byte[] p = new byte[pageSize];
        switch (random.nextInt(4)) {
            case 0 -> random.nextBytes(p);
            case 1 -> Arrays.fill(p, (byte) random.nextInt(256));
            case 2 -> { } // zero page
            default -> {
                byte[] r = new byte[random.nextInt(pageSize)];
                random.nextBytes(r);
                System.arraycopy(r, 0, p, 0, r.length);
                Arrays.fill(p, r.length, pageSize, (byte) random.nextInt(256));
            }
        }
        return p;
    }

    private static byte[] encode(LtxHeader h, TreeMap<Long, byte[]> pages, long post) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxEncoder e = new LtxEncoder(out, h);
        for (var en : pages.entrySet()) {
            e.writePage(en.getKey(), en.getValue());
        }
        e.finish(post);
        return out.toByteArray();
    }

    /**
     * A random chain: a snapshot, then files that rewrite some pages and keep, grow or shrink the
     * database; a growth writes all of its new pages only half of the time, so zero pages appear.
     */
    private List<Link> chain(int pageSize, int length) throws IOException {
        List<Link> chain = new ArrayList<>();
        ModelDatabase db = new ModelDatabase(pageSize);
        long txid = 1;
        long timestamp = 1_700_000_000_000L + random.nextInt(1_000_000);
        for (int i = 0; i < length; i++) {
            long commit = db.commit();
            TreeMap<Long, byte[]> written = new TreeMap<>();
            if (i == 0) {
                commit = 1 + random.nextInt(30);
                db.resize(commit);
                for (long p = 1; p <= commit; p++) {
                    written.put(p, page(pageSize));
                }
            } else {
                long old = commit;
                int change = random.nextInt(10);
                if (change < 3) {
                    commit += 1 + random.nextInt(10);
                } else if (change < 6) {
                    commit -= random.nextInt((int) Math.min(commit, 10) + 1);
                }
                db.resize(commit);
                if (commit > old && random.nextBoolean()) {
                    for (long p = old + 1; p <= commit; p++) {
                        written.put(p, page(pageSize));
                    }
                }
                for (int k = random.nextInt(8); k > 0 && commit > 0; k--) {
                    written.put(1 + random.nextLong(commit), page(pageSize));
                }
            }
            written.forEach(db::write);
            long pre = i == 0 ? 0 : chain.get(i - 1).postApply();
            long maxTxid = txid + random.nextInt(3);
            timestamp += 1 + random.nextInt(1000);
            LtxHeader h = new LtxHeader(0, pageSize, commit, txid, maxTxid, timestamp, pre, 0, 0, 0, 0,
                    random.nextLong(1, Long.MAX_VALUE));
            long post = db.checksum();
            chain.add(new Link(encode(h, written, post), h, post, db.copy()));
            txid = maxTxid + 1;
        }
        return chain;
    }

    private static List<InputStream> streams(List<Link> links) {
        return links.stream().<InputStream>map(l -> new ByteArrayInputStream(l.file())).toList();
    }

    private static byte[] compact(List<Link> links) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxCompactor.Compacted c = LtxCompactor.compact(streams(links), out);
        assertThat(c.header().commit()).isEqualTo(links.get(links.size() - 1).header().commit());
        return out.toByteArray();
    }

    /** A database the snapshot-first compactions are applied to: whatever was there must not matter. */
    private ModelDatabase unrelatedDatabase(int pageSize) {
        ModelDatabase db = new ModelDatabase(pageSize);
        db.resize(random.nextInt(60));
        for (long p = 1; p <= db.commit(); p++) {
            db.write(p, page(pageSize));
        }
        return db;
    }

    @Test
    void compactedRangesTakeTheDatabaseFromTheStartToTheEndOfTheRange() throws IOException {
        for (int round = 0; round < 12; round++) {
            int pageSize = new int[] {512, 1024, 4096}[random.nextInt(3)];
            List<Link> chain = chain(pageSize, 2 + random.nextInt(20));
            for (int r = 0; r < 25; r++) {
                int from = r == 0 ? 0 : random.nextInt(chain.size());
                int to = r == 0 ? chain.size() - 1 : from + random.nextInt(chain.size() - from);
                String what = String.format("seed %d round %d, files %d..%d of %d", SEED, round, from, to,
                        chain.size());
                List<Link> range = chain.subList(from, to + 1);
                Link first = range.get(0);
                Link last = range.get(range.size() - 1);

                byte[] file = compact(range);
                assertThat(LtxDecoder.decodeAll(file)).as(what).allSatisfy(
                        f -> assertThat(f.pageNumber()).isBetween(1L, last.header().commit()));

                ModelDatabase db = from == 0 ? unrelatedDatabase(pageSize) : chain.get(from - 1).after().copy();
                if (from > 0) {
                    assertThat(db.checksum()).as(what).isEqualTo(first.header().preApplyChecksum());
                }
                ModelDatabase.Applied applied = db.apply(file);
                LtxHeader h = applied.header();
                assertThat(h).as(what).isEqualTo(new LtxHeader(0, pageSize, last.header().commit(),
                        first.header().minTxid(), last.header().maxTxid(), last.header().timestamp(),
                        first.header().preApplyChecksum(), 0, 0, 0, 0, last.header().nodeId()));
                assertThat(h.isSnapshot()).as(what).isEqualTo(from == 0);
                db.assertSameAs(last.after(), what);
                assertThat(applied.trailer().postApplyChecksum()).as(what)
                        .isEqualTo(last.postApply()).isEqualTo(db.checksum());
            }
        }
    }

    @Test
    void compactingCompactedFilesGivesTheSameFile() throws IOException {
        for (int round = 0; round < 10; round++) {
            List<Link> chain = chain(512, 3 + random.nextInt(15));
            int from = random.nextInt(chain.size() - 1);
            int to = from + 1 + random.nextInt(chain.size() - from - 1);
            int split = from + random.nextInt(to - from);
            byte[] left = compact(chain.subList(from, split + 1));
            byte[] right = compact(chain.subList(split + 1, to + 1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LtxCompactor.compact(List.of(new ByteArrayInputStream(left), new ByteArrayInputStream(right)), out);
            assertThat(out.toByteArray()).as("seed %d round %d, files %d..%d split after %d", SEED, round, from, to,
                    split).isEqualTo(compact(chain.subList(from, to + 1)));
        }
    }

    @Test
    void snapshotFirstCompactionIsAValidSnapshot() throws IOException {
        List<Link> chain = chain(1024, 12);
        byte[] file = compact(chain);
        List<LtxPageFrame> frames = LtxDecoder.decodeAll(file);
        Link last = chain.get(chain.size() - 1);
        assertThat(frames).extracting(LtxPageFrame::pageNumber)
                .as("seed %d", SEED).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, last.header().commit()).boxed().toList());
        ModelDatabase db = new ModelDatabase(1024);
        db.apply(file);
        db.assertSameAs(last.after(), "seed " + SEED);
    }

    @Test
    void aShrinkThenGrowthLeavesZeroPagesAndSkipsTheLockPage() throws IOException {
        int pageSize = 512;
        long lock = LtxChecksums.lockPage(pageSize); // 2097153
        byte[] a = page(pageSize);
        byte[] b = page(pageSize);
        a[0] = b[0] = 1; // never a zero page
        TreeMap<Long, byte[]> first = new TreeMap<>();
        first.put(lock - 1, a);
        first.put(lock + 1, a);
        first.put(lock + 7, a);
        TreeMap<Long, byte[]> third = new TreeMap<>();
        third.put(lock + 2, b);
        long s1 = LtxChecksums.FLAG | 1, s2 = LtxChecksums.FLAG | 2, s3 = LtxChecksums.FLAG | 3, s4 = LtxChecksums.FLAG | 4;
        List<byte[]> files = List.of(
                encode(LtxHeader.of(pageSize, lock + 7, 10, 10, 1, s1), first, s2),
                encode(LtxHeader.of(pageSize, lock - 3, 11, 11, 2, s2), new TreeMap<>(), s3),
                encode(LtxHeader.of(pageSize, lock + 3, 12, 12, 3, s3), third, s4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxCompactor.Compacted c = LtxCompactor.compact(
                files.stream().<InputStream>map(ByteArrayInputStream::new).toList(), out);

        List<LtxPageFrame> frames = LtxDecoder.decodeAll(out.toByteArray());
        assertThat(frames).extracting(LtxPageFrame::pageNumber)
                .containsExactly(lock - 2, lock - 1, lock + 1, lock + 2, lock + 3);
        assertThat(c.pageCount()).isEqualTo(5);
        assertThat(c.header().commit()).isEqualTo(lock + 3);
        assertThat(c.trailer().postApplyChecksum()).isEqualTo(s4);
        for (LtxPageFrame f : frames) {
            assertThat(f.data()).as("page %d", f.pageNumber()).isEqualTo(f.pageNumber() == lock + 2 ? b : new byte[pageSize]);
        }

        // Applied one by one or compacted, a database holding old data there ends the same.
        ModelDatabase stepwise = new ModelDatabase(pageSize);
        stepwise.resize(lock + 10);
        for (long p = lock - 5; p <= lock + 10; p++) {
            if (p != lock) {
                stepwise.write(p, b);
            }
        }
        ModelDatabase compacted = stepwise.copy();
        for (byte[] f : files) {
            stepwise.apply(f);
        }
        compacted.apply(out.toByteArray());
        compacted.assertSameAs(stepwise, "lock page chain");
    }

    @Test
    void filesOnDiskCompactLikeStreams(@TempDir Path dir) throws IOException {
        List<Link> chain = chain(4096, 6);
        List<Path> paths = new ArrayList<>();
        for (Link l : chain) {
            Path p = dir.resolve(LtxFileName.format(l.header().minTxid(), l.header().maxTxid()));
            Files.write(p, l.file());
            paths.add(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxCompactor.compactFiles(paths, out);
        assertThat(out.toByteArray()).isEqualTo(compact(chain));

        Files.write(paths.get(3), Arrays.copyOf(chain.get(3).file(), chain.get(3).file().length - 1));
        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        Throwable t = catchThrowable(() -> LtxCompactor.compactFiles(paths, refused));
        assertThat(t).isExactlyInstanceOf(LtxFormatException.class)
                .hasMessageContaining("input 3 (" + paths.get(3) + ")").hasMessageContaining("file ends inside");
        assertThat(refused.size()).isZero();
    }

    // --- refusals: each names the input and why, and writes nothing ---

    private static Throwable refusal(List<byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable t = catchThrowable(() -> LtxCompactor.compact(
                files.stream().<InputStream>map(ByteArrayInputStream::new).toList(), out));
        assertThat(t).isNotNull();
        assertThat(out.size()).as("bytes written before refusing").isZero();
        return t;
    }

    private static byte[] reencode(Link l, LtxHeader h, long post) throws IOException {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (LtxPageFrame f : LtxDecoder.decodeAll(l.file())) {
            pages.put(f.pageNumber(), f.data());
        }
        return encode(h, pages, post);
    }

    private static LtxHeader withFlags(LtxHeader h, int flags, long pre) {
        return new LtxHeader(flags, h.pageSize(), h.commit(), h.minTxid(), h.maxTxid(), h.timestamp(), pre,
                0, 0, 0, 0, h.nodeId());
    }

    @Test
    void refusesNoInputs() {
        assertThat(refusal(List.of())).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no input");
    }

    @Test
    void refusesDifferentPageSizes() throws IOException {
        List<Link> chain = chain(512, 2);
        Link second = chain.get(1);
        LtxHeader h = second.header();
        byte[] bigger = encode(new LtxHeader(0, 1024, 0, h.minTxid(), h.maxTxid(), h.timestamp(),
                h.preApplyChecksum(), 0, 0, 0, 0, 0), new TreeMap<>(), LtxChecksums.EMPTY_DATABASE);
        assertThat(refusal(List.of(chain.get(0).file(), bigger))).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1").hasMessageContaining("page size 1024")
                .hasMessageContaining("first input has 512");
    }

    @Test
    void refusesTxidGapsAndOverlaps() throws IOException {
        List<Link> chain = chain(512, 4);
        assertThat(refusal(List.of(chain.get(0).file(), chain.get(2).file())))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 1")
                .hasMessageContaining("does not follow");
        assertThat(refusal(List.of(chain.get(1).file(), chain.get(2).file(), chain.get(2).file())))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 2")
                .hasMessageContaining("does not follow");
        assertThat(refusal(List.of(chain.get(2).file(), chain.get(1).file())))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 1");
    }

    @Test
    void refusesAPreApplyChecksumThatIsNotThePreviousPostApplyChecksum() throws IOException {
        List<Link> chain = chain(512, 3);
        Link second = chain.get(1);
        byte[] bad = reencode(second, withFlags(second.header(), 0, second.header().preApplyChecksum() ^ 1),
                second.postApply());
        assertThat(refusal(List.of(chain.get(0).file(), bad, chain.get(2).file())))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 1")
                .hasMessageContaining("pre-apply");
    }

    @Test
    void refusesASnapshotAnywhereButFirst() throws IOException {
        List<Link> chain = chain(512, 2);
        assertThat(refusal(List.of(chain.get(0).file(), chain.get(0).file())))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 1")
                .hasMessageContaining("snapshot");
    }

    @Test
    void refusesTheNoChecksumFlag() throws IOException {
        List<Link> chain = chain(512, 3);
        Link second = chain.get(1);
        byte[] unchecked = reencode(second, withFlags(second.header(), LtxLayout.HEADER_FLAG_NO_CHECKSUM, 0), 0);
        assertThat(refusal(List.of(unchecked))).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 0").hasMessageContaining("no-checksum");
        assertThat(refusal(List.of(chain.get(0).file(), unchecked, chain.get(2).file())))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 1")
                .hasMessageContaining("no-checksum");
    }

    @Test
    void refusesBadBytesNamingTheInput() throws IOException {
        List<Link> chain = chain(512, 3);
        byte[] flipped = chain.get(1).file().clone();
        flipped[flipped.length / 2] ^= 0x10;
        Throwable t = refusal(List.of(chain.get(0).file(), flipped, chain.get(2).file()));
        assertThat(t).isExactlyInstanceOf(LtxFormatException.class).hasMessageContaining("input 1")
                .hasMessageContaining("byte offset");

        byte[] longer = Arrays.copyOf(chain.get(2).file(), chain.get(2).file().length + 1);
        assertThat(refusal(List.of(chain.get(0).file(), chain.get(1).file(), longer)))
                .isExactlyInstanceOf(LtxFormatException.class).hasMessageContaining("input 2")
                .hasMessageContaining("bytes follow the trailer");
    }

    @Test
    void refusesASnapshotChainWhosePostApplyChecksumContradictsItsPages() throws IOException {
        List<Link> chain = chain(512, 3);
        Link last = chain.get(2);
        byte[] lying = reencode(last, last.header(), last.postApply() ^ 1);
        assertThat(refusal(List.of(chain.get(0).file(), chain.get(1).file(), lying)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not agree");
        // Without a snapshot the contradiction is invisible: nothing to check the checksum against.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxCompactor.compact(List.of(new ByteArrayInputStream(chain.get(1).file()), new ByteArrayInputStream(lying)), out);
        assertThat(out.size()).isPositive();
    }
}
