package io.snkv.ltx;

import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 varints as Go's {@code binary.PutUvarint}: 7 bits a byte, low bits first. */
final class Uvarint {
    /** Go's binary.MaxVarintLen64. */
    static final int MAX_LENGTH = 10;

    private Uvarint() {}

    static void write(ByteArrayOutputStream out, long v) {
        while (Long.compareUnsigned(v, 0x80) >= 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
