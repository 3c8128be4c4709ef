package io.snkv;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only map of a WAL file (SQLite's "WAL-mode File Format"), built from its bytes without the engine,
 * so tests can damage a chosen frame: a 32-byte header, then frames of a 24-byte frame header and one page.
 */
final class RawWalFile {
    static final int HEADER_SIZE = 32;
    static final int FRAME_HEADER_SIZE = 24;
    /** WAL header offsets. */
    static final int HDR_PAGE_SIZE = 8;
    static final int HDR_SALT1 = 16;
    static final int HDR_CHECKSUM1 = 24;
    /** Frame header offsets. */
    static final int FR_PAGE = 0;
    static final int FR_COMMIT_SIZE = 4;
    static final int FR_SALT1 = 8;
    static final int FR_SALT2 = 12;
    static final int FR_CHECKSUM1 = 16;
    static final int FR_CHECKSUM2 = 20;

    /** One frame; {@code number} counts from 1. {@code commitSize} is non-zero on a commit frame. */
    record Frame(int number, long offset, int page, int commitSize) {
        boolean isCommit() {
            return commitSize != 0;
        }
    }

    private final int pageSize;
    private final long fileSize;
    private final List<Frame> frames = new ArrayList<>();

    RawWalFile(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        this.pageSize = b.getInt(HDR_PAGE_SIZE);
        this.fileSize = bytes.length;
        long frameSize = FRAME_HEADER_SIZE + pageSize;
        for (int i = 0; HEADER_SIZE + (i + 1) * frameSize <= bytes.length; i++) {
            int off = (int) (HEADER_SIZE + i * frameSize);
            frames.add(new Frame(i + 1, off, b.getInt(off + FR_PAGE), b.getInt(off + FR_COMMIT_SIZE)));
        }
    }

    static RawWalFile ofGolden(String name) {
        return new RawWalFile(GoldenFiles.read(name));
    }

    int pageSize() {
        return pageSize;
    }

    long fileSize() {
        return fileSize;
    }

    long frameSize() {
        return FRAME_HEADER_SIZE + pageSize;
    }

    List<Frame> frames() {
        return List.copyOf(frames);
    }

    Frame frame(int number) {
        return frames.get(number - 1);
    }

    /** The last commit frame numbered below {@code number}, or 0 when there is none. */
    int lastCommitBefore(int number) {
        int last = 0;
        for (Frame f : frames) {
            if (f.number() < number && f.isCommit()) {
                last = f.number();
            }
        }
        return last;
    }

    List<Integer> commitFrames() {
        return frames.stream().filter(Frame::isCommit).map(Frame::number).toList();
    }
}
