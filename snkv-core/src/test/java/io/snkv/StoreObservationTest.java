package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content checker used by the golden and corruption tests notices every kind of wrong answer. */
class StoreObservationTest {
    @TempDir
    Path tmp;
    private Path db;
    private ExpectedContent right;

    @BeforeEach
    void writeStore() {
        db = tmp.resolve("obs.db");
        right = ExpectedContent.empty();
        try (KVStore store = KVStore.open(db)) {
            for (String k : List.of("a", "ab", "b", "c")) {
                store.put(bytes(k), bytes("v-" + k));
                right = right.withEntry(bytes(k), bytes("v-" + k));
            }
        }
        right = right.withAbsentKey(bytes("zz"));
    }

    @Test
    void matchingContentPasses() {
        StoreObservation o = observe(right);
        assertThat(o.differencesFrom(right)).isEmpty();
        assertThat(o.damageReported()).isFalse();
        o.assertExactly(right);
        o.assertCorrectOrDamageReported(List.of(right));
    }

    @Test
    void aWrongValueIsADifference() {
        ExpectedContent wrong = right.withEntry(bytes("b"), bytes("v-B"));
        StoreObservation o = observe(wrong);
        assertThat(o.differencesFrom(wrong)).anyMatch(d -> d.startsWith("get(62)"))
                .anyMatch(d -> d.startsWith("iteration entry 2"));
        assertThatThrownBy(() -> o.assertExactly(wrong)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> o.assertCorrectOrDamageReported(List.of(wrong)))
                .hasMessageContaining("silent wrong answer");
        o.assertCorrectOrDamageReported(List.of(wrong, right)); // any one acceptable state will do
    }

    @Test
    void aMissingOrExtraKeyIsADifference() {
        ExpectedContent missing = right.withEntry(bytes("d"), bytes("v-d"));
        assertThat(observe(missing).differencesFrom(missing)).anyMatch(d -> d.contains("found nothing"))
                .anyMatch(d -> d.startsWith("exists(64) is false")).anyMatch(d -> d.startsWith("count() is 4"));
        ExpectedContent extra = right.withoutEntry(bytes("ab"));
        assertThat(observe(extra).differencesFrom(extra)).anyMatch(d -> d.contains("found a value for an absent key"))
                .anyMatch(d -> d.startsWith("iteration entry 1 has key 6162"))
                .anyMatch(d -> d.startsWith("iteration yielded 4 entries, expected 3"));
    }

    @Test
    void anIterationLimitEndsAnEndlessIteration() {
        StoreObservation o = StoreObservation.observe("limit", db, KVStoreConfig.defaults(),
                StoreObservation.probeKeys(List.of(right)), 2, null);
        assertThat(o.differencesFrom(right)).contains("iterator yielded more than 2 entries");
    }

    @Test
    void anExceptionOtherThanCorruptFailsTheSessionAtOnce() {
        StoreObservation.Change boom = store -> {
            throw new IllegalStateException("boom");
        };
        assertThatThrownBy(() -> StoreObservation.observe("boom", db, KVStoreConfig.defaults(),
                StoreObservation.probeKeys(List.of(right)), 100, boom))
                .isInstanceOf(AssertionError.class).hasMessageContaining("change raised java.lang.IllegalStateException");
        StoreObservation.Change corrupt = store -> {
            throw new CorruptDatabaseException(db, 7, "test");
        };
        StoreObservation o = StoreObservation.observe("corrupt", db, KVStoreConfig.defaults(),
                StoreObservation.probeKeys(List.of(right)), 100, corrupt);
        assertThat(o.damageReported()).isTrue();
        assertThat(o.reportedDamage()).singleElement().asString().startsWith("change: ");
    }

    private StoreObservation observe(ExpectedContent expected) {
        return StoreObservation.observe("test", db, KVStoreConfig.defaults(),
                StoreObservation.probeKeys(List.of(expected)), expected.size() + 10, null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
