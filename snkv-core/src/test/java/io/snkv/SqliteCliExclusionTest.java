package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * This library and the {@code sqlite3} command-line tool exclude each other's writers on the same file, in
 * WAL and in rollback-journal mode: while a write transaction of ours is open, {@code BEGIN IMMEDIATE} in
 * sqlite3 fails with "database is locked", and while sqlite3 holds one, our writes are busy. sqlite3 only
 * takes and releases the write lock (an SNKV file has an empty schema, so it has nothing else to do); our
 * content must read back unchanged afterwards. Skipped when {@code sqlite3} is not on the PATH (Debian
 * package {@code sqlite3}).
 */
@Tag("multiprocess")
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SqliteCliExclusionTest {
    @TempDir
    Path dir;

    /** sqlite3's exit status and its stdout and stderr together. */
    record Run(int status, String output) {
    }

    @BeforeAll
    static void needsSqlite3() {
        String version;
        try {
            Run r = sqlite3(List.of("--version"), null);
            version = r.status() == 0 ? r.output().trim() : "";
        } catch (IOException | InterruptedException e) {
            version = "";
        }
        assumeTrue(version.startsWith("3."), "the sqlite3 command-line tool is not on the PATH");
        System.out.println("[SqliteCliExclusionTest] sqlite3 " + version);
    }

    private static KVStoreConfig config(JournalMode mode, long busyMs) {
        return KVStoreConfig.builder().journalMode(mode).busyTimeout(Duration.ofMillis(busyMs)).build();
    }

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    void sqlite3CannotTakeTheWriteLockWhileWeHoldIt(JournalMode mode) throws Exception {
        Path db = dir.resolve("ours.db");
        List<String> takeWriteLock = List.of("-cmd", ".timeout 0", db.toString(), "BEGIN IMMEDIATE; COMMIT;");
        try (KVStore store = KVStore.open(db, config(mode, 0))) {
            store.put("k", "v");
            store.put("big", "b".repeat(9000));

            store.begin(true);
            store.put("k2", "v2");
            store.delete("big");
            Run locked = sqlite3(takeWriteLock, null);
            assertThat(locked.output()).as("sqlite3 output while we hold a write transaction")
                    .contains("database is locked");
            assertThat(locked.status()).as("sqlite3 exit status while we hold a write transaction").isNotZero();
            store.commit();

            Run free = sqlite3(takeWriteLock, null);
            assertThat(free.status()).as("sqlite3 after our commit: %s", free.output()).isZero();
            assertThat(free.output()).doesNotContain("Error").doesNotContain("locked");
            Run journalMode = sqlite3(List.of(db.toString(), "PRAGMA journal_mode;"), null);
            assertThat(journalMode.status()).as("sqlite3 PRAGMA journal_mode: %s", journalMode.output()).isZero();
            assertThat(journalMode.output().trim()).isEqualTo(mode == JournalMode.WAL ? "wal" : "delete");

            assertThat(store.getString("k")).contains("v");
            assertThat(store.getString("k2")).contains("v2");
            assertThat(store.exists("big")).isFalse();
            store.put("k3", "v3");
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.integrityCheck()).isEmpty();
        }
        try (KVStore store = KVStore.open(db, config(mode, 0))) {
            assertThat(store.getString("k")).contains("v");
            assertThat(store.getString("k2")).contains("v2");
            assertThat(store.getString("k3")).contains("v3");
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.integrityCheck()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    void weCannotWriteWhileSqlite3HoldsTheWriteLock(JournalMode mode) throws Exception {
        Path db = dir.resolve("theirs.db");
        Path held = dir.resolve("sqlite3-holds-the-lock");
        Path release = dir.resolve("sqlite3-may-commit");
        try (KVStore store = KVStore.open(db, config(mode, 0));
             KVStore patient = KVStore.open(db, config(mode, 10_000))) {
            store.put("k", "v");
            // sqlite3 takes the write lock, signals by creating a file, waits (at most 30 s) for the release
            // file, then commits its empty transaction.
            String script = String.join("\n",
                    ".timeout 0",
                    "BEGIN IMMEDIATE;",
                    ".shell touch '" + held + "'",
                    ".shell i=0; while [ ! -e '" + release + "' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done",
                    "COMMIT;",
                    "");
            AtomicReference<Run> result = new AtomicReference<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    result.set(sqlite3(List.of(db.toString()), script));
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "sqlite3");
            runner.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(held) && runner.isAlive() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(held).as("sqlite3 never signalled (%s, %s)", result.get(), failed.get()).exists();

            assertThatThrownBy(() -> store.put("k", "ours")).isInstanceOf(BusyException.class);
            assertThat(store.getString("k")).as("reads go on while sqlite3 holds the write lock").contains("v");

            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    Files.createFile(release);
                } catch (Exception e) {
                    failed.set(e);
                }
            }, "release-sqlite3");
            long t0 = System.nanoTime();
            releaser.start();
            patient.put("k", "ours");
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            releaser.join();
            runner.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(failed.get()).isNull();
            assertThat(result.get()).isNotNull();
            assertThat(result.get().status()).as("sqlite3 exit status: %s", result.get().output()).isZero();
            assertThat(result.get().output()).doesNotContain("Error");
            assertThat(waitedMs).as("our put must have waited for sqlite3's commit").isGreaterThanOrEqualTo(250);
            assertThat(store.getString("k")).contains("ours");
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.integrityCheck()).isEmpty();
        }
    }

    /** Runs sqlite3 with {@code args}, {@code stdin} (or nothing) as its input; fails after 60 s. */
    private static Run sqlite3(List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("sqlite3");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        // sqlite3 prints little: reading after the exit cannot block on a full pipe.
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sqlite3 " + args + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
