package io.snkv.cli;

import io.snkv.KVStore;
import io.snkv.LtxPosition;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code snkv ltx encode-db [-o OUT] DB}: a snapshot LTX file (min TXID 1, every page) of the database's
 * committed state, from one read transaction of a read-only open. With {@code -o} it is written to a
 * temporary file beside OUT, fsynced and renamed over OUT, so OUT is never a half-written file; without
 * it the bytes go to standard output and nothing else does (messages go to standard error).
 */
@Command(name = "encode-db", mixinStandardHelpOptions = true,
        description = "Write a snapshot LTX file of a database to OUT (atomically) or to standard output.")
final class LtxEncodeDbCommand extends ToolCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Output file (default: standard output).")
    private Path output;

    @Parameters(paramLabel = "DB", description = "The database file.")
    private Path db;

    @Override
    public Integer call() throws IOException {
        DatabaseFiles.requireFile(db);
        if (output == null) {
            toStandardOutput();
        } else {
            toFile();
        }
        return 0;
    }

    private void toStandardOutput() throws IOException {
        try (KVStore kv = DatabaseFiles.openReadOnly(db)) {
            // Not closed: standard output belongs to the caller.
            OutputStream o = new BufferedOutputStream(out(), 1 << 16);
            kv.writeSnapshot(o);
            o.flush();
        }
        if (out().checkError()) {
            throw new CommandFailure("error writing the snapshot of " + db + " to standard output");
        }
    }

    private void toFile() throws IOException {
        if (Files.exists(output) && Files.isSameFile(output, db)) {
            throw new CommandFailure(output + ": is the database itself; give another output file");
        }
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            throw new CommandFailure(output + ": no such directory: " + dir);
        }
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        boolean renamed = false;
        try {
            LtxPosition pos;
            try (KVStore kv = DatabaseFiles.openReadOnly(db);
                    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                keepPermissions(target, tmp);
                OutputStream o = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                pos = kv.writeSnapshot(o);
                o.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
            syncDirectory(dir);
            out().println(output + ": " + pos);
            out().flush();
        } finally {
            if (!renamed) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Replacing a file keeps its permissions, as editing it in place would. */
    private static void keepPermissions(Path existing, Path tmp) throws IOException {
        PosixFileAttributeView from = Files.getFileAttributeView(existing, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (from != null && to != null && Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            to.setPermissions(from.readAttributes().permissions());
        }
    }

    /** Makes the rename durable; not every platform can open a directory, so failing to is not an error. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
