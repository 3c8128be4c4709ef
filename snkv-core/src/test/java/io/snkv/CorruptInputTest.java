package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of the golden files: the store must answer right, or say the file is corrupt
 * ({@link CorruptDatabaseException}, or a {@link KVException} with code CORRUPT); never another exception
 * type, never a hang, never a silent wrong answer. Each case opens one damaged copy, reads everything
 * (get and exists of every manifest key, a full iteration, count, integrityCheck) and is judged by one of:
 * <ul>
 *   <li>EXACT: the damage is one a crash leaves (a torn WAL tail, a hot journal), so the store must open
 *       cleanly and hold exactly one known state: the last transaction committed before the damage;</li>
 *   <li>CORRECT_OR_REPORTED: structural damage (truncation, a zeroed page, a bad pointer, header, count or
 *       chain link): every answer must be the manifest's, or the damage must be reported (a CORRUPT
 *       exception from any call, or an integrityCheck problem);</li>
 *   <li>NO_UNCHECKED_FAILURE: random byte flips and garbage, which may land inside a value where the format
 *       cannot see them: only the exception types and the hang guard are checked.</li>
 * </ul>
 * Random cases derive from one seed, printed at start; re-run with {@code -Dsnkv.seed=<seed>}.
 */
class CorruptInputTest {
    private static final long SEED = chooseSeed();
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final Duration HANG_GUARD_BIG = Duration.ofSeconds(40);
    private static final String CF = "default";
    private static final List<String> DAMAGE_TARGETS =
            List.of("small.db", "big.db", "freelist.db", "pagesize-1024.db", "journal-delete.db");
    private static final String WAL_DB = "wal-uncheckpointed.db";
    /**
     * The golden -wal's commit frames and what each commits, decoded from its frames: frames 1-3 and 4-6
     * create the store and its column-family table (no entries), frame 7 commits keys w0-*, frame 8 keys
     * w1-*, frames 9-13 keys w2-*.
     */
    private static final List<Integer> WAL_COMMIT_FRAMES = List.of(3, 6, 7, 8, 13);
    private static final Map<String, Integer> WAL_KEY_PREFIX_COMMIT_FRAME = Map.of("w0-", 7, "w1-", 8, "w2-", 13);

    enum Verdict { EXACT, CORRECT_OR_REPORTED, NO_UNCHECKED_FAILURE }

    @FunctionalInterface
    interface Damage {
        void apply(Path db) throws IOException;
    }

    /**
     * One damaged file to open.
     *
     * @param acceptable the states the store may hold (EXACT uses the first)
     * @param change     applied after open (may be null); {@code acceptable} already includes its effect
     */
    record DamageCase(String name, String file, Damage damage, Verdict verdict, List<ExpectedContent> acceptable,
                      boolean readOnly, StoreObservation.Change change) {
        DamageCase readOnlyCopy() {
            return new DamageCase(name + " [read-only]", file, damage, verdict, acceptable, true, null);
        }
    }

    /** A change to apply to a damaged store, and the content it leads to from the manifest. */
    record PlannedChange(StoreObservation.Change change, ExpectedContent after) {
    }

    @TempDir
    Path tmp;
    private int caseNumber;

    private static long chooseSeed() {
        Long given = Long.getLong("snkv.seed");
        long seed = given != null ? given : new SecureRandom().nextLong();
        System.out.println("CorruptInputTest seed " + seed + (given != null ? " (from -Dsnkv.seed)"
                : " (re-run with -Dsnkv.seed=" + seed + ")"));
        return seed;
    }

    // ---------------------------------------------------------------- sanity of the aiming helpers

    /** The raw-file maps the cases aim with agree with the manifest (runs without the engine). */
    @Test
    void goldenLayoutsAgreeWithTheManifest() {
        for (String file : DAMAGE_TARGETS) {
            RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
            Set<String> treeKeys = new TreeSet<>();
            Stream.concat(raw.leafCells().stream(), raw.interiorCells().stream())
                    .forEach(c -> treeKeys.add(GoldenManifest.toHex(c.key())));
            Set<String> manifestKeys = new TreeSet<>();
            manifest(file).entries().keySet().forEach(k -> manifestKeys.add(GoldenManifest.toHex(k)));
            assertThat(treeKeys).as(file + " keys in the b-tree").isEqualTo(manifestKeys);
            for (int p = 1; p <= raw.pageCount(); p++) {
                assertThat(raw.kind(p)).as(file + " page " + p + " kind").isNotEqualTo(RawDatabaseFile.PageKind.OTHER);
            }
            assertThat(raw.freelistTrunks().size() + raw.freelistLeaves().size()).as(file + " free pages")
                    .isEqualTo(raw.u32(RawDatabaseFile.HDR_FREELIST_COUNT));
            assertThat(raw.fileSize()).isEqualTo((long) raw.pageCount() * raw.pageSize());
        }
        RawWalFile wal = RawWalFile.ofGolden(WAL_DB + "-wal");
        assertThat(wal.commitFrames()).isEqualTo(WAL_COMMIT_FRAMES);
        assertThat(wal.fileSize()).isEqualTo(RawWalFile.HEADER_SIZE + wal.frames().size() * wal.frameSize());
        ExpectedContent all = manifest(WAL_DB);
        assertThat(walStateThrough(13).size()).isEqualTo(all.size());
        assertThat(walStateThrough(8).size()).isEqualTo(200);
        assertThat(walStateThrough(7).size()).isEqualTo(100);
        assertThat(walStateThrough(6).size()).isZero();
    }

    // ---------------------------------------------------------------- (a) truncation

    @TestFactory
    Stream<DynamicTest> truncatedFiles() {
        List<DamageCase> cases = new ArrayList<>();
        for (String file : DAMAGE_TARGETS) {
            RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
            ExpectedContent m = manifest(file);
            int i = 0;
            for (long length : truncationLengths(raw, file.equals("big.db"))) {
                // An empty file is a new, empty database: that answer is right too.
                List<ExpectedContent> ok = length == 0 ? List.of(m, emptied(m)) : List.of(m);
                DamageCase c = new DamageCase(file + " truncated to " + length + " bytes", file,
                        db -> FileEdits.truncate(db, length), Verdict.CORRECT_OR_REPORTED, ok, false, null);
                cases.add(c);
                if (i++ % 4 == 0) {
                    cases.add(c.readOnlyCopy());
                }
            }
        }
        return tests(cases);
    }

    private static Collection<Long> truncationLengths(RawDatabaseFile raw, boolean sparse) {
        long ps = raw.pageSize();
        long size = raw.fileSize();
        int pages = raw.pageCount();
        TreeSet<Long> lengths = new TreeSet<>(List.of(0L, 1L, 50L, 99L, 100L, ps - 1, ps + 1, size - 1, size - ps,
                size - ps / 2));
        int dense = sparse ? 4 : 24;
        for (long k = 1; k <= Math.min(pages - 1, dense); k++) {
            lengths.add(k * ps);
        }
        for (long k = dense; k < pages; k += Math.max(1, pages / 8)) {
            lengths.add(k * ps);
        }
        raw.overflowChains().stream().max(Comparator.comparingInt(c -> c.pages().size())).ifPresent(chain -> {
            long middle = raw.pageOffset(chain.pages().get(chain.pages().size() / 2));
            lengths.add(middle);
            lengths.add(middle + ps / 2);
        });
        lengths.removeIf(l -> l < 0 || l >= size);
        return lengths;
    }

    // ---------------------------------------------------------------- (b) a zeroed page

    @TestFactory
    Stream<DynamicTest> zeroedPages() {
        List<DamageCase> cases = new ArrayList<>();
        for (String file : DAMAGE_TARGETS) {
            RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
            ExpectedContent m = manifest(file);
            Set<Integer> tails = new TreeSet<>();
            raw.overflowChains().forEach(c -> tails.add(c.tail()));
            Set<Integer> picks = new LinkedHashSet<>();
            for (RawDatabaseFile.PageKind kind : RawDatabaseFile.PageKind.values()) {
                List<Integer> pages = raw.pagesOfKind(kind);
                if (!pages.isEmpty()) {
                    picks.add(pages.get(0));
                    picks.add(pages.get(pages.size() - 1));
                }
            }
            raw.overflowChains().stream().max(Comparator.comparingInt(c -> c.pages().size())).ifPresent(chain -> {
                picks.add(chain.pages().get(0));
                picks.add(chain.tail());
            });
            for (int page : picks) {
                RawDatabaseFile.PageKind kind = raw.kind(page);
                String name = file + " page " + page + " (" + kind + (tails.contains(page) ? ", chain tail" : "")
                        + ") zeroed";
                Damage zero = db -> FileEdits.zero(db, raw.pageOffset(page), raw.pageSize());
                if (kind == RawDatabaseFile.PageKind.FREELIST_TRUNK || kind == RawDatabaseFile.PageKind.FREELIST_LEAF
                        || kind == RawDatabaseFile.PageKind.PTRMAP) {
                    // Harmless to reads; it matters once pages are allocated, so write too.
                    PlannedChange change = allocatingChange(m);
                    cases.add(new DamageCase(name + ", then written", file, zero, Verdict.CORRECT_OR_REPORTED,
                            List.of(change.after()), false, change.change()));
                } else if (tails.contains(page)) {
                    // The last page of a chain holds only value bytes: zeroing it is invisible to the
                    // format, so the value with those bytes zeroed is a right answer too.
                    cases.add(new DamageCase(name, file, zero, Verdict.CORRECT_OR_REPORTED,
                            List.of(m, withZeroedTail(m, raw, page)), false, null));
                } else {
                    cases.add(new DamageCase(name, file, zero, Verdict.CORRECT_OR_REPORTED, List.of(m), false, null));
                }
            }
        }
        return tests(cases);
    }

    private static ExpectedContent withZeroedTail(ExpectedContent m, RawDatabaseFile raw, int tailPage) {
        RawDatabaseFile.OverflowChain chain = raw.overflowChains().stream().filter(c -> c.tail() == tailPage)
                .findFirst().orElseThrow();
        int[] range = raw.valueRangeOnTail(chain);
        byte[] value = m.entries().get(chain.ownerKey()).clone();
        Arrays.fill(value, range[0], range[1], (byte) 0);
        return m.withEntry(chain.ownerKey(), value);
    }

    // ---------------------------------------------------------------- (c) random bytes and garbage

    /** One write of bytes (or an XOR mask) at a file offset, chosen at random when the cases are built. */
    record Patch(long offset, byte[] bytes, boolean xor) {
        void apply(Path file) throws IOException {
            if (!xor) {
                FileEdits.write(file, offset, bytes);
                return;
            }
            byte[] old = FileEdits.read(file, offset, bytes.length);
            for (int i = 0; i < old.length; i++) {
                old[i] ^= bytes[i];
            }
            FileEdits.write(file, offset, old);
        }

        @Override
        public String toString() {
            return (xor ? "xor@" : "write@") + offset + (bytes.length <= 4 ? "=" + HexFormat.of().formatHex(bytes)
                    : "+" + bytes.length);
        }
    }

    @TestFactory
    Stream<DynamicTest> randomGarbage() {
        Random rnd = new Random(SEED ^ 0x5EED_0003L);
        List<String> files = List.of("small.db", "freelist.db", "pagesize-1024.db", "journal-delete.db");
        List<DamageCase> cases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String file = i % 10 == 9 ? "big.db" : files.get(rnd.nextInt(files.size()));
            RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
            int style = rnd.nextInt(4);
            List<Patch> patches = randomPatches(raw, style, rnd);
            boolean readOnly = rnd.nextBoolean();
            String name = file + " random #" + i + " (seed " + SEED + ") "
                    + List.of("byte flips", "page-header flips", "garbage run", "garbage page").get(style) + " "
                    + (patches.size() <= 8 ? patches : patches.size() + " patches");
            cases.add(new DamageCase(name, file, db -> {
                for (Patch p : patches) {
                    p.apply(db);
                }
            }, Verdict.NO_UNCHECKED_FAILURE, List.of(manifest(file)), readOnly, null));
        }
        return tests(cases);
    }

    private static List<Patch> randomPatches(RawDatabaseFile raw, int style, Random rnd) {
        List<Patch> patches = new ArrayList<>();
        long size = raw.fileSize();
        int ps = raw.pageSize();
        switch (style) {
            case 0 -> {
                for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
                    patches.add(new Patch(Math.floorMod(rnd.nextLong(), size), new byte[] {nonZero(rnd)}, true));
                }
            }
            case 1 -> {
                List<Integer> treePages = new ArrayList<>(raw.interiorPages());
                treePages.addAll(raw.leafPages());
                treePages.add(1);
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    int page = treePages.get(rnd.nextInt(treePages.size()));
                    long offset = raw.pageHeaderOffset(page) + rnd.nextInt(40);
                    patches.add(new Patch(offset, new byte[] {nonZero(rnd)}, true));
                }
            }
            case 2 -> {
                byte[] garbage = new byte[16 + rnd.nextInt(497)];
                rnd.nextBytes(garbage);
                patches.add(new Patch(Math.floorMod(rnd.nextLong(), size - garbage.length), garbage, false));
            }
            default -> {
                byte[] garbage = new byte[ps];
                rnd.nextBytes(garbage);
                int page = 1 + rnd.nextInt(raw.pageCount());
                patches.add(new Patch(raw.pageOffset(page), garbage, false));
            }
        }
        return patches;
    }

    private static byte nonZero(Random rnd) {
        return (byte) (1 + rnd.nextInt(255));
    }

    // ---------------------------------------------------------------- (d) WAL damage: the torn-tail rule

    @TestFactory
    Stream<DynamicTest> walDamage() {
        RawWalFile wal = RawWalFile.ofGolden(WAL_DB + "-wal");
        int frames = wal.frames().size();
        long fs = wal.frameSize();
        List<DamageCase> cases = new ArrayList<>();
        for (int k = 1; k <= frames; k++) {
            long at = wal.frame(k).offset() + RawWalFile.FR_CHECKSUM1 + 3;
            cases.add(walCase("frame " + k + " checksum corrupted", walXor(at), wal.lastCommitBefore(k)));
        }
        for (int k : List.of(1, 4, 7, 8, 9, 13)) {
            long at = wal.frame(k).offset() + RawWalFile.FR_SALT1;
            cases.add(walCase("frame " + k + " salt corrupted", walXor(at), wal.lastCommitBefore(k)));
            at = wal.frame(k).offset() + RawWalFile.FR_SALT2 + 3;
            cases.add(walCase("frame " + k + " second salt corrupted", walXor(at), wal.lastCommitBefore(k)));
        }
        for (int k : List.of(7, 8, 13)) {
            long data = wal.frame(k).offset() + RawWalFile.FRAME_HEADER_SIZE + wal.pageSize() / 2;
            cases.add(walCase("frame " + k + " page byte changed", walXor(data), wal.lastCommitBefore(k)));
            long pageField = wal.frame(k).offset() + RawWalFile.FR_PAGE + 3;
            cases.add(walCase("frame " + k + " page number changed", walXor(pageField), wal.lastCommitBefore(k)));
            long commitField = wal.frame(k).offset() + RawWalFile.FR_COMMIT_SIZE + 3;
            cases.add(walCase("frame " + k + " commit size changed", walXor(commitField), wal.lastCommitBefore(k)));
        }
        for (int at : List.of(0, 3, 7, 10, 15, 16, 23, 27, 31)) {
            cases.add(walCase("WAL header byte " + at + " changed", walXor(at), 0));
        }
        TreeSet<Long> lengths = new TreeSet<>(List.of(0L, 10L, 31L, 32L));
        for (int k = 0; k < frames; k++) {
            long start = RawWalFile.HEADER_SIZE + k * fs;
            lengths.addAll(List.of(start + 1, start + RawWalFile.FRAME_HEADER_SIZE, start + fs / 2, start + fs - 1,
                    start + fs));
        }
        lengths.remove(wal.fileSize());
        for (long length : lengths) {
            int complete = (int) Math.max(0, (length - RawWalFile.HEADER_SIZE) / fs);
            Damage cut = db -> FileEdits.truncate(walOf(db), length);
            cases.add(walCase("WAL truncated to " + length + " bytes (" + complete + " whole frames)", cut,
                    length < RawWalFile.HEADER_SIZE ? 0 : wal.lastCommitBefore(complete + 1)));
        }
        Random rnd = new Random(SEED ^ 0x5EED_0004L);
        for (int i = 0; i < 16; i++) {
            long at = Math.floorMod(rnd.nextLong(), wal.fileSize());
            int mask = nonZero(rnd) & 0xff;
            int frame = at < RawWalFile.HEADER_SIZE ? 0 : (int) ((at - RawWalFile.HEADER_SIZE) / fs) + 1;
            cases.add(walCase("WAL byte " + at + " xor " + mask + " (frame " + frame + ", seed " + SEED + ")",
                    db -> FileEdits.xorByte(walOf(db), at, mask), frame == 0 ? 0 : wal.lastCommitBefore(frame)));
        }
        List<DamageCase> withReadOnly = new ArrayList<>(cases);
        String midFrame8 = "WAL truncated to " + (RawWalFile.HEADER_SIZE + 7 * fs + fs / 2) + " bytes";
        for (DamageCase c : cases) {
            String what = c.name().substring(WAL_DB.length() + 1);
            if (what.startsWith("frame 8 checksum") || what.startsWith("frame 13 checksum")
                    || what.startsWith("WAL header byte 27") || what.startsWith(midFrame8)) {
                withReadOnly.add(c.readOnlyCopy());
            }
        }
        return tests(withReadOnly);
    }

    private static DamageCase walCase(String what, Damage damage, int lastValidCommitFrame) {
        String name = WAL_DB + " " + what + ": expect the state after frame " + lastValidCommitFrame;
        return new DamageCase(name, WAL_DB, damage, Verdict.EXACT, List.of(walStateThrough(lastValidCommitFrame)),
                false, null);
    }

    private static Damage walXor(long offset) {
        return db -> FileEdits.xorByte(walOf(db), offset, 0x5a);
    }

    /** The default family after the WAL's commits up to frame {@code commitFrame}. */
    private static ExpectedContent walStateThrough(int commitFrame) {
        return manifest(WAL_DB).onlyKeys(key -> {
            String prefix = new String(key, 0, Math.min(3, key.length), StandardCharsets.US_ASCII);
            Integer committedAt = WAL_KEY_PREFIX_COMMIT_FRAME.get(prefix);
            if (committedAt == null) {
                throw new IllegalStateException("no transaction known for key " + GoldenManifest.toHex(key));
            }
            return committedAt <= commitFrame;
        });
    }

    private static Path walOf(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    // ---------------------------------------------------------------- (e) structural damage

    @TestFactory
    Stream<DynamicTest> structuralDamage() {
        List<DamageCase> cases = new ArrayList<>();
        overflowChainCases(cases);
        for (String file : List.of("small.db", "freelist.db", "pagesize-1024.db", "journal-delete.db")) {
            childPointerCases(file, cases);
            leafPageCases(file, cases);
        }
        headerCases("small.db", cases);
        headerCases("pagesize-1024.db", cases);
        freeListCases(cases);
        return tests(cases);
    }

    private void overflowChainCases(List<DamageCase> cases) {
        String file = "big.db";
        RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
        List<RawDatabaseFile.OverflowChain> chains = raw.overflowChains().stream()
                .sorted(Comparator.comparingInt(c -> -c.pages().size())).toList();
        RawDatabaseFile.OverflowChain longest = chains.get(0);
        RawDatabaseFile.OverflowChain other = chains.get(2);
        int linkPage = longest.pages().get(longest.pages().size() / 2);
        long link = raw.pageOffset(linkPage);
        int leaf = longest.cellPage();
        String chainName = "big.db chain of " + StoreObservation.shortHex(longest.ownerKey()) + " ("
                + longest.pages().size() + " pages): link on page " + linkPage;
        Map<String, Integer> targets = new LinkedHashMap<>();
        targets.put("its first page (cycle)", longest.pages().get(0));
        targets.put("itself", linkPage);
        targets.put("page 1", 1);
        targets.put("one past the last page", raw.pageCount() + 1);
        targets.put("0x7fffffff", 0x7fffffff);
        targets.put("0xffffffff", 0xffffffff);
        targets.put("0 (chain ends early)", 0);
        targets.put("pointer-map page 2", 2);
        targets.put("the leaf holding the cell", leaf);
        targets.put("the middle of another chain", other.pages().get(other.pages().size() / 2));
        targets.forEach((what, to) -> cases.add(strict(chainName + " -> " + what, file, db -> FileEdits.putInt(db, link, to))));
        cases.add(strict("big.db chain tail's next pointer -> its first page", file,
                db -> FileEdits.putInt(db, raw.pageOffset(longest.tail()), longest.pages().get(0))));
        cases.add(strict("big.db chain tail's next pointer -> page 1", file,
                db -> FileEdits.putInt(db, raw.pageOffset(longest.tail()), 1)));
        for (Map.Entry<String, Integer> t : Map.of("page 1", 1, "past the end", raw.pageCount() + 1, "0", 0,
                "the leaf itself", leaf, "another chain's first page", other.pages().get(0)).entrySet()) {
            cases.add(strict("big.db cell's first-overflow pointer -> " + t.getKey(), file,
                    db -> FileEdits.putInt(db, longest.pointerOffset(), t.getValue())));
        }

        String small = "pagesize-1024.db";
        RawDatabaseFile raw1k = RawDatabaseFile.ofGolden(small);
        RawDatabaseFile.OverflowChain two = raw1k.overflowChains().get(raw1k.overflowChains().size() / 2);
        long first = raw1k.pageOffset(two.pages().get(0));
        cases.add(strict(small + " 2-page chain: first page's link -> itself", small,
                db -> FileEdits.putInt(db, first, two.pages().get(0))));
        cases.add(strict(small + " 2-page chain: first page's link -> 0", small, db -> FileEdits.putInt(db, first, 0)));
        cases.add(strict(small + " 2-page chain: first page's link -> a tree leaf", small,
                db -> FileEdits.putInt(db, first, raw1k.leafPages().get(0))));
        cases.add(strict(small + " two cells share one chain", small, db -> FileEdits.putInt(db,
                raw1k.overflowChains().get(0).pointerOffset(), raw1k.overflowChains().get(1).pages().get(0))));
    }

    private void childPointerCases(String file, List<DamageCase> cases) {
        RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
        int root = raw.interiorPages().get(0);
        List<Long> pointers = raw.childPointerOffsets(root);
        long firstChild = pointers.get(0);
        long rightChild = pointers.get(pointers.size() - 1);
        int secondChildPage = raw.u32(pointers.get(1));
        Map<String, Integer> targets = new LinkedHashMap<>();
        targets.put("the page itself", root);
        targets.put("page 1", 1);
        targets.put("one past the last page", raw.pageCount() + 1);
        targets.put("0", 0);
        targets.put("0xffffffff", 0xffffffff);
        targets.put("pointer-map page 2", 2);
        targets.put("the column-family table", raw.u32(RawDatabaseFile.HDR_CF_TABLE_ROOT));
        targets.put("its second child (two parents)", secondChildPage);
        targets.forEach((what, to) -> cases.add(strict(file + " root " + root + " first child -> " + what, file,
                db -> FileEdits.putInt(db, firstChild, to))));
        cases.add(strict(file + " root right child -> the page itself", file, db -> FileEdits.putInt(db, rightChild, root)));
        cases.add(strict(file + " root right child -> past the end", file,
                db -> FileEdits.putInt(db, rightChild, raw.pageCount() + 7)));
        long rootHeader = raw.pageHeaderOffset(root);
        cases.add(strict(file + " root page type -> leaf (10)", file, db -> FileEdits.putByte(db, rootHeader, 10)));
        cases.add(strict(file + " root cell count -> 0", file, db -> FileEdits.putShort(db, rootHeader + 3, 0)));
        cases.add(strict(file + " default root -> one of its leaves (a subtree)", file,
                db -> FileEdits.putInt(db, RawDatabaseFile.HDR_DEFAULT_ROOT, raw.leafPages().get(0))));
        List<Integer> lower = raw.interiorPages().stream().filter(p -> raw.depth(p) >= 1).toList();
        if (!lower.isEmpty()) {
            int inner = lower.get(0);
            long innerFirst = raw.childPointerOffsets(inner).get(0);
            cases.add(strict(file + " interior " + inner + " first child -> the root (cycle)", file,
                    db -> FileEdits.putInt(db, innerFirst, root)));
            cases.add(strict(file + " interior " + inner + " first child -> its parent's sibling subtree", file,
                    db -> FileEdits.putInt(db, innerFirst, lower.get(lower.size() - 1))));
        }
        if (!raw.freelistLeaves().isEmpty()) {
            cases.add(strict(file + " root first child -> a free page (stale content)", file,
                    db -> FileEdits.putInt(db, firstChild, raw.freelistLeaves().get(0))));
        }
        if (!raw.overflowChains().isEmpty()) {
            cases.add(strict(file + " root first child -> an overflow page", file,
                    db -> FileEdits.putInt(db, firstChild, raw.overflowChains().get(0).pages().get(0))));
        }
    }

    private void leafPageCases(String file, List<DamageCase> cases) {
        RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
        ExpectedContent m = manifest(file);
        int leaf = raw.leafPages().get(0);
        long hdr = raw.pageHeaderOffset(leaf);
        List<RawDatabaseFile.Cell> cells = raw.leafCells().stream().filter(c -> c.page() == leaf).toList();
        int cellCount = cells.size();
        String at = file + " leaf " + leaf + " ";
        for (int type : List.of(13, 5, 2, 0, 0xff)) {
            cases.add(strict(at + "page type -> " + type, file, db -> FileEdits.putByte(db, hdr, type)));
        }
        cases.add(strict(at + "cell count -> 0xffff", file, db -> FileEdits.putShort(db, hdr + 3, 0xffff)));
        cases.add(strict(at + "cell count -> 0", file, db -> FileEdits.putShort(db, hdr + 3, 0)));
        cases.add(strict(at + "cell count one short", file, db -> FileEdits.putShort(db, hdr + 3, cellCount - 1)));
        cases.add(strict(at + "cell count one over", file, db -> FileEdits.putShort(db, hdr + 3, cellCount + 1)));
        cases.add(strict(at + "cell content start -> 1", file, db -> FileEdits.putShort(db, hdr + 5, 1)));
        cases.add(strict(at + "fragmented bytes -> 255", file, db -> FileEdits.putByte(db, hdr + 7, 255)));

        // Free-block damage matters once a cell is added to the page: insert keys that sort into it.
        PlannedChange insert = insertionNear(m, cells.get(0).key());
        for (Map.Entry<String, Integer> fb : Map.of("0xffff", 0xffff, "inside the cell pointer array", 8,
                "the page header", 2, "one byte before the page end", raw.pageSize() - 1).entrySet()) {
            cases.add(new DamageCase(at + "first free block -> " + fb.getKey() + ", then written", file,
                    db -> FileEdits.putShort(db, hdr + 1, fb.getValue()), Verdict.CORRECT_OR_REPORTED,
                    List.of(insert.after()), false, insert.change()));
        }

        long pointer0 = hdr + 8;
        for (Map.Entry<String, Integer> cp : Map.of("0 (the page header)", 0, "0xffff", 0xffff,
                "the last byte of the page", raw.pageSize() - 1, "the cell pointer array", 8,
                "the second cell (a duplicate)", (int) (cells.get(1).offset() - raw.pageOffset(leaf))).entrySet()) {
            cases.add(strict(at + "first cell pointer -> " + cp.getKey(), file,
                    db -> FileEdits.putShort(db, pointer0, cp.getValue())));
        }

        RawDatabaseFile.Cell cell = cells.get(cells.size() / 2);
        if (cell.payloadSizeLength() == 1 && cell.payloadSize() < 126) {
            cases.add(strict(at + "a cell's payload size + 1", file,
                    db -> FileEdits.putByte(db, cell.payloadSizeOffset(), cell.payloadSize() + 1)));
            cases.add(strict(at + "a cell's payload size -> 3 (shorter than its key length field)", file,
                    db -> FileEdits.putByte(db, cell.payloadSizeOffset(), 3)));
        }
        cases.add(strict(at + "a cell's payload size -> a 9-byte varint near 2^63", file, db -> FileEdits.write(db,
                cell.payloadSizeOffset(), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        for (Map.Entry<String, Integer> kl : Map.of("0xffffffff", 0xffffffff, "0x7fffffff", 0x7fffffff,
                "the payload size", cell.payloadSize(), "payload size - 3", cell.payloadSize() - 3).entrySet()) {
            cases.add(strict(at + "a cell's key length -> " + kl.getKey(), file,
                    db -> FileEdits.putInt(db, cell.keyLengthOffset(), kl.getValue())));
        }
    }

    private void headerCases(String file, List<DamageCase> cases) {
        RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
        int pages = raw.pageCount();
        String at = file + " header ";
        cases.add(strict(at + "magic changed", file, db -> FileEdits.xorByte(db, 0, 0x20)));
        cases.add(strict(at + "page size -> 0x0300", file, db -> FileEdits.putShort(db, 16, 0x0300)));
        cases.add(strict(at + "page size -> 256", file, db -> FileEdits.putShort(db, 16, 256)));
        cases.add(strict(at + "page size -> 0", file, db -> FileEdits.putShort(db, 16, 0)));
        cases.add(strict(at + "page size halved", file, db -> FileEdits.putShort(db, 16, raw.pageSize() / 2)));
        cases.add(strict(at + "page size doubled", file, db -> FileEdits.putShort(db, 16, raw.pageSize() * 2)));
        cases.add(strict(at + "read version -> 3", file, db -> FileEdits.putByte(db, 19, 3)));
        cases.add(strict(at + "reserved bytes -> 200", file, db -> FileEdits.putByte(db, 20, 200)));
        cases.add(strict(at + "max payload fraction -> 65", file, db -> FileEdits.putByte(db, 21, 65)));
        cases.add(strict(at + "page count -> +100", file, db -> FileEdits.putInt(db, 28, pages + 100)));
        cases.add(strict(at + "page count -> 0", file, db -> FileEdits.putInt(db, 28, 0)));
        cases.add(strict(at + "page count -> 0xffffffff", file, db -> FileEdits.putInt(db, 28, 0xffffffff)));
        Map<String, Integer> roots = new LinkedHashMap<>();
        roots.put("past the end", pages + 5);
        roots.put("page 1", 1);
        roots.put("pointer-map page 2", 2);
        roots.put("the column-family table", raw.u32(RawDatabaseFile.HDR_CF_TABLE_ROOT));
        roots.put("0x80000000", 0x80000000);
        if (!raw.overflowChains().isEmpty()) {
            roots.put("an overflow page", raw.overflowChains().get(0).pages().get(0));
        }
        roots.forEach((what, to) -> cases.add(strict(at + "default root -> " + what, file,
                db -> FileEdits.putInt(db, RawDatabaseFile.HDR_DEFAULT_ROOT, to))));
        cases.add(strict(at + "column-family table root -> past the end", file,
                db -> FileEdits.putInt(db, RawDatabaseFile.HDR_CF_TABLE_ROOT, pages + 5)));
        cases.add(strict(at + "column-family table root -> the default root", file,
                db -> FileEdits.putInt(db, RawDatabaseFile.HDR_CF_TABLE_ROOT, raw.defaultRoot())));
        cases.add(strict(at + "largest root page -> 0 (no pointer map)", file,
                db -> FileEdits.putInt(db, RawDatabaseFile.HDR_LARGEST_ROOT, 0)));
        cases.add(strict(at + "column-family count -> 0xffffffff", file, db -> FileEdits.putInt(db, 44, 0xffffffff)));
    }

    private void freeListCases(List<DamageCase> cases) {
        String file = "freelist.db";
        RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
        PlannedChange change = allocatingChange(manifest(file));
        int trunk = raw.freelistTrunks().get(0);
        long trunkAt = raw.pageOffset(trunk);
        int pages = raw.pageCount();
        int liveLeaf = raw.leafPages().get(raw.leafPages().size() / 2);
        Map<String, Damage> damages = new LinkedHashMap<>();
        damages.put("first trunk -> past the end", db -> FileEdits.putInt(db, RawDatabaseFile.HDR_FREELIST_TRUNK, pages + 3));
        damages.put("first trunk -> page 1", db -> FileEdits.putInt(db, RawDatabaseFile.HDR_FREELIST_TRUNK, 1));
        damages.put("first trunk -> the default root (a live page)",
                db -> FileEdits.putInt(db, RawDatabaseFile.HDR_FREELIST_TRUNK, raw.defaultRoot()));
        damages.put("free page count -> 0", db -> FileEdits.putInt(db, RawDatabaseFile.HDR_FREELIST_COUNT, 0));
        damages.put("free page count -> +1000", db -> FileEdits.putInt(db, RawDatabaseFile.HDR_FREELIST_COUNT,
                raw.u32(RawDatabaseFile.HDR_FREELIST_COUNT) + 1000));
        damages.put("trunk's leaf count -> 0xffffffff", db -> FileEdits.putInt(db, trunkAt + 4, 0xffffffff));
        damages.put("trunk's leaf count -> one more than fits", db -> FileEdits.putInt(db, trunkAt + 4,
                raw.pageSize() / 4 - 1));
        damages.put("trunk's next trunk -> itself", db -> FileEdits.putInt(db, trunkAt, trunk));
        Map<String, Integer> leafTargets = new LinkedHashMap<>();
        leafTargets.put("page 1", 1);
        leafTargets.put("the default root", raw.defaultRoot());
        leafTargets.put("a live leaf", liveLeaf);
        leafTargets.put("past the end", pages + 9);
        leafTargets.put("0", 0);
        leafTargets.put("the trunk itself", trunk);
        leafTargets.forEach((what, to) -> {
            // Free leaves are taken from the end of the trunk's list first in SQLite; damage both ends.
            int count = raw.u32(trunkAt + 4);
            damages.put("first free leaf -> " + what, db -> FileEdits.putInt(db, trunkAt + 8, to));
            damages.put("last free leaf -> " + what, db -> FileEdits.putInt(db, trunkAt + 8 + 4L * (count - 1), to));
        });
        damages.forEach((what, damage) -> cases.add(new DamageCase(file + " free list: " + what + ", then written",
                file, damage, Verdict.CORRECT_OR_REPORTED, List.of(change.after()), false, change.change())));
    }

    // ---------------------------------------------------------------- hot rollback journals

    @TestFactory
    Stream<DynamicTest> hotJournals() {
        String file = "journal-delete.db";
        RawDatabaseFile raw = RawDatabaseFile.ofGolden(file);
        byte[] golden = GoldenFiles.read(file);
        int ps = raw.pageSize();
        int pages = raw.pageCount();
        int leaf = raw.leafPages().get(0);
        byte[] originalLeaf = Arrays.copyOfRange(golden, (int) raw.pageOffset(leaf), (int) raw.pageOffset(leaf) + ps);
        byte[] originalPage1 = Arrays.copyOf(golden, ps);
        Random rnd = new Random(SEED ^ 0x5EED_0006L);
        byte[] garbage = new byte[ps];
        rnd.nextBytes(garbage);
        byte[] garbage2 = new byte[2 * ps];
        rnd.nextBytes(garbage2);
        int nonce = rnd.nextInt();
        ExpectedContent m = manifest(file);
        List<DamageCase> cases = new ArrayList<>();

        cases.add(new DamageCase(file + ": hot journal restores a leaf the crashed writer overwrote", file, db -> {
            writeJournal(db, new RollbackJournalWriter(ps, pages, nonce).record(leaf, originalLeaf, false).toBytes());
            FileEdits.write(db, raw.pageOffset(leaf), garbage);
        }, Verdict.EXACT, List.of(m), false, null));
        cases.add(new DamageCase(file + ": hot journal restores page 1 and a leaf and drops appended pages", file, db -> {
            writeJournal(db, new RollbackJournalWriter(ps, pages, nonce).record(1, originalPage1, false)
                    .record(leaf, originalLeaf, false).toBytes());
            int counter = raw.u32(24) + 1;
            FileEdits.putInt(db, 24, counter);
            FileEdits.putInt(db, 92, counter);
            FileEdits.putInt(db, 28, pages + 2);
            FileEdits.write(db, raw.pageOffset(leaf), garbage);
            FileEdits.write(db, raw.fileSize(), garbage2);
        }, Verdict.EXACT, List.of(m), false, null));
        cases.add(new DamageCase(file + ": empty journal file (not hot)", file,
                db -> writeJournal(db, new byte[0]), Verdict.EXACT, List.of(m), false, null));
        cases.add(strict(file + ": torn journal (record checksum wrong): its page image must not be applied", file,
                db -> writeJournal(db, new RollbackJournalWriter(ps, pages, nonce).record(leaf, garbage, true).toBytes())));
        cases.add(strict(file + ": journal of random bytes (no magic)", file, db -> {
            byte[] junk = new byte[5000];
            new Random(SEED ^ 0x5EED_0007L).nextBytes(junk);
            junk[0] = 0x17;
            writeJournal(db, junk);
        }));
        cases.add(strict(file + ": journal header with page size 1000", file, db -> {
            byte[] j = new RollbackJournalWriter(ps, pages, nonce).record(leaf, garbage, false).toBytes();
            ByteBuffer.wrap(j).putInt(24, 1000);
            writeJournal(db, j);
        }));
        cases.add(strict(file + ": journal header with sector size 3", file, db -> {
            byte[] j = new RollbackJournalWriter(ps, pages, nonce).record(leaf, garbage, false).toBytes();
            ByteBuffer.wrap(j).putInt(20, 3);
            writeJournal(db, j);
        }));
        cases.add(strict(file + ": journal claims 1000 records, holds 1 (restoring an overwritten leaf)", file, db -> {
            byte[] j = new RollbackJournalWriter(ps, pages, nonce).record(leaf, originalLeaf, false).toBytes();
            ByteBuffer.wrap(j).putInt(8, 1000);
            writeJournal(db, j);
            FileEdits.write(db, raw.pageOffset(leaf), garbage);
        }));
        cases.add(strict(file + ": journal record for page 0", file, db -> writeJournal(db,
                new RollbackJournalWriter(ps, pages, nonce).record(0, garbage, false).toBytes())));
        cases.add(strict(file + ": journal record for a page past the original size", file, db -> writeJournal(db,
                new RollbackJournalWriter(ps, pages, nonce).record(pages + 3, garbage, false).toBytes())));
        cases.add(strict(file + ": journal record cut short", file, db -> {
            byte[] j = new RollbackJournalWriter(ps, pages, nonce).record(leaf, garbage, false).toBytes();
            writeJournal(db, Arrays.copyOf(j, j.length - ps / 2));
        }));
        return tests(cases);
    }

    private static void writeJournal(Path db, byte[] journal) throws IOException {
        Files.write(db.resolveSibling(db.getFileName() + "-journal"), journal);
    }

    // ---------------------------------------------------------------- running a case

    private Stream<DynamicTest> tests(List<DamageCase> cases) {
        return cases.stream().map(c -> dynamicTest(c.name(), () -> run(c)));
    }

    private void run(DamageCase c) throws IOException {
        Path dir = tmp.resolve("case-" + (++caseNumber));
        Path db = GoldenFiles.copy(c.file(), dir);
        try {
            c.damage().apply(db);
            KVStoreConfig config = config(c.file(), c.readOnly());
            Collection<byte[]> probe = StoreObservation.probeKeys(c.acceptable());
            int limit = c.acceptable().stream().mapToInt(ExpectedContent::size).max().orElse(0) + 1000;
            StoreObservation o = observeGuarded(c.name(), c.file(), db, config, probe, limit, c.change());
            switch (c.verdict()) {
                case EXACT -> {
                    o.assertExactly(c.acceptable().get(0));
                    if (!c.readOnly()) {
                        // What the first session recovered (and checkpointed or rolled back) must stay.
                        observeGuarded(c.name() + " (second open)", c.file(), db, config, probe, limit, null)
                                .assertExactly(c.acceptable().get(0));
                    }
                }
                case CORRECT_OR_REPORTED -> {
                    logOutcome(c, o);
                    o.assertCorrectOrDamageReported(c.acceptable());
                }
                case NO_UNCHECKED_FAILURE -> logOutcome(c, o);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static StoreObservation observeGuarded(String name, String file, Path db, KVStoreConfig config,
                                                   Collection<byte[]> probe, int limit,
                                                   StoreObservation.Change change) {
        Duration guard = file.equals("big.db") ? HANG_GUARD_BIG : HANG_GUARD;
        return assertTimeoutPreemptively(guard, () -> StoreObservation.observe(name, db, config, probe, limit, change),
                () -> name + ": no answer within " + guard + " (a hang or an endless loop?)");
    }

    private static void logOutcome(DamageCase c, StoreObservation o) {
        String outcome;
        if (!o.reportedDamage().isEmpty()) {
            outcome = "raised CORRUPT";
        } else if (o.integrityProblems() != null && !o.integrityProblems().isEmpty()) {
            outcome = "integrityCheck reported";
        } else {
            outcome = "differs, unreported";
            for (int i = 0; i < c.acceptable().size(); i++) {
                if (o.differencesFrom(c.acceptable().get(i)).isEmpty()) {
                    outcome = i == 0 ? "read correctly" : "read as acceptable state " + (i + 1);
                    break;
                }
            }
        }
        List<String> diffs = o.differencesFrom(c.acceptable().get(0));
        System.out.println("[" + outcome + "] " + c.name() + (diffs.isEmpty() ? "" : " (" + diffs.size()
                + " differences from the manifest, first: " + diffs.get(0) + ")"));
    }

    private static KVStoreConfig config(String file, boolean readOnly) {
        JournalMode mode = file.equals("journal-delete.db") ? JournalMode.DELETE : JournalMode.WAL;
        return KVStoreConfig.builder().journalMode(mode).readOnly(readOnly).build();
    }

    private static ExpectedContent manifest(String file) {
        return GoldenManifest.load().content(file, CF);
    }

    /** The same keys, all expected absent: a new, empty store. */
    private static ExpectedContent emptied(ExpectedContent m) {
        return m.onlyKeys(k -> false);
    }

    private static DamageCase strict(String name, String file, Damage damage) {
        return new DamageCase(name, file, damage, Verdict.CORRECT_OR_REPORTED, List.of(manifest(file)), false, null);
    }

    /**
     * Puts 40 new keys with 3,000-byte values and deletes the first 20 entries: allocates and frees pages,
     * so free-list and pointer-map damage is used.
     */
    private static PlannedChange allocatingChange(ExpectedContent before) {
        List<byte[]> deletes = before.entries().keySet().stream().limit(20).toList();
        List<Map.Entry<byte[], byte[]>> puts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            puts.add(Map.entry(String.format("chg-%03d", i).getBytes(StandardCharsets.US_ASCII),
                    GoldenManifest.pattern(3000, 9000 + i)));
        }
        ExpectedContent after = before;
        for (Map.Entry<byte[], byte[]> p : puts) {
            after = after.withEntry(p.getKey(), p.getValue());
        }
        for (byte[] d : deletes) {
            after = after.withoutEntry(d);
        }
        return new PlannedChange(store -> {
            puts.forEach(p -> store.put(p.getKey(), p.getValue()));
            deletes.forEach(store::delete);
        }, after);
    }

    /** Puts 30 keys that sort right after {@code key} (so they land on its page) with 40-byte values. */
    private static PlannedChange insertionNear(ExpectedContent before, byte[] key) {
        List<Map.Entry<byte[], byte[]>> puts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] k = Arrays.copyOf(key, key.length + 2);
            k[key.length] = 0;
            k[key.length + 1] = (byte) i;
            puts.add(Map.entry(k, GoldenManifest.pattern(40, 7000 + i)));
        }
        ExpectedContent after = before;
        for (Map.Entry<byte[], byte[]> p : puts) {
            after = after.withEntry(p.getKey(), p.getValue());
        }
        return new PlannedChange(store -> puts.forEach(p -> store.put(p.getKey(), p.getValue())), after);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
