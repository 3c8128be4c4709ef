package io.snkv.internal.capture;

import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.io.OutputStream;

/** Sequential, buffered writes to a {@link StorageFile} from offset 0. Does not close the file. Not thread-safe. */
final class StorageOutputStream extends OutputStream {
    private final StorageFile file;
    private final byte[] buf = new byte[64 * 1024];
    private int used;
    private long pos;

    StorageOutputStream(StorageFile file) {
        this.file = file;
    }

    @Override
    public void write(int b) throws IOException {
        if (used == buf.length) {
            flush();
        }
        buf[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= buf.length) {
            flush();
            file.write(pos, b, off, len);
            pos += len;
            return;
        }
        if (used + len > buf.length) {
            flush();
        }
        System.arraycopy(b, off, buf, used, len);
        used += len;
    }

    @Override
    public void flush() throws IOException {
        if (used > 0) {
            file.write(pos, buf, 0, used);
            pos += used;
            used = 0;
        }
    }

    long bytesWritten() {
        return pos + used;
    }
}
