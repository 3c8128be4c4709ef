package io.snkv.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The reference for replication throughput: a plain blocking socket pair on 127.0.0.1 in this JVM, one thread
 * writing {@code bytes} from a buffer and another reading them into a buffer of the same size, nothing else. The time
 * runs from the first write (the connection is already open) to the reader holding the last byte.
 */
final class LoopbackCopy {

    private LoopbackCopy() {
    }

    /** Copies {@code bytes} once; returns the nanoseconds it took. */
    static long copy(long bytes, int bufferSize) throws IOException, InterruptedException {
        ExecutorService readerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "loopback-copy-reader");
            t.setDaemon(true);
            return t;
        });
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket writer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket reader = server.accept()) {
            Future<Long> readDone = readerThread.submit(() -> readAll(reader.getInputStream(), bytes, bufferSize));
            byte[] buffer = new byte[bufferSize];
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = (byte) (i * 31 + 7); // content is irrelevant to a socket; not all zeros anyway
            }
            OutputStream out = writer.getOutputStream();
            long start = System.nanoTime();
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(left, buffer.length);
                out.write(buffer, 0, n);
                left -= n;
            }
            out.flush();
            long end = readDone.get();
            return end - start;
        } catch (ExecutionException e) {
            throw new IOException("loopback copy reader failed: " + e.getCause(), e.getCause());
        } finally {
            readerThread.shutdownNow();
        }
    }

    /** Reads exactly {@code bytes}; returns {@link System#nanoTime()} once the last arrived. */
    private static long readAll(InputStream in, long bytes, int bufferSize) throws IOException {
        byte[] buffer = new byte[bufferSize];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(left, buffer.length));
            if (n < 0) {
                throw new IOException("the writer closed after " + (bytes - left) + " of " + bytes + " bytes");
            }
            left -= n;
        }
        return System.nanoTime();
    }
}
