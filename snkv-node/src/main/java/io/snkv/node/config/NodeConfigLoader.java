package io.snkv.node.config;

import static io.snkv.node.config.NodeConfigException.quote;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads node.yml into a {@link NodeConfig} as REPLICATION.md section 7 says, in LiteFS's order: the raw
 * text is expanded ({@link EnvExpansion}, unless turned off: {@code -no-expand-env}), parsed as one
 * strict YAML document (an unknown key anywhere, a duplicate key or a value of the wrong type is an
 * error), given LiteFS's defaults, then checked as a whole. Errors are {@link NodeConfigException}s;
 * keys that are accepted without effect come back in {@link NodeConfig#warnings()}.
 *
 * <p>The environment, the host name and the working directory are given, not read from the process,
 * so tests control them; {@link #forThisProcess()} gives the real ones. {@code HOSTNAME} is taken as
 * the host name when the environment leaves it unset or empty, as {@code litefs mount} sets it.
 *
 * <p>Immutable and safe from any thread. Reads the config file only: creates no directories.
 */
public final class NodeConfigLoader {
    /** The name LiteFS looks for in the working directory, the home directory and /etc. */
    public static final String DEFAULT_FILE_NAME = "litefs.yml";

    static final String DEFAULT_FUSE_DIR = "/litefs";
    static final String DEFAULT_DATA_DIR = "/var/lib/litefs";
    static final String DEFAULT_HTTP_ADDR = ":20202";
    static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);
    static final Duration DEFAULT_RETENTION_MONITOR_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(1);
    static final Duration DEFAULT_DEMOTE_DELAY = Duration.ofSeconds(10);
    static final Duration DEFAULT_CONSUL_TTL = Duration.ofSeconds(10);
    static final Duration DEFAULT_CONSUL_LOCK_DELAY = Duration.ofSeconds(1);
    static final Duration DEFAULT_ETCD_TTL = Duration.ofSeconds(10);
    static final Duration DEFAULT_ETCD_DIAL_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_ETCD_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** The safety margin's cap (LEASES.md section 3: min(1s, ttl/4)). */
    static final Duration MAX_DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(1);

    /** Consul's own session TTL limits (Consul's session API: 10s to 86400s). */
    static final Duration CONSUL_MIN_TTL = Duration.ofSeconds(10);
    static final Duration CONSUL_MAX_TTL = Duration.ofHours(24);
    static final Duration CONSUL_MAX_LOCK_DELAY = Duration.ofSeconds(60);

    private static final String UNTIL_LATER = "has no effect yet";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private final Function<String, String> environment;
    private final String hostName;
    private final Path workingDirectory;
    private final boolean expandEnv;

    /**
     * @param environment variable lookups for expansion; null or "" means unset
     * @param hostName this machine's host name: the default {@code lease.hostname} and {@code HOSTNAME}
     * @param workingDirectory what relative paths in the file are relative to
     */
    public NodeConfigLoader(Function<String, String> environment, String hostName, Path workingDirectory) {
        this(environment, hostName, workingDirectory, true);
    }

    private NodeConfigLoader(
            Function<String, String> environment, String hostName, Path workingDirectory, boolean expandEnv) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.hostName = Objects.requireNonNull(hostName, "hostName");
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.expandEnv = expandEnv;
    }

    /** The process's environment, the machine's host name and the current directory. */
    public static NodeConfigLoader forThisProcess() {
        return new NodeConfigLoader(System::getenv, HostName.ofThisMachine(), Path.of(""));
    }

    /** A loader that does (true, the default) or does not ({@code -no-expand-env}) expand variables. */
    public NodeConfigLoader withEnvExpansion(boolean expand) {
        return new NodeConfigLoader(environment, hostName, workingDirectory, expand);
    }

    /**
     * Where LiteFS looks without {@code -config}, in order: {@code ./litefs.yml}, {@code ~/litefs.yml}
     * (if there is a home directory), {@code /etc/litefs.yml}.
     *
     * @param homeDirectory the user's home directory, or null if there is none
     */
    public static List<Path> defaultSearchPaths(Path workingDirectory, Path homeDirectory) {
        List<Path> paths = new ArrayList<>();
        paths.add(workingDirectory.resolve(DEFAULT_FILE_NAME));
        if (homeDirectory != null && !homeDirectory.toString().isEmpty()) {
            paths.add(homeDirectory.resolve(DEFAULT_FILE_NAME));
        }
        paths.add(Path.of("/etc", DEFAULT_FILE_NAME));
        return List.copyOf(paths);
    }

    /** {@link #defaultSearchPaths} for this loader's working directory and the user's home directory. */
    public List<Path> defaultSearchPaths() {
        String home = System.getProperty("user.home");
        return defaultSearchPaths(workingDirectory, home == null || home.isEmpty() ? null : Path.of(home));
    }

    /**
     * The first of {@code candidates} that exists (relative ones against the working directory). One
     * that exists but cannot be read is still chosen, so {@link #load} reports why, as LiteFS does.
     */
    public Optional<Path> discover(List<Path> candidates) {
        return candidates.stream().map(workingDirectory::resolve).filter(Files::exists).findFirst();
    }

    /** Loads the first of {@code candidates} that exists: {@code snkv mount} without {@code -config}. */
    public NodeConfig loadFirst(List<Path> candidates) {
        Path file = discover(candidates).orElseThrow(() -> new NodeConfigException("no config file: none of "
                + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
                + " exists (give one with -config)"));
        return load(file);
    }

    /** Reads and parses {@code file} (relative to the working directory). */
    public NodeConfig load(Path file) {
        Path path = workingDirectory.resolve(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new NodeConfigException("cannot read config file " + path + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new NodeConfigException("cannot read config file " + path + ": " + describe(e), e);
        }
        return parse(text);
    }

    /** Parses node.yml's text. */
    public NodeConfig parse(String text) {
        String yaml = expandEnv ? expand(text) : text;
        YamlNode.Mapping root = YamlDocument.parse(yaml);
        NodeYamlKeys.check(root);
        return new Reading(root).config();
    }

    /** LiteFS's expansion with this loader's environment, {@code HOSTNAME} defaulting to the host name. */
    String expand(String text) {
        return EnvExpansion.expand(text, this::variable);
    }

    private String variable(String name) {
        String value = environment.apply(name);
        if ((value == null || value.isEmpty()) && name.equals("HOSTNAME")) {
            return hostName;
        }
        return value;
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            case "IOException" -> String.valueOf(e.getMessage());
            default -> e.getMessage() == null ? kind : kind + ": " + e.getMessage();
        };
    }

    /** One pass over a parsed document; collects warnings as it reads. */
    private final class Reading {
        private final YamlSection top;
        private final List<String> warnings = new ArrayList<>();

        Reading(YamlNode.Mapping root) {
            this.top = new YamlSection("", root);
        }

        NodeConfig config() {
            YamlSection leaseSection = top.section("lease");
            // lease.type first: without it nothing else about the lease can be checked.
            LeaseType type = leaseType(leaseSection);

            FuseConfig fuse = fuse(top.section("fuse"));
            DataConfig data = data(top.section("data"));
            HttpConfig http = http(top.section("http"));
            LeaseConfig lease = lease(leaseSection, type, http);
            List<ExecCommand> exec = exec();
            boolean exitOnError = top.bool("exit-on-error").orElse(true);
            boolean skipSync = top.bool("skip-sync").orElse(false);
            boolean strictVerify = top.bool("strict-verify").orElse(false);
            LogConfig log = log(top.section("log"));
            TracingConfig tracing = tracing(top.section("tracing"));
            ProxyConfig proxy = proxy(top.section("proxy"));
            BackupConfig backup = backup(top.section("backup"));

            if (fuse.dir().equals(data.dir())) {
                String written = top.section("fuse").string("dir").orElse(DEFAULT_FUSE_DIR);
                throw new NodeConfigException("fuse.dir", quote(written) + " is also data.dir (both are "
                        + fuse.dir() + "); the served directory and the data directory must differ");
            }
            return new NodeConfig(fuse, data, http, lease, exec, skipSync, exitOnError, strictVerify, log,
                    tracing, proxy, backup, warnings);
        }

        private LeaseType leaseType(YamlSection s) {
            String text = s.string("type")
                    .orElseThrow(() -> new NodeConfigException(s.key("type"), "required (static, consul or etcd)"));
            return LeaseType.byConfigName(text).orElseThrow(() ->
                    new NodeConfigException(s.key("type"), quote(text) + " is not one of static, consul, etcd"));
        }

        private FuseConfig fuse(YamlSection s) {
            Path dir = directory(s, "dir", DEFAULT_FUSE_DIR);
            boolean allowOther = s.bool("allow-other").orElse(false);
            boolean debug = s.bool("debug").orElse(false);
            for (String k : List.of("allow-other", "debug")) {
                if (s.isSet(k)) {
                    warnings.add(s.key(k) + ": ignored (there is no FUSE mount; fuse.dir is a plain directory)");
                }
            }
            return new FuseConfig(dir, allowOther, debug);
        }

        private DataConfig data(YamlSection s) {
            Path dir = directory(s, "dir", DEFAULT_DATA_DIR);
            boolean compress = s.bool("compress").orElse(true);
            if (!compress) {
                warnings.add(s.key("compress") + ": false is ignored (LTX v3 always compresses pages)");
            }
            Duration retention = s.duration("retention").orElse(DEFAULT_RETENTION);
            Duration interval = s.duration("retention-monitor-interval").orElse(DEFAULT_RETENTION_MONITOR_INTERVAL);
            return new DataConfig(dir, compress, retention, interval);
        }

        private HttpConfig http(YamlSection s) {
            String addr = s.string("addr").orElse(DEFAULT_HTTP_ADDR);
            String host;
            String port;
            int colon = addr.lastIndexOf(':');
            boolean ok = colon >= 0;
            if (ok && addr.startsWith("[")) {
                // [v6]:port, as Go's net.SplitHostPort reads it
                ok = colon > 0 && addr.charAt(colon - 1) == ']';
                host = ok ? addr.substring(1, colon - 1) : "";
            } else {
                host = ok ? addr.substring(0, colon) : "";
                ok = ok && host.indexOf(':') < 0 && host.indexOf('[') < 0 && host.indexOf(']') < 0;
            }
            port = ok ? addr.substring(colon + 1) : "";
            ok = ok && PORT.matcher(port).matches() && Integer.parseInt(port) <= 65535;
            if (!ok) {
                throw new NodeConfigException(s.key("addr"), quote(addr)
                        + " is not a listen address (use host:port or :port, such as \":20202\")");
            }
            Duration snapshotTimeout = nonNegative(s, "snapshot-timeout", Duration.ZERO);
            return new HttpConfig(addr, host, Integer.parseInt(port), snapshotTimeout);
        }

        private LeaseConfig lease(YamlSection s, LeaseType type, HttpConfig http) {
            String hostname = s.string("hostname").filter(h -> !h.isEmpty()).orElse("");
            boolean hostnameSet = !hostname.isEmpty();
            if (!hostnameSet) {
                // LiteFS: os.Hostname(); a name in HOSTNAME serves where the machine's cannot be read.
                hostname = hostName.isEmpty() ? Objects.requireNonNullElse(environment.apply("HOSTNAME"), "") : hostName;
                if (hostname.isEmpty()) {
                    throw new NodeConfigException(s.key("hostname"),
                            "not set, and this machine's host name cannot be read (set lease.hostname)");
                }
            }
            Optional<String> advertise = s.string("advertise-url").filter(u -> !u.isEmpty());
            advertise.ifPresent(u -> httpUrl(s.key("advertise-url"), u));
            String advertiseUrl = advertise.orElse("http://" + hostname + ":" + http.port());

            boolean candidate = s.bool("candidate").orElse(true);
            boolean promote = s.bool("promote").orElse(false);
            Duration reconnectDelay = positive(s, "reconnect-delay", DEFAULT_RECONNECT_DELAY);
            Duration demoteDelay = nonNegative(s, "demote-delay", DEFAULT_DEMOTE_DELAY);
            if (s.isSet("demote-delay")) {
                warnings.add(s.key("demote-delay") + ": " + UNTIL_LATER);
            }
            List<String> databases = databases(s, candidate);
            ConsulConfig consul = consul(s.section("consul"), type == LeaseType.CONSUL);
            EtcdConfig etcd = etcd(s.section("etcd"), type == LeaseType.ETCD);

            if (type == LeaseType.STATIC) {
                if (advertise.isEmpty()) {
                    throw new NodeConfigException(s.key("advertise-url"),
                            "required for lease.type static (on a replica: the primary's URL)");
                }
                if (!candidate && !hostnameSet) {
                    warnings.add(s.key("hostname") + ": not set on a static replica, so this host's name "
                            + quote(hostname) + " is taken as the primary's");
                }
            }
            Duration safetyMargin = safetyMargin(s, type, consul, etcd);
            return new LeaseConfig(type, hostname, advertiseUrl, advertise.isPresent(), candidate, promote,
                    reconnectDelay, demoteDelay, databases, safetyMargin, consul, etcd);
        }

        private List<String> databases(YamlSection s, boolean candidate) {
            List<String> names = s.stringList("databases").orElse(List.of());
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!isDatabaseName(name)) {
                    throw new NodeConfigException(s.key("databases") + "[" + i + "]", quote(name)
                            + " is not a database name (1 to 255 of A-Z a-z 0-9 . _ -, not starting with"
                            + " \".\", not ending in -wal, -shm, -journal, -pos or .tmp)");
                }
            }
            if (candidate && !names.isEmpty()) {
                throw new NodeConfigException(s.key("databases"), quoteList(names)
                        + " is refused on a candidate: only replicas filter what they stream"
                        + " (set lease.candidate: false)");
            }
            return names;
        }

        private ConsulConfig consul(YamlSection s, boolean chosen) {
            String url = s.string("url").orElse("");
            String key = s.string("key").orElse("");
            Duration ttl = s.duration("ttl").orElse(DEFAULT_CONSUL_TTL);
            Duration lockDelay = s.duration("lock-delay").orElse(DEFAULT_CONSUL_LOCK_DELAY);
            if (chosen) {
                if (url.isEmpty()) {
                    throw new NodeConfigException(s.key("url"), "required for lease.type consul");
                }
                httpUrl(s.key("url"), url);
                if (key.isEmpty()) {
                    throw new NodeConfigException(s.key("key"), "required for lease.type consul");
                }
                if (ttl.compareTo(CONSUL_MIN_TTL) < 0) {
                    throw new NodeConfigException(s.key("ttl"),
                            quote(written(s, "ttl", ttl)) + " is below Consul's minimum of 10s");
                }
                if (ttl.compareTo(CONSUL_MAX_TTL) > 0) {
                    throw new NodeConfigException(s.key("ttl"),
                            quote(written(s, "ttl", ttl)) + " is above Consul's maximum of 24h");
                }
                if (lockDelay.isNegative()) {
                    throw new NodeConfigException(s.key("lock-delay"), quote(written(s, "lock-delay", lockDelay))
                            + " is negative");
                }
                if (lockDelay.compareTo(CONSUL_MAX_LOCK_DELAY) > 0) {
                    throw new NodeConfigException(s.key("lock-delay"), quote(written(s, "lock-delay", lockDelay))
                            + " is above Consul's maximum of 60s");
                }
            }
            return new ConsulConfig(url, key, ttl, lockDelay);
        }

        private EtcdConfig etcd(YamlSection s, boolean chosen) {
            List<String> endpoints = s.stringList("endpoints").orElse(List.of());
            String key = s.string("key").orElse("");
            Duration ttl = s.duration("ttl").orElse(DEFAULT_ETCD_TTL);
            Duration dialTimeout = s.duration("dial-timeout").orElse(DEFAULT_ETCD_DIAL_TIMEOUT);
            Duration requestTimeout = s.duration("request-timeout").orElse(DEFAULT_ETCD_REQUEST_TIMEOUT);
            String username = s.string("username").orElse("");
            String password = s.string("password").orElse("");
            if (chosen) {
                if (endpoints.isEmpty()) {
                    throw new NodeConfigException(s.key("endpoints"),
                            "required for lease.type etcd (a list of http://host:port client URLs)");
                }
                for (int i = 0; i < endpoints.size(); i++) {
                    httpUrl(s.key("endpoints") + "[" + i + "]", endpoints.get(i));
                }
                if (key.isEmpty()) {
                    throw new NodeConfigException(s.key("key"), "required for lease.type etcd");
                }
                positive(s, "ttl", DEFAULT_ETCD_TTL);
                if (ttl.getNano() != 0) {
                    throw new NodeConfigException(s.key("ttl"), quote(written(s, "ttl", ttl))
                            + " is not a whole number of seconds (etcd grants whole seconds)");
                }
                positive(s, "dial-timeout", DEFAULT_ETCD_DIAL_TIMEOUT);
                positive(s, "request-timeout", DEFAULT_ETCD_REQUEST_TIMEOUT);
                if (!username.isEmpty() && password.isEmpty()) {
                    throw new NodeConfigException(s.key("password"), "required with lease.etcd.username");
                }
                if (username.isEmpty() && !password.isEmpty()) {
                    throw new NodeConfigException(s.key("username"), "required with lease.etcd.password");
                }
            }
            return new EtcdConfig(endpoints, key, ttl, dialTimeout, requestTimeout, username, password);
        }

        private Duration safetyMargin(YamlSection s, LeaseType type, ConsulConfig consul, EtcdConfig etcd) {
            Optional<Duration> written = s.duration("safety-margin");
            if (type == LeaseType.STATIC) {
                // A static lease never expires, so there is no fence to keep a margin from.
                return written.orElse(Duration.ZERO);
            }
            Duration ttl = type == LeaseType.CONSUL ? consul.ttl() : etcd.ttl();
            String ttlKey = type == LeaseType.CONSUL ? "lease.consul.ttl" : "lease.etcd.ttl";
            Duration quarter = ttl.dividedBy(4);
            if (written.isEmpty()) {
                return quarter.compareTo(MAX_DEFAULT_SAFETY_MARGIN) < 0 ? quarter : MAX_DEFAULT_SAFETY_MARGIN;
            }
            Duration margin = written.get();
            String text = s.string("safety-margin").orElseThrow();
            if (margin.isNegative()) {
                throw new NodeConfigException(s.key("safety-margin"), quote(text) + " is negative");
            }
            if (margin.compareTo(quarter) > 0) {
                throw new NodeConfigException(s.key("safety-margin"), quote(text) + " is more than " + ttlKey
                        + " / 4 (" + GoDuration.format(quarter) + ")");
            }
            return margin;
        }

        private List<ExecCommand> exec() {
            Optional<YamlNode> node = top.node("exec");
            if (node.isEmpty()) {
                return List.of();
            }
            if (node.get() instanceof YamlNode.Scalar scalar) {
                return List.of(new ExecCommand(command("exec", scalar.text()), false));
            }
            if (!(node.get() instanceof YamlNode.Sequence list)) {
                throw new NodeConfigException("exec",
                        "expected a command or a list of {cmd, if-candidate}, found " + node.get().describe());
            }
            List<ExecCommand> commands = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                String key = "exec[" + i + "]";
                if (!(list.items().get(i) instanceof YamlNode.Mapping item)) {
                    throw YamlSection.notA(key, list.items().get(i), "a mapping of cmd and if-candidate");
                }
                YamlSection s = new YamlSection(key, item);
                String cmd = s.string("cmd").orElseThrow(() -> new NodeConfigException(s.key("cmd"), "required"));
                commands.add(new ExecCommand(command(s.key("cmd"), cmd), s.bool("if-candidate").orElse(false)));
            }
            return commands;
        }

        private String command(String key, String cmd) {
            if (cmd.isBlank()) {
                // LiteFS would fail splitting it into words; say so here.
                throw new NodeConfigException(key, quote(cmd) + " is empty");
            }
            return cmd;
        }

        private LogConfig log(YamlSection s) {
            String format = s.string("format").orElse("text");
            LogFormat logFormat = switch (format) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new NodeConfigException(s.key("format"), quote(format) + " is not one of text, json");
            };
            if (logFormat == LogFormat.JSON) {
                warnings.add(s.key("format") + ": \"json\" " + UNTIL_LATER + " (logs stay text)");
            }
            return new LogConfig(logFormat, s.bool("timestamp").orElse(false), s.bool("debug").orElse(false));
        }

        private TracingConfig tracing(YamlSection s) {
            TracingConfig t = new TracingConfig(
                    s.bool("enabled").orElse(false),
                    s.string("path").orElse(""),
                    s.integer("max-size").orElse(64),
                    s.integer("max-count").orElse(8),
                    s.bool("compress").orElse(true));
            for (String k : s.setKeys()) {
                warnings.add(s.key(k) + ": ignored (LiteFS's FUSE trace log)");
            }
            return t;
        }

        private ProxyConfig proxy(YamlSection s) {
            ProxyConfig p = new ProxyConfig(
                    s.string("addr").orElse(""),
                    s.string("target").orElse(""),
                    s.string("db").orElse(""),
                    s.duration("max-lag").orElse(Duration.ofSeconds(10)),
                    s.bool("debug").orElse(false),
                    s.stringList("passthrough").orElse(List.of()),
                    s.stringList("always-forward").orElse(List.of()),
                    s.duration("primary-redirect-timeout").orElse(Duration.ofSeconds(5)),
                    s.duration("read-timeout").orElse(Duration.ZERO),
                    s.duration("read-header-timeout").orElse(Duration.ofSeconds(10)),
                    s.duration("write-timeout").orElse(Duration.ZERO),
                    s.duration("idle-timeout").orElse(Duration.ofSeconds(30)));
            for (String k : s.setKeys()) {
                warnings.add(s.key(k) + ": " + UNTIL_LATER + " (no proxy yet)");
            }
            return p;
        }

        private BackupConfig backup(YamlSection s) {
            BackupConfig b = new BackupConfig(
                    s.string("type").orElse(""),
                    s.string("path").orElse(""),
                    s.string("url").orElse(""),
                    s.string("cluster").orElse(""),
                    s.string("auth-token").orElse(""));
            for (String k : s.setKeys()) {
                warnings.add(s.key(k) + ": " + UNTIL_LATER + " (no backups yet)");
            }
            return b;
        }

        private Path directory(YamlSection s, String name, String defaultDir) {
            String text = s.string(name).orElse(defaultDir);
            if (text.isEmpty()) {
                throw new NodeConfigException(s.key(name), "\"\" is empty (give a directory)");
            }
            try {
                return workingDirectory.resolve(text).normalize();
            } catch (InvalidPathException e) {
                throw new NodeConfigException(s.key(name), quote(text) + " is not a path (" + e.getReason() + ")");
            }
        }

        private Duration positive(YamlSection s, String name, Duration defaultValue) {
            Duration d = s.duration(name).orElse(defaultValue);
            if (d.isNegative() || d.isZero()) {
                throw new NodeConfigException(s.key(name), quote(written(s, name, d)) + " is not positive");
            }
            return d;
        }

        private Duration nonNegative(YamlSection s, String name, Duration defaultValue) {
            Duration d = s.duration(name).orElse(defaultValue);
            if (d.isNegative()) {
                throw new NodeConfigException(s.key(name), quote(written(s, name, d)) + " is negative");
            }
            return d;
        }

        /** A value as the file wrote it, for messages; Go's form of the default if unset. */
        private String written(YamlSection s, String name, Duration value) {
            return s.string(name).orElseGet(() -> GoDuration.format(value));
        }
    }

    private static void httpUrl(String key, String text) {
        boolean ok;
        try {
            URI uri = new URI(text);
            ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            ok = false;
        }
        if (!ok) {
            throw new NodeConfigException(key, quote(text) + " is not an http:// or https:// URL with a host");
        }
    }

    /** REPLICATION.md section 1's database name. */
    static boolean isDatabaseName(String name) {
        if (!DATABASE_NAME.matcher(name).matches() || name.startsWith(".")) {
            return false;
        }
        for (String suffix : List.of("-wal", "-shm", "-journal", "-pos", ".tmp")) {
            if (name.endsWith(suffix)) {
                return false;
            }
        }
        return true;
    }

    private static String quoteList(List<String> values) {
        return values.stream().map(NodeConfigException::quote).collect(Collectors.joining(", ", "[", "]"));
    }
}
