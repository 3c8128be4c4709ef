package io.snkv.node;

import io.snkv.LtxPosition;
import io.snkv.ltx.LtxHeader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * What the stream needs from a whole LTX file without decoding its pages: the header and the post-apply
 * checksum in its trailer. The file itself is verified by whoever applies it.
 */
record LtxFileFacts(LtxHeader header, long postApplyChecksum) {
    static LtxFileFacts read(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] h = new byte[100];
            f.readFully(h);
            f.seek(f.length() - 16);
            return new LtxFileFacts(LtxHeader.parse(h), f.readLong());
        }
    }

    LtxPosition after() {
        return new LtxPosition(header.maxTxid(), postApplyChecksum);
    }
}
