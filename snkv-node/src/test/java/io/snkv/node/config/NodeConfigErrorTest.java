package io.snkv.node.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way node.yml can be refused, each with its exact one-line message. */
class NodeConfigErrorTest {
    private static final String STATIC = NodeConfigLoaderTest.STATIC;
    private static final String CONSUL = "lease:\n  type: consul\n  consul:\n    url: http://c:8500\n    key: k\n";
    private static final String ETCD = "lease:\n  type: etcd\n  etcd:\n    endpoints: [http://e:2379]\n    key: k\n";
    private static final String REPLICA =
            "lease:\n  type: static\n  candidate: false\n  hostname: p\n  advertise-url: http://p:20202\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                // lease.type
                Arguments.of("lease:\n  type: foo\n", "lease.type: \"foo\" is not one of static, consul, etcd"),
                Arguments.of("lease:\n  type: Static\n", "lease.type: \"Static\" is not one of static, consul, etcd"),
                Arguments.of("lease:\n  type: ''\n", "lease.type: \"\" is not one of static, consul, etcd"),
                Arguments.of("fuse:\n  dir: ./x\n", "lease.type: required (static, consul or etcd)"),
                Arguments.of("", "lease.type: required (static, consul or etcd)"),
                Arguments.of("# nothing\n", "lease.type: required (static, consul or etcd)"),
                Arguments.of("lease:\n", "lease.type: required (static, consul or etcd)"),
                // unknown keys, anywhere, first in document order, before any other check
                Arguments.of("lease:\n  type: static\n  candiate: true\n", "unknown key \"lease.candiate\""),
                Arguments.of("lease:\n  type: foo\n  candiate: true\n", "unknown key \"lease.candiate\""),
                Arguments.of("fuse:\n  dir: x\nfoo: 1\n" + STATIC, "unknown key \"foo\""),
                Arguments.of("lease:\n  type: consul\n  consul:\n    url: x\n    tll: 10s\n",
                        "unknown key \"lease.consul.tll\""),
                Arguments.of(STATIC + "  etcd:\n    endpoint: [http://e:2379]\n", "unknown key \"lease.etcd.endpoint\""),
                Arguments.of(STATIC + "exec:\n  - cmd: a\n    if_candidate: true\n",
                        "unknown key \"exec[0].if_candidate\""),
                Arguments.of(STATIC + "http:\n  port: 20202\n", "unknown key \"http.port\""),
                Arguments.of(STATIC + "lease.type: static\n", "unknown key \"lease.type\""),
                Arguments.of(STATIC + "tracing:\n  max-files: 3\n", "unknown key \"tracing.max-files\""),
                Arguments.of(STATIC + "proxy:\n  timeout: 3s\n", "unknown key \"proxy.timeout\""),
                Arguments.of(STATIC + "backup:\n  token: x\n", "unknown key \"backup.token\""),
                Arguments.of(STATIC + "log:\n  level: debug\n", "unknown key \"log.level\""),
                // YAML structure
                Arguments.of("lease:\n  type: static\n  type: consul\n", "duplicate key \"lease.type\""),
                Arguments.of(STATIC + "fuse:\n  dir: a\nfuse:\n  dir: b\n", "duplicate key \"fuse\""),
                Arguments.of("lease:\n  type: &t static\n  hostname: *t\n",
                        "lease.hostname: YAML aliases (*t) are not supported; write the value out"),
                Arguments.of(STATIC + "---\nlease:\n  type: consul\n",
                        "node.yml holds a second YAML document (from line 5); only one is read"),
                Arguments.of("- lease\n", "node.yml's top level is a list, not a mapping of keys such as fuse:, data:, http:, lease:"),
                Arguments.of("static\n", "node.yml's top level is \"static\", not a mapping of keys such as fuse:, data:, http:, lease:"),
                Arguments.of("a: b: c\n", "YAML syntax error at line 1, column 5: mapping values are not allowed here"),
                Arguments.of("a: '1\n", "YAML syntax error at line 2, column 1: found unexpected end of stream"
                        + " (while scanning a quoted scalar)"),
                Arguments.of("lease:\n\ttype: static\n", "YAML syntax error at line 2, column 1: found character '\\t(TAB)'"
                        + " that cannot start any token. (Do not use \\t(TAB) for indentation)"
                        + " (while scanning for the next token)"),
                // wrong types
                Arguments.of(STATIC + "data:\n  retention: 10 minutes\n",
                        "data.retention: \"10 minutes\" is not a duration (use Go syntax such as 10m or 1m30s)"),
                Arguments.of(STATIC + "data:\n  retention: 600\n",
                        "data.retention: \"600\" is not a duration (use Go syntax such as 10m or 1m30s)"),
                Arguments.of(STATIC + "data:\n  retention-monitor-interval: 1d\n",
                        "data.retention-monitor-interval: \"1d\" is not a duration (use Go syntax such as 10m or 1m30s)"),
                Arguments.of(STATIC + "data:\n  retention: [10m]\n", "data.retention: expected a duration, found a list"),
                Arguments.of(STATIC + "  candidate: maybe\n", "lease.candidate: \"maybe\" is not a boolean (use true or false)"),
                Arguments.of(STATIC + "  candidate: 1\n", "lease.candidate: \"1\" is not a boolean (use true or false)"),
                Arguments.of(STATIC + "skip-sync: {a: 1}\n", "skip-sync: expected a boolean, found a mapping"),
                Arguments.of(STATIC + "fuse:\n  dir:\n    a: 1\n", "fuse.dir: expected a string, found a mapping"),
                Arguments.of(STATIC + "fuse: ./mnt\n", "fuse: \"./mnt\" is not a mapping"),
                Arguments.of(STATIC + "data: [a]\n", "data: expected a mapping, found a list"),
                Arguments.of("lease: static\n", "lease: \"static\" is not a mapping"),
                Arguments.of(REPLICA + "  databases: snkv.db\n", "lease.databases: \"snkv.db\" is not a list"),
                Arguments.of(REPLICA + "  databases:\n    - {a: 1}\n", "lease.databases[0]: expected a string, found a mapping"),
                Arguments.of(STATIC + "tracing:\n  max-size: 64MB\n", "tracing.max-size: \"64MB\" is not an integer"),
                Arguments.of(STATIC + "proxy:\n  max-lag: 10\n",
                        "proxy.max-lag: \"10\" is not a duration (use Go syntax such as 10m or 1m30s)"),
                Arguments.of(STATIC + "log:\n  format: xml\n", "log.format: \"xml\" is not one of text, json"),
                Arguments.of(STATIC + "  reconnect-delay: \"1\\ts\"\n",
                        "lease.reconnect-delay: \"1\\ts\" is not a duration (use Go syntax such as 10m or 1m30s)"),
                // directories
                Arguments.of(STATIC + "fuse:\n  dir: ./same\ndata:\n  dir: same/\n",
                        "fuse.dir: \"./same\" is also data.dir (both are /srv/demo/same); the served directory and"
                                + " the data directory must differ"),
                Arguments.of(STATIC + "fuse:\n  dir: /var/lib/litefs\n",
                        "fuse.dir: \"/var/lib/litefs\" is also data.dir (both are /var/lib/litefs); the served"
                                + " directory and the data directory must differ"),
                Arguments.of(STATIC + "fuse:\n  dir: ''\n", "fuse.dir: \"\" is empty (give a directory)"),
                Arguments.of(STATIC + "data:\n  dir: ''\n", "data.dir: \"\" is empty (give a directory)"),
                Arguments.of(STATIC + "data:\n  dir: \"a\\0b\"\n",
                        "data.dir: \"a\\u0000b\" is not a path (Nul character not allowed)"),
                // http
                Arguments.of(STATIC + "http:\n  addr: '20202'\n",
                        "http.addr: \"20202\" is not a listen address (use host:port or :port, such as \":20202\")"),
                Arguments.of(STATIC + "http:\n  addr: 20202\n",
                        "http.addr: \"20202\" is not a listen address (use host:port or :port, such as \":20202\")"),
                Arguments.of(STATIC + "http:\n  addr: ':99999'\n",
                        "http.addr: \":99999\" is not a listen address (use host:port or :port, such as \":20202\")"),
                Arguments.of(STATIC + "http:\n  addr: ':http'\n",
                        "http.addr: \":http\" is not a listen address (use host:port or :port, such as \":20202\")"),
                Arguments.of(STATIC + "http:\n  addr: '::1:20202'\n",
                        "http.addr: \"::1:20202\" is not a listen address (use host:port or :port, such as \":20202\")"),
                Arguments.of(STATIC + "http:\n  addr: 'host:'\n",
                        "http.addr: \"host:\" is not a listen address (use host:port or :port, such as \":20202\")"),
                Arguments.of(STATIC + "http:\n  snapshot-timeout: -1s\n", "http.snapshot-timeout: \"-1s\" is negative"),
                // lease
                Arguments.of("lease:\n  type: static\n",
                        "lease.advertise-url: required for lease.type static (on a replica: the primary's URL)"),
                Arguments.of("lease:\n  type: static\n  candidate: false\n  hostname: p\n",
                        "lease.advertise-url: required for lease.type static (on a replica: the primary's URL)"),
                Arguments.of("lease:\n  type: static\n  advertise-url: 127.0.0.1:20202\n",
                        "lease.advertise-url: \"127.0.0.1:20202\" is not an http:// or https:// URL with a host"),
                Arguments.of("lease:\n  type: static\n  advertise-url: ftp://h:1\n",
                        "lease.advertise-url: \"ftp://h:1\" is not an http:// or https:// URL with a host"),
                Arguments.of(STATIC + "  reconnect-delay: 0s\n", "lease.reconnect-delay: \"0s\" is not positive"),
                Arguments.of(STATIC + "  demote-delay: -1s\n", "lease.demote-delay: \"-1s\" is negative"),
                Arguments.of(STATIC + "  databases: [snkv.db]\n",
                        "lease.databases: [\"snkv.db\"] is refused on a candidate: only replicas filter what they"
                                + " stream (set lease.candidate: false)"),
                Arguments.of(CONSUL + "  databases: [a.db, b.db]\n",
                        "lease.databases: [\"a.db\", \"b.db\"] is refused on a candidate: only replicas filter what"
                                + " they stream (set lease.candidate: false)"),
                Arguments.of(REPLICA + "  databases: [a/b]\n", dbName(0, "a/b")),
                Arguments.of(REPLICA + "  databases: [ok.db, .hidden]\n", dbName(1, ".hidden")),
                Arguments.of(REPLICA + "  databases: [snkv.db-wal]\n", dbName(0, "snkv.db-wal")),
                Arguments.of(REPLICA + "  databases: [x.tmp]\n", dbName(0, "x.tmp")),
                Arguments.of(REPLICA + "  databases: ['']\n", dbName(0, "")),
                Arguments.of(REPLICA + "  databases: [~]\n", dbName(0, "")),
                // consul
                Arguments.of("lease:\n  type: consul\n", "lease.consul.url: required for lease.type consul"),
                Arguments.of("lease:\n  type: consul\n  consul:\n    key: k\n", "lease.consul.url: required for lease.type consul"),
                Arguments.of("lease:\n  type: consul\n  consul:\n    url: http://c:8500\n",
                        "lease.consul.key: required for lease.type consul"),
                Arguments.of("lease:\n  type: consul\n  consul:\n    url: 127.0.0.1:8500\n    key: k\n",
                        "lease.consul.url: \"127.0.0.1:8500\" is not an http:// or https:// URL with a host"),
                Arguments.of(CONSUL + "    ttl: 5s\n", "lease.consul.ttl: \"5s\" is below Consul's minimum of 10s"),
                Arguments.of(CONSUL + "    ttl: 25h\n", "lease.consul.ttl: \"25h\" is above Consul's maximum of 24h"),
                Arguments.of(CONSUL + "    lock-delay: 90s\n",
                        "lease.consul.lock-delay: \"90s\" is above Consul's maximum of 60s"),
                Arguments.of(CONSUL + "    lock-delay: -1s\n", "lease.consul.lock-delay: \"-1s\" is negative"),
                Arguments.of(CONSUL + "  safety-margin: 5s\n",
                        "lease.safety-margin: \"5s\" is more than lease.consul.ttl / 4 (2.5s)"),
                Arguments.of(CONSUL + "  safety-margin: -1ms\n", "lease.safety-margin: \"-1ms\" is negative"),
                // etcd
                Arguments.of("lease:\n  type: etcd\n",
                        "lease.etcd.endpoints: required for lease.type etcd (a list of http://host:port client URLs)"),
                Arguments.of("lease:\n  type: etcd\n  etcd:\n    endpoints: []\n    key: k\n",
                        "lease.etcd.endpoints: required for lease.type etcd (a list of http://host:port client URLs)"),
                Arguments.of("lease:\n  type: etcd\n  etcd:\n    endpoints: http://e:2379\n",
                        "lease.etcd.endpoints: \"http://e:2379\" is not a list"),
                Arguments.of("lease:\n  type: etcd\n  etcd:\n    endpoints: [http://e:2379, 'e2:2379']\n",
                        "lease.etcd.endpoints[1]: \"e2:2379\" is not an http:// or https:// URL with a host"),
                Arguments.of("lease:\n  type: etcd\n  etcd:\n    endpoints: [http://e:2379]\n",
                        "lease.etcd.key: required for lease.type etcd"),
                Arguments.of(ETCD + "    ttl: 1500ms\n",
                        "lease.etcd.ttl: \"1500ms\" is not a whole number of seconds (etcd grants whole seconds)"),
                Arguments.of(ETCD + "    ttl: 0s\n", "lease.etcd.ttl: \"0s\" is not positive"),
                Arguments.of(ETCD + "    dial-timeout: 0s\n", "lease.etcd.dial-timeout: \"0s\" is not positive"),
                Arguments.of(ETCD + "    request-timeout: -2s\n", "lease.etcd.request-timeout: \"-2s\" is not positive"),
                Arguments.of(ETCD + "    username: root\n", "lease.etcd.password: required with lease.etcd.username"),
                Arguments.of(ETCD + "    password: pw\n", "lease.etcd.username: required with lease.etcd.password"),
                Arguments.of(ETCD + "    ttl: 4s\n  safety-margin: 2s\n",
                        "lease.safety-margin: \"2s\" is more than lease.etcd.ttl / 4 (1s)"),
                // exec
                Arguments.of(STATIC + "exec: ''\n", "exec: \"\" is empty"),
                Arguments.of(STATIC + "exec: '   '\n", "exec: \"   \" is empty"),
                Arguments.of(STATIC + "exec:\n  - if-candidate: true\n", "exec[0].cmd: required"),
                Arguments.of(STATIC + "exec:\n  - cmd: a\n  - cmd: ''\n", "exec[1].cmd: \"\" is empty"),
                Arguments.of(STATIC + "exec:\n  cmd: a\n",
                        "exec: expected a command or a list of {cmd, if-candidate}, found a mapping"),
                Arguments.of(STATIC + "exec:\n  - a\n", "exec[0]: \"a\" is not a mapping of cmd and if-candidate"),
                Arguments.of(STATIC + "exec:\n  - cmd: a\n    if-candidate: sometimes\n",
                        "exec[0].if-candidate: \"sometimes\" is not a boolean (use true or false)"));
    }

    private static String dbName(int index, String name) {
        return "lease.databases[" + index + "]: " + NodeConfigException.quote(name) + " is not a database name"
                + " (1 to 255 of A-Z a-z 0-9 . _ -, not starting with \".\", not ending in -wal, -shm, -journal,"
                + " -pos or .tmp)";
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("errors")
    void refusedWithOneLineNamingKeyAndValue(String yaml, String message) {
        assertThatThrownBy(() -> NodeConfigLoaderTest.parse(yaml))
                .isInstanceOf(NodeConfigException.class)
                .hasMessage(message)
                .hasMessageNotContaining("\n");
    }
}
