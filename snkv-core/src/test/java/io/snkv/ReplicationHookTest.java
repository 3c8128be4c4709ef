package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store opened in a node's served directory joins the node through the ServiceLoader hook (REPLICATION.md 5.2). */
class ReplicationHookTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onThePrimaryEveryCommitIsLoggedIntoTheNodesDataDirAndAnnounced() throws IOException {
        Files.writeString(dir.resolve(".snkv-node"), "primary");
        TestReplicationHook.NOTICES.clear();
        try (KVStore s = KVStore.open(dir.resolve("app.db"))) {
            s.put(b("k"), b("v"));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(2);
        }
        assertThat(TestReplicationHook.NOTICES).extracting(LtxPosition::txid).containsExactly(1L, 2L);
        assertThat(CaptureReplayTest.logFiles(dir.resolve("node-data/dbs/app.db/ltx"))).hasSize(2);
        assertThat(CaptureReplayTest.header(dir.resolve("node-data/dbs/app.db/ltx/0000000000000002-0000000000000002.ltx"))
                .nodeId()).isEqualTo(0x1234);
    }

    @Test
    void onAReplicaWritesFailNamingThePrimaryAndReadsWork() throws IOException {
        Path db = dir.resolve("app.db");
        Files.writeString(dir.resolve(".snkv-node"), "primary");
        try (KVStore s = KVStore.open(db)) {
            s.put(b("k"), b("v"));
        }
        Files.writeString(dir.resolve(".snkv-node"), "replica host1");
        try (KVStore s = KVStore.open(db)) {
            assertThat(s.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v")));
            assertThatThrownBy(() -> s.put(b("x"), b("y"))).isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("read-only replica (primary: host1)");
            assertThat(s.exists(b("x"))).isFalse();
        }
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void losingTheLeaseBeforeTheCommitLeavesNoFileAndNoChange() throws IOException {
        Path db = dir.resolve("app.db");
        Files.writeString(dir.resolve(".snkv-node"), "primary");
        try (KVStore s = KVStore.open(db)) {
            s.begin(true);
            s.put(b("late"), b("write"));
            Files.writeString(dir.resolve(".snkv-node"), "replica host2");
            assertThatThrownBy(s::commit).isInstanceOf(ReadOnlyException.class).hasMessageContaining("host2");
            assertThat(s.exists(b("late"))).isFalse();
        }
        assertThat(CaptureReplayTest.logFiles(dir.resolve("node-data/dbs/app.db/ltx"))).hasSize(1);
    }

    @Test
    void withoutTheHookOnTheClassPathOnlyReadOnlyOpensWork() throws IOException {
        Path db = dir.resolve("app.db");
        try (KVStore s = KVStore.open(db)) {
            s.put(b("k"), b("v"));
        }
        Files.writeString(dir.resolve(".snkv-node"), "primary");
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new ClassLoader(original) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
            }
        });
        try {
            assertThatThrownBy(() -> KVStore.open(db)).isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("snkv-node is not on the class path");
            try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
                assertThat(s.count()).isEqualTo(1);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }
}
