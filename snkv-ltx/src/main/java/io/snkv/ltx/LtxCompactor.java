package io.snkv.ltx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compacts consecutive LTX files (TXIDs a..b, b+1..c, ...) into one file a..c that, applied to the
 * database as it was before a, leaves it as it is after c.
 *
 * <p>The output holds the latest version of each page; the first input's min TXID and pre-apply
 * checksum; the last input's max TXID, commit, timestamp, node ID and post-apply checksum; flags 0 and
 * no WAL fields (it no longer stands for one WAL range). If the first input is a snapshot, so is the
 * output, and it holds every page 1..commit except the lock page.
 *
 * <p>Every input is decoded and verified in full before the first output byte is written, so a
 * refused compaction writes nothing. Refused, naming the input (its 0-based position, and its path
 * for {@link #compactFiles}):
 * <ul>
 *   <li>bad bytes in an input: {@link LtxFormatException}, as {@link LtxDecoder} reports them, and
 *       bytes after an input's trailer;
 *   <li>inputs that do not chain: {@link IllegalArgumentException} for an empty list, a page size
 *       different from the first input's, a min TXID other than the previous max TXID + 1, a
 *       pre-apply checksum other than the previous post-apply checksum, a snapshot anywhere but
 *       first (its min TXID 1 could not follow another file anyway, and it carries no pre-apply
 *       checksum to check the chain with), and the no-checksum flag on any input (its chain cannot
 *       be checked, and the output's checksums would be unfounded); and, for a snapshot output, a
 *       last post-apply checksum that is not the checksum of the compacted pages (inputs that each
 *       decode but contradict one another; only a snapshot's pages make that checkable).
 * </ul>
 *
 * <p><b>Shrinking then growing.</b> Applying a file truncates or extends the database to its commit,
 * and extending adds zero pages. So if one input shrinks the database to n pages and a later one
 * grows it again without writing every page above n, those pages are zero after the inputs are
 * applied one by one, while the database the compacted file is applied to may still hold old data
 * there. The output therefore carries an explicit zero page for every page above the smallest commit
 * among the inputs that no later input wrote (the lock page excepted). Without that, applying the
 * output would not reach the last input's post-apply checksum. (The Go reference compactor takes the
 * latest written version of each page even across such a shrink; where every page a growth adds is
 * written, the two give the same pages.)
 *
 * <p><b>Memory.</b> The latest version of each page is kept in memory (one page-size array per distinct
 * page number written, until the output is written); compressed input bytes are not held. The zero
 * pages above are not stored. Stateless and thread-safe; input streams are read to their end and
 * not closed (the caller owns them), the output stream is flushed and not closed.
 */
public final class LtxCompactor {
    private LtxCompactor() {}

    /** What was written: the output's header and trailer, and its number of page frames. */
    public record Compacted(LtxHeader header, LtxTrailer trailer, long pageCount) {}

    /**
     * Compacts the files read from {@code inputs}, in list order, into {@code out}. Each stream must
     * end with its file's trailer.
     */
    public static Compacted compact(List<? extends InputStream> inputs, OutputStream out) throws IOException {
        Objects.requireNonNull(inputs);
        Objects.requireNonNull(out);
        Chain chain = new Chain();
        for (int i = 0; i < inputs.size(); i++) {
            chain.add(Objects.requireNonNull(inputs.get(i)), "input " + i);
        }
        return chain.writeTo(out);
    }

    /**
     * Compacts the files at {@code inputs}, in list order, into {@code out}, opening one file at a time.
     * Named unlike {@link #compact} because both take a {@code List}.
     */
    public static Compacted compactFiles(List<Path> inputs, OutputStream out) throws IOException {
        Objects.requireNonNull(inputs);
        Objects.requireNonNull(out);
        Chain chain = new Chain();
        for (int i = 0; i < inputs.size(); i++) {
            Path path = Objects.requireNonNull(inputs.get(i));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
                chain.add(in, "input " + i + " (" + path + ")");
            }
        }
        return chain.writeTo(out);
    }

    /** The inputs read so far, as the pages they leave behind and the facts needed to check the next. */
    private static final class Chain {
        private final TreeMap<Long, byte[]> pages = new TreeMap<>();
        private LtxHeader first;
        private LtxHeader last;
        private long lastPostApply;
        /** Smallest commit of any input so far: above it, unwritten pages are zero, not old data. */
        private long smallestCommit = Long.MAX_VALUE;

        void add(InputStream in, String name) throws IOException {
            try {
                LtxDecoder decoder = new LtxDecoder(in);
                LtxHeader h = decoder.header();
                checkChains(h, name);
                // Pages go straight into the map: if this input later proves bad, the whole compaction fails.
                for (LtxPageFrame f; (f = decoder.readPage()) != null; ) {
                    pages.put(f.pageNumber(), f.data());
                }
                if (in.read() >= 0) {
                    throw new LtxFormatException(decoder.position(), "bytes follow the trailer");
                }
                pages.tailMap(h.commit(), false).clear();
                smallestCommit = Math.min(smallestCommit, h.commit());
                if (first == null) {
                    first = h;
                }
                last = h;
                lastPostApply = decoder.trailer().postApplyChecksum();
            } catch (LtxFormatException e) {
                throw e.in(name);
            }
        }

        private void checkChains(LtxHeader h, String name) {
            if (h.hasNoChecksum()) {
                throw new IllegalArgumentException(name + " (TXIDs " + txids(h) + ") has the no-checksum flag:"
                        + " its place in the chain cannot be checked");
            }
            if (last == null) {
                return;
            }
            if (h.pageSize() != first.pageSize()) {
                throw new IllegalArgumentException(name + " (TXIDs " + txids(h) + ") has page size " + h.pageSize()
                        + ", the first input has " + first.pageSize());
            }
            if (h.isSnapshot()) {
                throw new IllegalArgumentException(name + " (TXIDs " + txids(h) + ") is a snapshot; only the"
                        + " first input may be one");
            }
            if (h.minTxid() != last.maxTxid() + 1) {
                throw new IllegalArgumentException(name + " (TXIDs " + txids(h) + ") does not follow the previous"
                        + " input (TXIDs " + txids(last) + "): its min TXID must be "
                        + Long.toUnsignedString(last.maxTxid() + 1));
            }
            if (h.preApplyChecksum() != lastPostApply) {
                throw new IllegalArgumentException(String.format("%s (TXIDs %s) does not chain: its pre-apply"
                        + " checksum %016x is not the previous input's post-apply checksum %016x", name,
                        txids(h), h.preApplyChecksum(), lastPostApply));
            }
        }

        Compacted writeTo(OutputStream out) throws IOException {
            if (first == null) {
                throw new IllegalArgumentException("no input files to compact");
            }
            LtxHeader header = new LtxHeader(0, first.pageSize(), last.commit(), first.minTxid(), last.maxTxid(),
                    last.timestamp(), first.preApplyChecksum(), 0, 0, 0, 0, last.nodeId());
            if (header.isSnapshot()) {
                // The encoder would find a mismatch only after writing every page; refuse before writing.
                long[] sum = {0};
                forEachOutputPage(header, (pgno, data) -> sum[0] ^= LtxChecksums.pageChecksum(pgno, data));
                if ((LtxChecksums.FLAG | sum[0]) != lastPostApply) {
                    throw new IllegalArgumentException(String.format("inputs do not agree: the last input's"
                            + " post-apply checksum %016x is not the checksum %016x of the database the snapshot"
                            + " and the files after it leave (TXIDs %s)", lastPostApply,
                            LtxChecksums.FLAG | sum[0], txids(header)));
                }
            }
            LtxEncoder encoder = new LtxEncoder(out, header);
            long[] written = {0};
            forEachOutputPage(header, (pgno, data) -> {
                encoder.writePage(pgno, data);
                written[0]++;
            });
            return new Compacted(header, encoder.finish(lastPostApply), written[0]);
        }

        /** The output's pages in order: the latest version of each, and zero pages where a shrink left gaps. */
        private void forEachOutputPage(LtxHeader header, PageSink sink) throws IOException {
            byte[] zero = new byte[header.pageSize()];
            long lock = header.lockPage();
            long next = 1;
            for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
                zeroPages(Math.max(next, smallestCommit + 1), e.getKey() - 1, lock, zero, sink);
                sink.page(e.getKey(), e.getValue());
                next = e.getKey() + 1;
            }
            zeroPages(Math.max(next, smallestCommit + 1), header.commit(), lock, zero, sink);
        }

        private static void zeroPages(long from, long to, long lock, byte[] zero, PageSink sink) throws IOException {
            for (long p = from; p <= to; p++) {
                if (p != lock) {
                    sink.page(p, zero);
                }
            }
        }

        private interface PageSink {
            void page(long pgno, byte[] data) throws IOException;
        }

        private static String txids(LtxHeader h) {
            return LtxFileName.format(h.minTxid(), h.maxTxid()).replace(".ltx", "");
        }
    }
}
