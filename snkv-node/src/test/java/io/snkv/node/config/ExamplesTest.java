package io.snkv.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The config files in the project's {@code examples/} directory: each one loads, the seed demo's two
 * are byte for byte what {@code shared/seed/litefs-demo.md} shows, and their static-lease versions
 * describe the same two nodes.
 */
class ExamplesTest {
    private static final Path WD = Path.of("/home/demo/litefs-demo");
    private final NodeConfigLoader loader = new NodeConfigLoader(Map.<String, String>of()::get, "demo-host", WD);

    /** {@code examples/}: surefire runs in the module directory, an IDE may run in the project root. */
    static Path examples() {
        for (Path p : List.of(Path.of("..", "examples"), Path.of("examples"))) {
            if (Files.isRegularFile(p.resolve("litefs1.yml"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("examples/ not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyExampleLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(examples())) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("litefs1.yml", "litefs2.yml", "litefs1-static.yml", "litefs2-static.yml");
        for (Path f : files) {
            NodeConfig c = loader.load(f);
            assertThat(c.warnings()).as(f.toString()).isEmpty();
        }
    }

    @Test
    void seedPrimary() {
        NodeConfig c = loader.load(examples().resolve("litefs1.yml"));
        assertThat(c).isEqualTo(loader.parse(NodeConfigLoaderTest.SEED_PRIMARY));
        assertThat(c.fuse().dir()).isEqualTo(WD.resolve("mnt1"));
        assertThat(c.data().dir()).isEqualTo(WD.resolve("litefs-data1"));
        assertThat(c.http().port()).isEqualTo(20202);
        assertThat(c.lease().type()).isEqualTo(LeaseType.CONSUL);
        assertThat(c.lease().consul().url()).isEqualTo("http://127.0.0.1:8500");
        assertThat(c.lease().consul().key()).isEqualTo("snkv-demo/primary");
        assertThat(c.lease().candidate()).isTrue();
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://127.0.0.1:20202");
    }

    @Test
    void seedReplica() {
        NodeConfig c = loader.load(examples().resolve("litefs2.yml"));
        assertThat(c).isEqualTo(loader.parse(NodeConfigLoaderTest.SEED_REPLICA));
        assertThat(c.fuse().dir()).isEqualTo(WD.resolve("mnt2"));
        assertThat(c.data().dir()).isEqualTo(WD.resolve("litefs-data2"));
        assertThat(c.http().port()).isEqualTo(20203);
        assertThat(c.lease().candidate()).isFalse();
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://127.0.0.1:20203");
    }

    @Test
    void staticPrimary() {
        NodeConfig c = loader.load(examples().resolve("litefs1-static.yml"));
        assertThat(c.lease().type()).isEqualTo(LeaseType.STATIC);
        assertThat(c.lease().candidate()).isTrue();
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://127.0.0.1:20202");
        assertThat(c.lease().hostname()).isEqualTo("demo-host");
        assertThat(c.http().addr()).isEqualTo(":20202");
        assertThat(c.fuse().dir()).isEqualTo(WD.resolve("mnt1"));
        assertThat(c.data().dir()).isEqualTo(WD.resolve("litefs-data1"));
    }

    @Test
    void staticReplicaNamesThePrimaryOnThisHost() {
        NodeConfig primary = loader.load(examples().resolve("litefs1-static.yml"));
        NodeConfig c = loader.load(examples().resolve("litefs2-static.yml"));
        assertThat(c.lease().type()).isEqualTo(LeaseType.STATIC);
        assertThat(c.lease().candidate()).isFalse();
        assertThat(c.lease().hostname()).isEqualTo(primary.lease().hostname());
        assertThat(c.lease().advertiseUrl()).isEqualTo(primary.lease().advertiseUrl());
        assertThat(c.http().addr()).isEqualTo(":20203");
        assertThat(c.fuse().dir()).isEqualTo(WD.resolve("mnt2"));
        assertThat(c.data().dir()).isEqualTo(WD.resolve("litefs-data2"));
    }

    @Test
    void seedFilesAreTheSeedsText() throws IOException {
        Path seed = Path.of(System.getProperty("snkv.shared", "../../shared"), "seed", "litefs-demo.md");
        assumeThat(Files.isRegularFile(seed)).as("seed document at %s", seed).isTrue();
        String md = Files.readString(seed);
        for (String name : List.of("litefs1.yml", "litefs2.yml")) {
            int heading = md.indexOf("(`" + name + "`)");
            int start = md.indexOf("```yaml\n", heading) + "```yaml\n".length();
            String block = md.substring(start, md.indexOf("```", start));
            assertThat(Files.readString(examples().resolve(name))).as(name).isEqualTo(block);
        }
    }
}
