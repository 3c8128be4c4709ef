package io.snkv.internal.capture;

import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxFileName;
import io.snkv.ltx.LtxFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Recovery after a power loss (REPLICATION.md 5.3). At sync level NORMAL or OFF the database and its log
 * are not flushed at every commit, so a power loss can take a different number of trailing commits from each:
 * the position file then proves nothing. The log records the machine's boot ID at open and a clean-stop
 * marker when the last connection closes after its final flush; a log last opened in another boot without
 * that marker gets its database checksummed and compared with the log, from the top. Within one boot a stop
 * was only a process crash, which loses no written page, and the ordinary checks suffice.
 */
final class PowerLossCheck {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private PowerLossCheck() {
    }

    /** This machine's boot ID, or null where the system does not tell (then no check is made). */
    static String currentBootId() {
        try {
            String s = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Whether a log last opened in {@code recordedBoot} needs the check in {@code currentBoot}. */
    static boolean needed(String recordedBoot, String currentBoot, boolean cleanStop) {
        return currentBoot != null && recordedBoot != null && !recordedBoot.equals(currentBoot) && !cleanStop;
    }

    /**
     * The highest log file the database is at: every file from the lowest up to it decodes and verifies
     * completely (a file written after the last flush may be torn), and its post-apply checksum is
     * {@code databaseChecksum}. Empty when none is, or when a file below the match is damaged.
     */
    static Optional<LtxFileName.TxidRange> fileMatching(LogDirectory dir, long databaseChecksum) throws IOException {
        TreeMap<Long, LtxFileName.TxidRange> files = dir.files();
        LtxFileName.TxidRange match = null;
        for (Map.Entry<Long, LtxFileName.TxidRange> e : files.entrySet()) {
            LtxFileName.TxidRange r = e.getValue();
            Long post = verifiedPostApply(dir.file(r.minTxid(), r.maxTxid()));
            if (post == null) {
                break; // nothing above a damaged file can be served
            }
            if (post == databaseChecksum) {
                match = r;
            }
        }
        return Optional.ofNullable(match);
    }

    /** The file's post-apply checksum when it reads whole and verifies, else null. */
    private static Long verifiedPostApply(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            LtxDecoder dec = new LtxDecoder(in);
            while (dec.readPage() != null) {
                // every page is checked as it is read
            }
            return in.read() == -1 ? dec.trailer().postApplyChecksum() : null;
        } catch (LtxFormatException e) {
            return null;
        }
    }
}
