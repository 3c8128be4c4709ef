package io.snkv.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite through org.xerial:sqlite-jdbc: one WITHOUT ROWID table keyed by a BLOB, the closest SQL shape to SNKV's
 * key/value b-tree. Statements are prepared once per open store and reused.
 */
final class SqliteJdbcEngine implements Engine {

    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement select;
    private PreparedStatement existence;
    private PreparedStatement removal;
    private PreparedStatement counting;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public void open(Path dir, String fileName) throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(fileName));
        try (Statement s = connection.createStatement()) {
            // page_size first: it only applies while the file is still empty, before WAL mode writes the header.
            s.execute("PRAGMA page_size=4096");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA cache_size=-8000");
            // wal_autocheckpoint is left at SQLite's default (1000 pages), as WORKLOADS.md asks.
            s.execute("CREATE TABLE kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
        }
        upsert = connection.prepareStatement(
                "INSERT INTO kv(k, v) VALUES(?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v");
        select = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
        existence = connection.prepareStatement("SELECT 1 FROM kv WHERE k = ? LIMIT 1");
        removal = connection.prepareStatement("DELETE FROM kv WHERE k = ?");
        counting = connection.prepareStatement("SELECT count(*) FROM kv");
    }

    @Override
    public void describeSettings() throws SQLException {
        StringBuilder settings = new StringBuilder("sqlite settings (read back):");
        settings.append(" sqlite_version=").append(queryText("SELECT sqlite_version()"));
        settings.append(" driver=").append(connection.getMetaData().getDriverVersion());
        for (String pragma : new String[] {"journal_mode", "synchronous", "cache_size", "page_size",
                "wal_autocheckpoint", "locking_mode", "temp_store", "mmap_size"}) {
            settings.append(' ').append(pragma).append('=').append(queryText("PRAGMA " + pragma));
        }
        System.err.println(settings + " (synchronous 1 = NORMAL; wal_autocheckpoint is SQLite's default, in pages)");
    }

    private String queryText(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    @Override
    public void begin() throws SQLException {
        // The driver issues BEGIN (deferred) here.
        connection.setAutoCommit(false);
    }

    @Override
    public void commit() throws SQLException {
        // Turning auto-commit back on issues exactly one COMMIT. Connection.commit() would instead run COMMIT and then
        // BEGIN again, so the next phase's plain reads would run inside one long read transaction.
        connection.setAutoCommit(true);
    }

    @Override
    public void put(byte[] key, byte[] value) throws SQLException {
        upsert.setBytes(1, key);
        upsert.setBytes(2, value);
        upsert.executeUpdate();
    }

    @Override
    public byte[] get(byte[] key) throws SQLException {
        select.setBytes(1, key);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    @Override
    public void delete(byte[] key) throws SQLException {
        removal.setBytes(1, key);
        removal.executeUpdate();
    }

    @Override
    public boolean exists(byte[] key) throws SQLException {
        existence.setBytes(1, key);
        try (ResultSet rs = existence.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public OrderedScan openScan() throws SQLException {
        PreparedStatement query = connection.prepareStatement("SELECT k, v FROM kv ORDER BY k");
        return new OrderedScan() {
            @Override
            public void walk(EntryVisitor visitor) throws SQLException {
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        visitor.visit(rs.getBytes(1), rs.getBytes(2));
                    }
                }
            }

            @Override
            public void close() throws SQLException {
                query.close();
            }
        };
    }

    @Override
    public long count() throws SQLException {
        try (ResultSet rs = counting.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            // Closing the connection finalizes the prepared statements and checkpoints the WAL.
            connection.close();
            connection = null;
        }
    }
}
