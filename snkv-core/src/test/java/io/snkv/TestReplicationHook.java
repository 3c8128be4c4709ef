package io.snkv;

import io.snkv.spi.NodeAttachment;
import io.snkv.spi.ReplicationHook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A replication hook for tests, registered through META-INF/services: the descriptor's text says the role
 * ({@code primary}, or {@code replica <primary host>}), read at every check so a test can change it; the
 * change log goes to {@code node-data} beside the database. Commit notices are collected in {@link #NOTICES}.
 */
public final class TestReplicationHook implements ReplicationHook {
    static final List<LtxPosition> NOTICES = new CopyOnWriteArrayList<>();

    @Override
    public NodeAttachment attach(Path database, Path descriptor) {
        return new NodeAttachment() {
            @Override
            public Path dataDir() {
                return descriptor.resolveSibling("node-data");
            }

            @Override
            public long nodeId() {
                return 0x1234;
            }

            @Override
            public void checkWritable() {
                String role;
                try {
                    role = Files.readString(descriptor).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!role.equals("primary")) {
                    throw new ReadOnlyException("read-only replica (primary: " + role.substring(role.indexOf(' ') + 1) + ")");
                }
            }

            @Override
            public void committed(LtxPosition position) {
                NOTICES.add(position);
            }
        };
    }
}
