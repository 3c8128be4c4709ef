package io.snkv.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
    /** The working directory relative paths resolve against; never touched, so it need not exist. */
    static final Path WD = Path.of("/srv/demo");
    static final String HOST = "demo-host";

    /** litefs1.yml as the seed (shared/seed/litefs-demo.md) writes it. */
    static final String SEED_PRIMARY = """
            fuse:
              dir: ./mnt1

            data:
              dir: ./litefs-data1

            http:
              addr: ":20202"

            lease:
              type: consul
              consul:
                url: "http://127.0.0.1:8500"
                key: "snkv-demo/primary"
              candidate: true
              advertise-url: "http://127.0.0.1:20202"
            """;

    /** litefs2.yml as the seed writes it. */
    static final String SEED_REPLICA = """
            fuse:
              dir: ./mnt2

            data:
              dir: ./litefs-data2

            http:
              addr: ":20203"

            lease:
              type: consul
              consul:
                url: "http://127.0.0.1:8500"
                key: "snkv-demo/primary"
              candidate: false
              advertise-url: "http://127.0.0.1:20203"
            """;

    static final String STATIC = "lease:\n  type: static\n  advertise-url: \"http://127.0.0.1:20202\"\n";

    static NodeConfigLoader loader() {
        return loader(Map.of());
    }

    static NodeConfigLoader loader(Map<String, String> env) {
        return new NodeConfigLoader(env::get, HOST, WD);
    }

    static NodeConfig parse(String yaml) {
        return loader().parse(yaml);
    }

    @Test
    void seedPrimaryParses() {
        NodeConfig c = parse(SEED_PRIMARY);
        assertThat(c.fuse()).isEqualTo(new FuseConfig(Path.of("/srv/demo/mnt1"), false, false));
        assertThat(c.data()).isEqualTo(new DataConfig(
                Path.of("/srv/demo/litefs-data1"), true, Duration.ofMinutes(10), Duration.ofMinutes(1)));
        assertThat(c.http()).isEqualTo(new HttpConfig(":20202", "", 20202, Duration.ZERO));
        assertThat(c.lease()).isEqualTo(new LeaseConfig(LeaseType.CONSUL, HOST, "http://127.0.0.1:20202", true,
                true, false, Duration.ofSeconds(1), Duration.ofSeconds(10), List.of(), Duration.ofSeconds(1),
                new ConsulConfig("http://127.0.0.1:8500", "snkv-demo/primary", Duration.ofSeconds(10),
                        Duration.ofSeconds(1)),
                new EtcdConfig(List.of(), "", Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2),
                        "", "")));
        assertThat(c.exec()).isEmpty();
        assertThat(c.exitOnError()).isTrue();
        assertThat(c.skipSync()).isFalse();
        assertThat(c.strictVerify()).isFalse();
        assertThat(c.log()).isEqualTo(new LogConfig(LogFormat.TEXT, false, false));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void seedReplicaParses() {
        NodeConfig c = parse(SEED_REPLICA);
        assertThat(c.fuse().dir()).isEqualTo(Path.of("/srv/demo/mnt2"));
        assertThat(c.data().dir()).isEqualTo(Path.of("/srv/demo/litefs-data2"));
        assertThat(c.http().port()).isEqualTo(20203);
        assertThat(c.lease().type()).isEqualTo(LeaseType.CONSUL);
        assertThat(c.lease().candidate()).isFalse();
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://127.0.0.1:20203");
        assertThat(c.lease().consul().url()).isEqualTo("http://127.0.0.1:8500");
        assertThat(c.lease().consul().key()).isEqualTo("snkv-demo/primary");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void staticPrimaryParses() {
        NodeConfig c = parse("""
                fuse:
                  dir: ./mnt1
                data:
                  dir: ./litefs-data1
                http:
                  addr: ":20202"
                lease:
                  type: static
                  candidate: true
                  advertise-url: "http://127.0.0.1:20202"
                """);
        assertThat(c.lease()).isEqualTo(new LeaseConfig(LeaseType.STATIC, HOST, "http://127.0.0.1:20202", true,
                true, false, Duration.ofSeconds(1), Duration.ofSeconds(10), List.of(), Duration.ZERO,
                new ConsulConfig("", "", Duration.ofSeconds(10), Duration.ofSeconds(1)),
                new EtcdConfig(List.of(), "", Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2),
                        "", "")));
        assertThat(c.fuse().dir()).isEqualTo(Path.of("/srv/demo/mnt1"));
        assertThat(c.data().dir()).isEqualTo(Path.of("/srv/demo/litefs-data1"));
        assertThat(c.http().port()).isEqualTo(20202);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void staticReplicaNamesThePrimary() {
        NodeConfig c = parse("""
                fuse:
                  dir: ./mnt2
                data:
                  dir: ./litefs-data2
                http:
                  addr: ":20203"
                lease:
                  type: static
                  candidate: false
                  hostname: "primary-host"
                  advertise-url: "http://127.0.0.1:20202"
                """);
        assertThat(c.lease().candidate()).isFalse();
        assertThat(c.lease().hostname()).isEqualTo("primary-host");
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://127.0.0.1:20202");
        assertThat(c.lease().advertiseUrlFor(20203)).isEqualTo("http://127.0.0.1:20202");
        assertThat(c.http().port()).isEqualTo(20203);
        assertThat(c.fuse().dir()).isEqualTo(Path.of("/srv/demo/mnt2"));
        assertThat(c.data().dir()).isEqualTo(Path.of("/srv/demo/litefs-data2"));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void staticReplicaWithoutHostnameWarnsThatItsOwnNameIsTaken() {
        NodeConfig c = parse("lease:\n  type: static\n  candidate: false\n  advertise-url: \"http://p:20202\"\n");
        assertThat(c.lease().hostname()).isEqualTo(HOST);
        assertThat(c.warnings()).containsExactly(
                "lease.hostname: not set on a static replica, so this host's name \"demo-host\" is taken as the primary's");
    }

    @Test
    void defaultsAreLitefsDefaults() {
        NodeConfig c = parse("lease:\n  type: consul\n  consul:\n    url: http://c:8500\n    key: k\n");
        assertThat(c.fuse()).isEqualTo(new FuseConfig(Path.of("/litefs"), false, false));
        assertThat(c.data()).isEqualTo(new DataConfig(
                Path.of("/var/lib/litefs"), true, Duration.ofMinutes(10), Duration.ofMinutes(1)));
        assertThat(c.http()).isEqualTo(new HttpConfig(":20202", "", 20202, Duration.ZERO));
        assertThat(c.lease().hostname()).isEqualTo(HOST);
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://demo-host:20202");
        assertThat(c.lease().advertiseUrlConfigured()).isFalse();
        assertThat(c.lease().candidate()).isTrue();
        assertThat(c.lease().promote()).isFalse();
        assertThat(c.lease().reconnectDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.lease().demoteDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.lease().databases()).isEmpty();
        assertThat(c.lease().consul().ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.lease().consul().lockDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.lease().safetyMargin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.exec()).isEmpty();
        assertThat(c.exitOnError()).isTrue();
        assertThat(c.skipSync()).isFalse();
        assertThat(c.strictVerify()).isFalse();
        assertThat(c.log()).isEqualTo(new LogConfig(LogFormat.TEXT, false, false));
        assertThat(c.tracing()).isEqualTo(new TracingConfig(false, "", 64, 8, true));
        assertThat(c.proxy()).isEqualTo(new ProxyConfig("", "", "", Duration.ofSeconds(10), false, List.of(),
                List.of(), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO,
                Duration.ofSeconds(30)));
        assertThat(c.backup()).isEqualTo(new BackupConfig("", "", "", "", ""));
        assertThat(c.snapshotTimeout()).contains(Duration.ofMinutes(10));
        assertThat(c.data().retentionEnforced()).isTrue();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void everyKeySetLandsInItsField() {
        NodeConfig c = parse("""
                exit-on-error: false
                skip-sync: true
                strict-verify: true
                exec:
                  - cmd: "migrate -up"
                    if-candidate: true
                  - cmd: "myapp -addr :8081"
                fuse:
                  dir: /litefs
                  allow-other: true
                  debug: false
                data:
                  dir: /var/lib/litefs
                  compress: false
                  retention: 1h
                  retention-monitor-interval: 30s
                http:
                  addr: "127.0.0.1:20202"
                  snapshot-timeout: 2m
                lease:
                  type: etcd
                  hostname: node1
                  advertise-url: "http://node1:20202"
                  candidate: false
                  promote: true
                  reconnect-delay: 500ms
                  demote-delay: 20s
                  databases: [snkv.db, other.db]
                  safety-margin: 750ms
                  consul:
                    url: "http://127.0.0.1:8500"
                    key: "litefs/primary"
                    ttl: 15s
                    lock-delay: 2s
                  etcd:
                    endpoints: ["http://127.0.0.1:2379", "http://127.0.0.1:22379"]
                    key: "snkv-demo/primary"
                    ttl: 6s
                    dial-timeout: 1s
                    request-timeout: 3s
                    username: root
                    password: secret
                log:
                  format: json
                  timestamp: true
                  debug: true
                tracing:
                  enabled: true
                  path: /var/log/litefs/trace.log
                  max-size: 32
                  max-count: 4
                  compress: false
                proxy:
                  addr: ":8080"
                  target: "localhost:8081"
                  db: "my.db"
                  max-lag: 5s
                  debug: true
                  passthrough: ["/debug/*", "*.png"]
                  always-forward: ["/login"]
                  primary-redirect-timeout: 2s
                  read-timeout: 1s
                  read-header-timeout: 2s
                  write-timeout: 3s
                  idle-timeout: 4s
                backup:
                  type: litefs-cloud
                  path: /backup
                  url: "https://litefs.fly.io"
                  cluster: c1
                  auth-token: tok
                """);
        assertThat(c.exitOnError()).isFalse();
        assertThat(c.skipSync()).isTrue();
        assertThat(c.strictVerify()).isTrue();
        assertThat(c.exec()).containsExactly(
                new ExecCommand("migrate -up", true), new ExecCommand("myapp -addr :8081", false));
        assertThat(c.fuse()).isEqualTo(new FuseConfig(Path.of("/litefs"), true, false));
        assertThat(c.data()).isEqualTo(new DataConfig(
                Path.of("/var/lib/litefs"), false, Duration.ofHours(1), Duration.ofSeconds(30)));
        assertThat(c.http()).isEqualTo(new HttpConfig("127.0.0.1:20202", "127.0.0.1", 20202, Duration.ofMinutes(2)));
        assertThat(c.lease()).isEqualTo(new LeaseConfig(LeaseType.ETCD, "node1", "http://node1:20202", true,
                false, true, Duration.ofMillis(500), Duration.ofSeconds(20), List.of("snkv.db", "other.db"),
                Duration.ofMillis(750),
                new ConsulConfig("http://127.0.0.1:8500", "litefs/primary", Duration.ofSeconds(15),
                        Duration.ofSeconds(2)),
                new EtcdConfig(List.of("http://127.0.0.1:2379", "http://127.0.0.1:22379"), "snkv-demo/primary",
                        Duration.ofSeconds(6), Duration.ofSeconds(1), Duration.ofSeconds(3), "root", "secret")));
        assertThat(c.log()).isEqualTo(new LogConfig(LogFormat.JSON, true, true));
        assertThat(c.tracing()).isEqualTo(new TracingConfig(true, "/var/log/litefs/trace.log", 32, 4, false));
        assertThat(c.proxy()).isEqualTo(new ProxyConfig(":8080", "localhost:8081", "my.db", Duration.ofSeconds(5),
                true, List.of("/debug/*", "*.png"), List.of("/login"), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4)));
        assertThat(c.backup()).isEqualTo(new BackupConfig("litefs-cloud", "/backup", "https://litefs.fly.io", "c1", "tok"));
        assertThat(c.snapshotTimeout()).contains(Duration.ofMinutes(2));
        assertThat(c.warnings()).containsExactly(
                "fuse.allow-other: ignored (there is no FUSE mount; fuse.dir is a plain directory)",
                "fuse.debug: ignored (there is no FUSE mount; fuse.dir is a plain directory)",
                "data.compress: false is ignored (LTX v3 always compresses pages)",
                "lease.demote-delay: has no effect yet",
                "log.format: \"json\" has no effect yet (logs stay text)",
                "tracing.enabled: ignored (LiteFS's FUSE trace log)",
                "tracing.path: ignored (LiteFS's FUSE trace log)",
                "tracing.max-size: ignored (LiteFS's FUSE trace log)",
                "tracing.max-count: ignored (LiteFS's FUSE trace log)",
                "tracing.compress: ignored (LiteFS's FUSE trace log)",
                "proxy.addr: has no effect yet (no proxy yet)",
                "proxy.target: has no effect yet (no proxy yet)",
                "proxy.db: has no effect yet (no proxy yet)",
                "proxy.max-lag: has no effect yet (no proxy yet)",
                "proxy.debug: has no effect yet (no proxy yet)",
                "proxy.passthrough: has no effect yet (no proxy yet)",
                "proxy.always-forward: has no effect yet (no proxy yet)",
                "proxy.primary-redirect-timeout: has no effect yet (no proxy yet)",
                "proxy.read-timeout: has no effect yet (no proxy yet)",
                "proxy.read-header-timeout: has no effect yet (no proxy yet)",
                "proxy.write-timeout: has no effect yet (no proxy yet)",
                "proxy.idle-timeout: has no effect yet (no proxy yet)",
                "backup.type: has no effect yet (no backups yet)",
                "backup.path: has no effect yet (no backups yet)",
                "backup.url: has no effect yet (no backups yet)",
                "backup.cluster: has no effect yet (no backups yet)",
                "backup.auth-token: has no effect yet (no backups yet)");
    }

    @Test
    void dataCompressTrueAndNullValuesGiveNoWarning() {
        NodeConfig c = parse(STATIC + "data:\n  compress: true\nfuse:\n  allow-other:\ntracing:\nproxy:\n  addr: ~\n");
        assertThat(c.warnings()).isEmpty();
        assertThat(c.fuse().allowOther()).isFalse();
    }

    @Test
    void documentMarkersAroundTheOneDocumentAreFine() {
        assertThat(parse("---\n" + STATIC).lease().type()).isEqualTo(LeaseType.STATIC);
        assertThat(parse(STATIC + "---\n").lease().type()).isEqualTo(LeaseType.STATIC);
        assertThat(parse(STATIC + "...\n").lease().type()).isEqualTo(LeaseType.STATIC);
    }

    @Test
    void quotedEmptyIsEmptyButPlainEmptyIsUnset() {
        assertThat(parse(STATIC + "proxy:\n  addr: ''\n").warnings())
                .containsExactly("proxy.addr: has no effect yet (no proxy yet)");
        assertThat(parse(STATIC + "proxy:\n  addr:\n").warnings()).isEmpty();
    }

    @Test
    void nullValuesKeepDefaults() {
        NodeConfig c = parse(STATIC + "fuse:\n  dir:\ndata:\n  dir: ~\n  retention: null\nhttp:\n");
        assertThat(c.fuse().dir()).isEqualTo(Path.of("/litefs"));
        assertThat(c.data().dir()).isEqualTo(Path.of("/var/lib/litefs"));
        assertThat(c.data().retention()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.http().addr()).isEqualTo(":20202");
    }

    @Test
    void pathsResolveAgainstTheWorkingDirectory() {
        NodeConfig c = parse(STATIC + "fuse:\n  dir: ../served/./x\ndata:\n  dir: /abs/data/\n");
        assertThat(c.fuse().dir()).isEqualTo(Path.of("/srv/served/x"));
        assertThat(c.data().dir()).isEqualTo(Path.of("/abs/data"));
    }

    @Test
    void hostnameDefaultsToTheHostNameThenToHostnameVariable() {
        NodeConfig c = new NodeConfigLoader(Map.of("HOSTNAME", "from-env")::get, "os-name", WD)
                .parse("lease:\n  type: consul\n  consul: {url: 'http://c:8500', key: k}\nhttp:\n  addr: ':7000'\n");
        assertThat(c.lease().hostname()).isEqualTo("os-name");
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://os-name:7000");

        NodeConfig noOsName = new NodeConfigLoader(Map.of("HOSTNAME", "from-env")::get, "", WD)
                .parse("lease:\n  type: consul\n  consul: {url: 'http://c:8500', key: k}\n");
        assertThat(noOsName.lease().hostname()).isEqualTo("from-env");

        assertThatThrownBy(() -> new NodeConfigLoader(Map.<String, String>of()::get, "", WD)
                        .parse("lease:\n  type: consul\n  consul: {url: 'http://c:8500', key: k}\n"))
                .isInstanceOf(NodeConfigException.class)
                .hasMessage("lease.hostname: not set, and this machine's host name cannot be read (set lease.hostname)");
    }

    @Test
    void emptyHostnameAndAdvertiseUrlMeanUnsetAsInLitefs() {
        NodeConfig c = parse("lease:\n  type: consul\n  hostname: ''\n  advertise-url: ''\n"
                + "  consul: {url: 'http://c:8500', key: k}\n");
        assertThat(c.lease().hostname()).isEqualTo(HOST);
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://demo-host:20202");
    }

    @Test
    void advertiseUrlFollowsTheBoundPortWhenDerived() {
        NodeConfig c = parse("lease:\n  type: consul\n  consul: {url: 'http://c:8500', key: k}\nhttp:\n  addr: '127.0.0.1:0'\n");
        assertThat(c.http().port()).isZero();
        assertThat(c.lease().advertiseUrlFor(41234)).isEqualTo("http://demo-host:41234");
    }

    @Test
    void httpAddrForms() {
        assertThat(parse(STATIC + "http:\n  addr: '[::1]:20202'\n").http())
                .isEqualTo(new HttpConfig("[::1]:20202", "::1", 20202, Duration.ZERO));
        assertThat(parse(STATIC + "http:\n  addr: 'localhost:65535'\n").http())
                .isEqualTo(new HttpConfig("localhost:65535", "localhost", 65535, Duration.ZERO));
        assertThat(parse(STATIC + "http:\n  addr: ':0'\n").http().port()).isZero();
    }

    @Test
    void booleansTakeYaml11Words() {
        assertThat(parse(STATIC + "skip-sync: yes\nstrict-verify: on\nexit-on-error: off\n"))
                .satisfies(c -> {
                    assertThat(c.skipSync()).isTrue();
                    assertThat(c.strictVerify()).isTrue();
                    assertThat(c.exitOnError()).isFalse();
                });
        assertThat(parse(STATIC + "skip-sync: \"true\"\nstrict-verify: Y\nexit-on-error: N\n"))
                .satisfies(c -> {
                    assertThat(c.skipSync()).isTrue();
                    assertThat(c.strictVerify()).isTrue();
                    assertThat(c.exitOnError()).isFalse();
                });
    }

    @Test
    void stringsTakeAnyScalarAsWritten() {
        NodeConfig c = parse("lease:\n  type: static\n  hostname: 0x1F\n  advertise-url: http://h:1\n"
                + "proxy:\n  db: 010\n  target: yes\n  addr: .inf\n");
        assertThat(c.lease().hostname()).isEqualTo("0x1F");
        assertThat(c.proxy().db()).isEqualTo("010");
        assertThat(c.proxy().target()).isEqualTo("yes");
        assertThat(c.proxy().addr()).isEqualTo(".inf");
    }

    @Test
    void durationsInGoSyntaxNegativeWhereAllowed() {
        NodeConfig c = parse(STATIC + "data:\n  retention: -1m\n  retention-monitor-interval: '0'\n"
                + "http:\n  snapshot-timeout: 1m30s\n");
        assertThat(c.data().retention()).isEqualTo(Duration.ofMinutes(-1));
        assertThat(c.data().retentionMonitorInterval()).isZero();
        assertThat(c.data().retentionEnforced()).isFalse();
        assertThat(c.http().snapshotTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.snapshotTimeout()).contains(Duration.ofSeconds(90));
    }

    @Test
    void snapshotTimeoutZeroMeansRetentionAndNoneWhenRetentionIsOff() {
        assertThat(parse(STATIC + "data:\n  retention: 30s\n").snapshotTimeout()).contains(Duration.ofSeconds(30));
        assertThat(parse(STATIC + "data:\n  retention: 0s\n").snapshotTimeout()).isEmpty();
    }

    @Test
    void safetyMarginDefaultsToTheSmallerOfOneSecondAndAQuarterTtl() {
        String etcd = "lease:\n  type: etcd\n  etcd:\n    endpoints: [http://e:2379]\n    key: k\n";
        assertThat(parse(etcd).lease().safetyMargin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parse(etcd + "    ttl: 2s\n").lease().safetyMargin()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse(etcd + "    ttl: 2s\n  safety-margin: 0s\n").lease().safetyMargin()).isZero();
        String consul = "lease:\n  type: consul\n  consul:\n    url: http://c:8500\n    key: k\n    ttl: 1m\n";
        assertThat(parse(consul).lease().safetyMargin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parse(consul + "  safety-margin: 15s\n").lease().safetyMargin()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void consulLimitsAreInclusive() {
        String consul = "lease:\n  type: consul\n  consul:\n    url: http://c:8500\n    key: k\n";
        assertThat(parse(consul + "    ttl: 10s\n    lock-delay: 60s\n").lease().consul())
                .isEqualTo(new ConsulConfig("http://c:8500", "k", Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThat(parse(consul + "    ttl: 24h\n    lock-delay: 0s\n").lease().consul())
                .isEqualTo(new ConsulConfig("http://c:8500", "k", Duration.ofHours(24), Duration.ZERO));
    }

    @Test
    void otherEnginesSectionsAreNotCheckedWhenUnused() {
        NodeConfig c = parse(STATIC + "  consul:\n    ttl: 1s\n  etcd:\n    ttl: 1500ms\n");
        assertThat(c.lease().consul().ttl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.lease().etcd().ttl()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void databasesOnAReplica() {
        NodeConfig c = parse("lease:\n  type: static\n  candidate: false\n  hostname: p\n"
                + "  advertise-url: http://p:20202\n  databases: [snkv.db, a-b_c.2]\n");
        assertThat(c.lease().databases()).containsExactly("snkv.db", "a-b_c.2");
    }

    @Test
    void execAsOneString() {
        NodeConfig c = parse(STATIC + "exec: \"myapp -addr :8081\"\n");
        assertThat(c.exec()).containsExactly(new ExecCommand("myapp -addr :8081", false));
        assertThat(parse(STATIC + "exec: []\n").exec()).isEmpty();
    }

    @Test
    void commandLineOverrides() {
        NodeConfig c = parse(STATIC + "exec: a\n");
        NodeConfig overridden = c.withExec(List.of(new ExecCommand("b c", false))).withLogDebug(true);
        assertThat(overridden.exec()).containsExactly(new ExecCommand("b c", false));
        assertThat(overridden.log().debug()).isTrue();
        assertThat(overridden.lease()).isEqualTo(c.lease());
        assertThat(c.exec()).containsExactly(new ExecCommand("a", false));
    }

    @Test
    void environmentIsExpandedBeforeParsing() {
        Map<String, String> env = new HashMap<>();
        env.put("FLY_REGION", "ord");
        env.put("PRIMARY_REGION", "ord");
        env.put("DATA", "/data");
        String yaml = """
                data:
                  dir: "${DATA}/litefs"
                lease:
                  type: static
                  candidate: ${FLY_REGION == PRIMARY_REGION}
                  hostname: "${HOSTNAME}"
                  advertise-url: "http://$HOSTNAME:20202"
                """;
        NodeConfig c = loader(env).parse(yaml);
        assertThat(c.data().dir()).isEqualTo(Path.of("/data/litefs"));
        assertThat(c.lease().candidate()).isTrue();
        assertThat(c.lease().hostname()).isEqualTo(HOST); // HOSTNAME unset: the host name
        assertThat(c.lease().advertiseUrl()).isEqualTo("http://demo-host:20202");

        env.put("HOSTNAME", "from-env");
        env.put("PRIMARY_REGION", "ams");
        NodeConfig c2 = loader(env).parse(yaml);
        assertThat(c2.lease().hostname()).isEqualTo("from-env");
        assertThat(c2.lease().candidate()).isFalse();

        env.put("HOSTNAME", "");
        assertThat(loader(env).parse(yaml).lease().hostname()).isEqualTo(HOST);
    }

    @Test
    void expansionCanBeTurnedOff() {
        NodeConfig c = loader(Map.of("X", "y")).withEnvExpansion(false)
                .parse(STATIC + "  hostname: \"${X}$X\"\n");
        assertThat(c.lease().hostname()).isEqualTo("${X}$X");
    }

    @Test
    void expansionSetsHostnameOnlyWhenUnset() {
        assertThat(loader().expand("$HOSTNAME")).isEqualTo(HOST);
        assertThat(loader(Map.of("HOSTNAME", "h2")).expand("${HOSTNAME}")).isEqualTo("h2");
    }

    @Test
    void discoveryTakesTheFirstExistingCandidate(@TempDir Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        List<Path> candidates = NodeConfigLoader.defaultSearchPaths(cwd, home);
        assertThat(candidates).containsExactly(
                cwd.resolve("litefs.yml"), home.resolve("litefs.yml"), Path.of("/etc/litefs.yml"));
        assertThat(NodeConfigLoader.defaultSearchPaths(cwd, null))
                .containsExactly(cwd.resolve("litefs.yml"), Path.of("/etc/litefs.yml"));

        NodeConfigLoader l = new NodeConfigLoader(Map.<String, String>of()::get, HOST, cwd);
        List<Path> testCandidates = List.of(cwd.resolve("litefs.yml"), home.resolve("litefs.yml"));
        assertThat(l.discover(testCandidates)).isEmpty();
        assertThatThrownBy(() -> l.loadFirst(testCandidates))
                .isInstanceOf(NodeConfigException.class)
                .hasMessage("no config file: none of " + cwd.resolve("litefs.yml") + ", "
                        + home.resolve("litefs.yml") + " exists (give one with -config)");

        Files.writeString(home.resolve("litefs.yml"), STATIC + "fuse:\n  dir: ./from-home\n");
        assertThat(l.discover(testCandidates)).contains(home.resolve("litefs.yml"));
        assertThat(l.loadFirst(testCandidates).fuse().dir()).isEqualTo(cwd.resolve("from-home"));

        Files.writeString(cwd.resolve("litefs.yml"), STATIC + "fuse:\n  dir: ./from-cwd\n");
        assertThat(l.discover(testCandidates)).contains(cwd.resolve("litefs.yml"));
        assertThat(l.discover(List.of(Path.of("litefs.yml")))).contains(cwd.resolve("litefs.yml"));
        assertThat(l.loadFirst(testCandidates).fuse().dir()).isEqualTo(cwd.resolve("from-cwd"));
    }

    @Test
    void loadReportsFilesItCannotRead(@TempDir Path dir) throws IOException {
        NodeConfigLoader l = new NodeConfigLoader(Map.<String, String>of()::get, HOST, dir);
        assertThatThrownBy(() -> l.load(Path.of("missing.yml")))
                .isInstanceOf(NodeConfigException.class)
                .hasMessage("cannot read config file " + dir.resolve("missing.yml") + ": no such file");
        Files.write(dir.resolve("latin1.yml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> l.load(Path.of("latin1.yml")))
                .isInstanceOf(NodeConfigException.class)
                .hasMessage("cannot read config file " + dir.resolve("latin1.yml") + ": not UTF-8 text");
        Files.createDirectory(dir.resolve("litefs.yml"));
        assertThat(l.discover(List.of(Path.of("litefs.yml")))).contains(dir.resolve("litefs.yml"));
        assertThatThrownBy(() -> l.load(Path.of("litefs.yml")))
                .isInstanceOf(NodeConfigException.class)
                .hasMessageStartingWith("cannot read config file " + dir.resolve("litefs.yml") + ": ");
    }

    @Test
    void secretsStayOutOfToString() {
        NodeConfig c = parse("""
                lease:
                  type: etcd
                  etcd: {endpoints: ['http://e:2379'], key: k, username: u, password: hunter2}
                  consul: {url: 'http://:token123@c:8500'}
                backup: {auth-token: tok456}
                """);
        assertThat(c.toString()).doesNotContain("hunter2", "token123", "tok456").contains("password=(set)");
    }

    @Test
    void errorsCarryTheirKey() {
        assertThatThrownBy(() -> parse("lease:\n  type: static\n  candiate: true\n"))
                .isInstanceOfSatisfying(NodeConfigException.class,
                        e -> assertThat(e.key()).contains("lease.candiate"));
        assertThatThrownBy(() -> parse("a: b: c\n"))
                .isInstanceOfSatisfying(NodeConfigException.class, e -> assertThat(e.key()).isEmpty());
    }
}
