package io.snkv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** In-place edits of a file's bytes at given offsets: how tests damage a copied database, WAL or journal. */
final class FileEdits {
    private FileEdits() {
    }

    static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }

    static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long pos = offset;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
    }

    static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    throw new IOException("read past the end of " + file);
                }
            }
            return b.array();
        }
    }

    static void putInt(Path file, long offset, int value) throws IOException {
        write(file, offset, ByteBuffer.allocate(4).putInt(value).array());
    }

    static void putShort(Path file, long offset, int value) throws IOException {
        write(file, offset, new byte[] {(byte) (value >>> 8), (byte) value});
    }

    static void putByte(Path file, long offset, int value) throws IOException {
        write(file, offset, new byte[] {(byte) value});
    }

    /** XORs the byte at {@code offset} with {@code mask}; a non-zero mask always changes it. */
    static void xorByte(Path file, long offset, int mask) throws IOException {
        byte[] b = read(file, offset, 1);
        b[0] ^= (byte) mask;
        write(file, offset, b);
    }

    static void zero(Path file, long offset, int length) throws IOException {
        write(file, offset, new byte[length]);
    }
}
