package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.ApiError;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.api.EventStreamReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows one download through the daemon's event stream, handing each status of it the events carry to a
 * {@link Watch}, until the watch says it has seen enough: for {@code get}, a status that says COMPLETE (0) or FAILED
 * (an error); for {@code open}, one with a manifest. A broken stream is reopened after the last event seen, waiting
 * 100 ms longer after each failure in a row (at most {@link #MAX_BACKOFF_NANOS}), and asking for the status each time
 * (which also says, as before, when the daemon is gone). There is no polling: only the event stream says what changed.
 */
final class TransferFollower {
    /** What each status of the followed download means to the command following it. */
    @FunctionalInterface
    interface Watch {
        /** The exit code once following is over, else empty; or an {@link ApiError} that ends the command. */
        OptionalInt on(JsonNode status);
    }

    private static final long BACKOFF_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ControlClient client;
    private final String id;
    private final Watch watch;
    private OptionalLong lastEventId = OptionalLong.empty();

    TransferFollower(ControlClient client, String id, Watch watch) {
        this.client = client;
        this.id = id;
        this.watch = watch;
    }

    /** For {@code get}: shows each status, and ends on COMPLETE (0) or FAILED (an error). */
    static Watch untilDone(ProgressDisplay display, PrintStream stdout) {
        return status -> {
            display.show(status);
            switch (status.path("state").asText()) {
                case "COMPLETE" -> {
                    display.finish();
                    stdout.println("complete: " + TerminalText.escape(status.path("path").asText()));
                    return OptionalInt.of(0);
                }
                case "FAILED" -> {
                    display.finish();
                    throw failed(status);
                }
                default -> {
                    return OptionalInt.empty();
                }
            }
        };
    }

    /** The error a FAILED status ends a command with. */
    static ApiError failed(JsonNode status) {
        return new ApiError(0, "download failed: " + TerminalText.escape(status.path("error").asText()));
    }

    /** Opens the stream before the download is asked for, so that none of its events can slip by; empty if it cannot. */
    static Optional<EventStreamReader> open(ControlClient client) {
        try {
            return Optional.of(client.events(OptionalLong.empty()));
        } catch (ApiError e) {
            return Optional.empty(); // the request that follows says why, as it always did, or we reopen it
        }
    }

    /** Shows {@code first} and what follows it until the download ends; returns the exit code. */
    int follow(JsonNode first, Optional<EventStreamReader> opened) {
        OptionalInt done = watch.on(first);
        Optional<EventStreamReader> stream = opened;
        int failures = 0;
        try {
            while (done.isEmpty()) {
                if (stream.isEmpty()) {
                    LockSupport.parkNanos(Math.min(MAX_BACKOFF_NANOS, BACKOFF_STEP_NANOS * failures)); // 0 the first time
                    stream = reopen();
                    // Whatever happened while it was closed: the status says (or that the daemon is gone).
                    done = watch.on(client.get("/v1/transfers/" + id));
                    failures++;
                    continue;
                }
                try {
                    Optional<EventStreamReader.Event> event = stream.get().next();
                    if (event.isEmpty()) {
                        throw new IOException("the daemon ended the event stream");
                    }
                    failures = 0;
                    done = onEvent(event.get());
                } catch (IOException e) {
                    closeQuietly(stream.get());
                    stream = Optional.empty();
                }
            }
            return done.getAsInt();
        } finally {
            stream.ifPresent(TransferFollower::closeQuietly);
        }
    }

    private Optional<EventStreamReader> reopen() {
        try {
            return Optional.of(client.events(lastEventId));
        } catch (ApiError e) {
            return Optional.empty();
        }
    }

    private OptionalInt onEvent(EventStreamReader.Event event) throws IOException {
        event.id().ifPresent(value -> lastEventId = OptionalLong.of(value));
        switch (event.type()) {
            case "transfer-added", "transfer-progress", "transfer-state" -> {
                JsonNode transfer = event.json().path("transfer");
                return id.equals(transfer.path("contentId").asText()) ? watch.on(transfer) : OptionalInt.empty();
            }
            // Removed: the status request fails as it did when get polled ("no transfer ..."). Missed: catch up.
            case "transfer-removed", "missed" -> {
                boolean ours = event.type().equals("missed") || id.equals(event.json().path("contentId").asText());
                return ours ? watch.on(client.get("/v1/transfers/" + id)) : OptionalInt.empty();
            }
            default -> {
                return OptionalInt.empty();
            }
        }
    }

    static void closeQuietly(EventStreamReader stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Broken already, or done with: nothing is lost by a close that fails.
        }
    }
}
