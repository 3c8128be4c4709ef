package io.snkv;

import io.snkv.internal.io.FileStorage;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Storage} over the real file system that fails one chosen mutating call. Mutating calls are counted
 * across all files, in order: writes, truncates and deletes ("writes"), file and directory syncs ("syncs").
 * Call number {@link #failAt} (from 1) throws an {@link IOException} instead of reaching the disk; with
 * {@link Persistence#FROM_THEN_ON} every later mutating call fails too (a disk that has gone away), with
 * {@link Persistence#ONCE} only that one does. Reads, opens and size queries always pass.
 */
final class FaultInjectingStorage implements Storage {
    /** Which calls count towards {@link #failAt}. */
    enum Counted { WRITES, SYNCS, WRITES_AND_SYNCS }

    enum Persistence { ONCE, FROM_THEN_ON }

    private final Storage delegate = FileStorage.INSTANCE;
    private final Counted counted;
    private final Persistence persistence;
    private final long failAt;
    private final AtomicLong calls = new AtomicLong();
    private volatile String fault;

    /** @param failAt the counted call to fail, from 1; 0 never fails (to count the calls of a workload) */
    FaultInjectingStorage(Counted counted, Persistence persistence, long failAt) {
        this.counted = counted;
        this.persistence = persistence;
        this.failAt = failAt;
    }

    /** Counted calls made so far (including the failed ones). */
    long calls() {
        return calls.get();
    }

    /** A description of the injected fault, or null when none has been injected yet. */
    String fault() {
        return fault;
    }

    @Override
    public StorageFile open(Path path, boolean readOnly, boolean create) throws IOException {
        return new FaultyFile(delegate.open(path, readOnly, create));
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void delete(Path path) throws IOException {
        check(false, "delete " + path.getFileName());
        delegate.delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        check(false, "rename " + source.getFileName() + " to " + target.getFileName());
        delegate.rename(source, target);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        check(true, "sync of directory " + dir.getFileName());
        delegate.syncDirectory(dir);
    }

    private void check(boolean isSync, String what) throws IOException {
        boolean counts = switch (counted) {
            case WRITES -> !isSync;
            case SYNCS -> isSync;
            case WRITES_AND_SYNCS -> true;
        };
        if (!counts) {
            if (persistence == Persistence.FROM_THEN_ON && fault != null) {
                throw new IOException("injected: disk gone since " + fault + "; refusing " + what);
            }
            return;
        }
        long n = calls.incrementAndGet();
        if (failAt > 0 && (n == failAt || (n > failAt && persistence == Persistence.FROM_THEN_ON))) {
            String d = "call #" + n + " (" + what + ")";
            if (fault == null) {
                fault = d;
            }
            throw new IOException("injected fault at " + d);
        }
    }

    private final class FaultyFile implements StorageFile {
        private final StorageFile file;

        FaultyFile(StorageFile file) {
            this.file = file;
        }

        @Override
        public Path path() {
            return file.path();
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) throws IOException {
            return file.read(pos, buf, off, len);
        }

        @Override
        public void write(long pos, byte[] buf, int off, int len) throws IOException {
            check(false, "write of " + len + " bytes at " + pos + " in " + file.path().getFileName());
            file.write(pos, buf, off, len);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            check(false, "truncate of " + file.path().getFileName() + " to " + size);
            file.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            check(true, "sync of " + file.path().getFileName());
            file.sync();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
