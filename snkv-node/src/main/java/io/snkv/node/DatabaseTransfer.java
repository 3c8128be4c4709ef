package io.snkv.node;

import io.snkv.DatabaseImage;
import io.snkv.ErrorCode;
import io.snkv.InvalidImageException;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw database images in and out of a node (REPLICATION.md 6). {@code GET /export?name=} streams the image of
 * one read transaction, page by page, with its position in {@code Snkv-Txid} and {@code Snkv-Checksum}; any
 * node answers. {@code POST /import?name=} spools the body to {@code <data dir>/tmp/}, then commits it on the
 * primary as the database's next transaction (the engine checks it first), so replicas receive an ordinary LTX
 * file. Neither holds an image in memory on the HTTP side; the import's commit holds its pages until it
 * commits, as every engine transaction does, so imports run one at a time and their size is bounded by the heap
 * as well as the data directory's free space: a body over either bound is refused with 413 before it is read
 * (by its {@code Content-Length}), or as soon as a body without one passes the bound. Thread-safe.
 */
final class DatabaseTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseTransfer.class);
    /** Bytes per write to the response: a page at a time would be one system call per page. */
    private static final int COPY_BUFFER = 1 << 16;
    /**
     * The share of the heap one import may take. The commit holds every page of the image, the change log
     * compresses a copy of each for the LTX file, and a WAL commit builds its frames in one more buffer: three
     * times the image, at most.
     */
    private static final int HEAP_SHARES = 3;

    private final Node node;

    DatabaseTransfer(Node node) {
        this.node = node;
    }

    void export(Request request, Response response, Callback callback) {
        String name = NodeHttpApi.nameParameter(request, response, callback);
        if (name == null) {
            return;
        }
        Optional<ReplicatedDatabase> db = node.existingDatabase(name);
        if (db.isEmpty()) {
            NodeHttpApi.error(response, callback, HttpStatus.NOT_FOUND_404, "no such database: " + name);
            return;
        }
        DatabaseImage image;
        try {
            image = db.get().openImage();
        } catch (KVException e) {
            NodeHttpApi.error(response, callback, statusFor(e), "cannot export " + name + ": " + e.getMessage());
            return;
        }
        try (image) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, image.size());
            response.getHeaders().put("Snkv-Txid", hex(image.position().txid()));
            response.getHeaders().put("Snkv-Checksum", hex(image.position().checksum()));
            try (OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(response), COPY_BUFFER)) {
                image.writeTo(out);
            }
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            // The headers are gone: the short body is the error the client sees.
            LOG.info("export of {} ended early: {}", name, e.toString());
            callback.failed(e);
        }
    }

    void importImage(Request request, Response response, Callback callback) {
        String name = NodeHttpApi.nameParameter(request, response, callback);
        if (name == null) {
            return;
        }
        if (!node.isPrimary()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "not primary");
            body.put("primary", node.primaryHostnameOrEmpty());
            NodeHttpApi.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, body);
            return;
        }
        Path tmp = node.tmpDir();
        long limit;
        String tooLarge;
        try {
            long room = Files.getFileStore(tmp).getUsableSpace();
            long heap = Runtime.getRuntime().maxMemory() / HEAP_SHARES;
            limit = Math.min(room, heap);
            tooLarge = room <= heap ? "the data directory has " + room + " bytes free"
                    : "an import holds the image in memory until it commits, and this node takes at most " + heap
                    + " bytes (a third of its heap)";
        } catch (IOException e) {
            NodeHttpApi.error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "cannot check free space: " + e.getMessage());
            return;
        }
        long length = request.getLength();
        if (length > limit) {
            NodeHttpApi.error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "the image is " + length + " bytes but " + tooLarge);
            return;
        }
        // The answer goes out after the spool is gone, so a client that sees it finds nothing left behind.
        int status;
        Map<String, String> body;
        Path spool = null;
        try {
            spool = Files.createTempFile(tmp, name + "-", ".import");
            long got = spoolBody(request, spool, limit);
            if (got < 0) {
                status = HttpStatus.PAYLOAD_TOO_LARGE_413;
                body = Map.of("error", "the image is more than " + limit + " bytes but " + tooLarge);
            } else {
                LtxPosition p = node.importDatabase(name, spool);
                status = HttpStatus.OK_200;
                body = Map.of("txid", hex(p.txid()), "checksum", hex(p.checksum()));
            }
        } catch (BodyException e) {
            status = HttpStatus.BAD_REQUEST_400;
            body = Map.of("error", "could not read the image: " + e.getMessage());
        } catch (InvalidImageException e) {
            status = HttpStatus.BAD_REQUEST_400;
            body = Map.of("error", e.getMessage());
        } catch (KVException e) {
            LOG.warn("import of {} failed: {}", name, e.toString());
            status = statusFor(e);
            body = Map.of("error", "import failed: " + e.getMessage());
        } catch (IOException e) {
            LOG.warn("import of {} failed: {}", name, e.toString());
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            body = Map.of("error", "import failed: " + e.getMessage());
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", spool, e.toString());
                }
            }
        }
        if (status == HttpStatus.OK_200) {
            NodeHttpApi.json(response, callback, status, body);
        } else {
            NodeHttpApi.error(response, callback, status, body.get("error"));
        }
    }

    /** A failure reading the request body (the client's side), as opposed to writing the spool (ours). */
    private static final class BodyException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyException(IOException cause) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }

    /** Copies the body to {@code spool}; the bytes copied, or -1 once more than {@code limit} arrived. */
    private static long spoolBody(Request request, Path spool, long limit) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        long total = 0;
        try (InputStream in = Content.Source.asInputStream(request); OutputStream out = Files.newOutputStream(spool)) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw new BodyException(e);
                }
                if (n < 0) {
                    return total;
                }
                total += n;
                if (total > limit) {
                    return -1;
                }
                out.write(buf, 0, n);
            }
        }
    }

    private static int statusFor(KVException e) {
        if (e.code() == ErrorCode.TOOBIG) {
            return HttpStatus.PAYLOAD_TOO_LARGE_413;
        }
        if (e.code() == ErrorCode.BUSY || e.code() == ErrorCode.READONLY) {
            return HttpStatus.SERVICE_UNAVAILABLE_503;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR_500;
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }
}
