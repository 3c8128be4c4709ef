package io.snkv.internal.capture;

import io.snkv.LtxPosition;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import io.snkv.ltx.LtxFileName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The files of one database's change log, {@code <data dir>/dbs/<database file name>/}:
 * {@code ltx/<min>-<max>.ltx} (the LTX files), {@code pos} (the position of the last durable commit,
 * {@code "<txid>/<checksum>\n"}, 34 bytes) and {@code mark} (which database state {@code pos}
 * describes, as {@link io.snkv.internal.pager.Pager#stateMark} names it). {@code pos} and {@code mark} are
 * rewritten in place, from offset 0, by the one writer holding the write lock: replacing them by a rename
 * costs about a millisecond a commit on ext4 (a rename over an existing file flushes it), and a reader
 * that finds either one unreadable or torn treats it as missing, which the protocol allows (the log decides).
 * {@code boot} names the machine boot the log was last opened in and {@code clean} marks a clean stop (see
 * {@link PowerLossCheck}). Thread-safe.
 */
final class LogDirectory implements AutoCloseable {
    static final String TMP = ".tmp";

    private final Storage storage;
    private final Path state;
    private final Path ltx;
    /** Kept open for in-place rewrites; guarded by this. */
    private StorageFile posFile;
    private StorageFile markFile;

    LogDirectory(Storage storage, Path dataDir, String databaseName) throws IOException {
        this.storage = storage;
        this.state = dataDir.resolve("dbs").resolve(databaseName);
        this.ltx = state.resolve("ltx");
        Files.createDirectories(ltx);
    }

    Path stateDir() {
        return state;
    }

    Path ltxDir() {
        return ltx;
    }

    Path file(long minTxid, long maxTxid) {
        return ltx.resolve(LtxFileName.format(minTxid, maxTxid));
    }

    Path tempFor(Path file) {
        return file.resolveSibling(file.getFileName() + TMP);
    }

    /** The recorded position, or null when the file is missing or unreadable (then the log decides). */
    LtxPosition readPosition() throws IOException {
        String s = readSmall(state.resolve("pos"));
        if (s == null || !s.endsWith("\n")) {
            return null;
        }
        try {
            return LtxPosition.parse(s.substring(0, s.length() - 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    synchronized void writePosition(LtxPosition p) throws IOException {
        if (posFile == null) {
            posFile = storage.open(state.resolve("pos"), false, true);
        }
        byte[] b = (p + "\n").getBytes(StandardCharsets.US_ASCII);
        posFile.write(0, b, 0, b.length);
        if (posFile.size() != b.length) {
            posFile.truncate(b.length);
        }
    }

    /** The recorded state mark (the first line of the file), or null. */
    String readMark() throws IOException {
        String s = readSmall(state.resolve("mark"));
        if (s == null) {
            return null;
        }
        int nl = s.indexOf('\n');
        return nl <= 0 ? null : s.substring(0, nl);
    }

    /** Records the mark (null: unknown). A longer old mark's tail may stay after the newline; readers stop there. */
    synchronized void writeMark(String mark) throws IOException {
        if (markFile == null) {
            markFile = storage.open(state.resolve("mark"), false, true);
        }
        byte[] b = ((mark == null ? "" : mark) + "\n").getBytes(StandardCharsets.US_ASCII);
        markFile.write(0, b, 0, b.length);
    }

    /** The boot ID recorded at the last open, or null. */
    String readBoot() throws IOException {
        String s = readSmall(state.resolve("boot"));
        return s == null || s.isBlank() ? null : s.trim();
    }

    void writeBoot(String bootId) throws IOException {
        byte[] b = (bootId + "\n").getBytes(StandardCharsets.US_ASCII);
        try (StorageFile f = storage.open(state.resolve("boot"), false, true)) {
            f.write(0, b, 0, b.length);
            f.truncate(b.length);
        }
    }

    boolean cleanStopMarked() {
        return storage.exists(state.resolve("clean"));
    }

    /**
     * Marks a clean stop: {@code pos} and {@code mark} synced, then the marker created and synced, so that
     * a marker found after a power loss vouches for both.
     */
    synchronized void markCleanStop() throws IOException {
        if (posFile != null) {
            posFile.sync();
        }
        if (markFile != null) {
            markFile.sync();
        }
        try (StorageFile f = storage.open(state.resolve("clean"), false, true)) {
            f.sync();
        }
        storage.syncDirectory(state);
    }

    /** Removes the clean-stop marker durably, before this process writes anything a power loss could take. */
    void clearCleanStop() throws IOException {
        storage.delete(state.resolve("clean"));
        storage.syncDirectory(state);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (posFile != null) {
                posFile.close();
            }
        } finally {
            posFile = null;
            if (markFile != null) {
                markFile.close();
            }
            markFile = null;
        }
    }

    /**
     * Every LTX file of the log, including those sharing a max TXID (a snapshot {@code 1-t} beside the
     * {@code t-t} it replaces), which {@link #files()} would show as one.
     */
    List<LtxFileName.TxidRange> allFiles() throws IOException {
        List<LtxFileName.TxidRange> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ltx, "*.ltx")) {
            for (Path p : ds) {
                try {
                    out.add(LtxFileName.parse(p.getFileName().toString()));
                } catch (IllegalArgumentException ignored) {
                    // not ours
                }
            }
        }
        return out;
    }

    /** Every LTX file of the log by max TXID (names that do not parse, and temporary files, are ignored). */
    TreeMap<Long, LtxFileName.TxidRange> files() throws IOException {
        TreeMap<Long, LtxFileName.TxidRange> out = new TreeMap<>(Long::compareUnsigned);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ltx, "*.ltx")) {
            for (Path p : ds) {
                try {
                    LtxFileName.TxidRange r = LtxFileName.parse(p.getFileName().toString());
                    out.put(r.maxTxid(), r);
                } catch (IllegalArgumentException ignored) {
                    // not ours
                }
            }
        }
        return out;
    }

    /** Temporary files in the log directory (left by writers that died). */
    List<Path> tempFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ltx, "*" + TMP)) {
            ds.forEach(out::add);
        }
        return out;
    }

    boolean exists(Path p) {
        return storage.exists(p);
    }

    void delete(Path p) throws IOException {
        storage.delete(p);
    }

    private String readSmall(Path p) throws IOException {
        try (StorageFile f = storage.open(p, true, false)) {
            long size = f.size();
            if (size > 4096) {
                return null;
            }
            byte[] b = new byte[(int) size];
            int n = f.read(0, b, 0, b.length);
            return new String(b, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
