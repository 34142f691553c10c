package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.Uploads;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.serving.HubAction;
import dev.kadshare.transfer.serving.HubEvent;
import dev.kadshare.transfer.serving.ServingHub;
import dev.kadshare.transfer.serving.SessionId;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.FileSpan;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one content's {@link ServingHub} on one event loop: its sessions, on any loop, post their events here, and its
 * actions go back to them as writes (each session's flushed once per batch), or become timers and published upload
 * counts. The files of a chunk are opened here, when the hub hands the chunk out, so a chunk handed out before a
 * download moves its files is read from the files it opened (an open file survives a rename), and none is opened
 * while they move: the hub holds chunks back from the download's {@link HubEvent.Moving} until it is told where the
 * files went.
 */
public final class NettyServingHub {
    private static final Logger log = LoggerFactory.getLogger(NettyServingHub.class);

    private final ContentId id;
    private final EventLoop loop;
    /** What it was made to serve, to tell whether it serves what a content source gives later. */
    private final ServedContent origin;
    private final Function<Consumer<HubEvent>, ServingHub> making;
    /** Where the content lies complete, for sessions on other loops deciding whether to join; empty while it does not. */
    private volatile Optional<Path> completeAt;
    /** What its files were like when hashed: the origin's, or the latest the library gave (a share made again). */
    private volatile ContentStamps stamps;
    private final BiConsumer<ContentId, ContentStamps> changed;
    // ---- the loop's own ----
    private ServingHub hub;
    private Optional<Path> lastCompleteAt;
    private final Map<SessionId, ServerSession> sessions = new HashMap<>();
    private final Inbox<HubEvent> inbox = new Inbox<>(this::handle);
    private final Coalesced publishing;

    /**
     * @param serial this hub's number among the server's, under which it publishes its upload counts
     * @param changed told whenever a file is found changed since it was stamped as given (the chunk is not served)
     * @param making makes the hub, on the loop, when the first event comes; given what hears the download's news
     */
    NettyServingHub(ContentId id, long serial, EventLoop loop, Uploads uploads, ServedContent origin,
            BiConsumer<ContentId, ContentStamps> changed, Function<Consumer<HubEvent>, ServingHub> making) {
        this.id = id;
        this.changed = changed;
        this.loop = loop;
        this.origin = origin;
        this.making = making;
        this.completeAt = origin.home().isPresent() ? Optional.empty() : Optional.of(origin.root());
        this.lastCompleteAt = completeAt;
        this.stamps = origin.stamps();
        this.publishing = new Coalesced(loop, () -> uploads.publish(id, serial, hub.uploads()));
    }

    /** True when this hub serves what {@code served} describes: made for it, or holding the same files complete. */
    boolean serves(ServedContent served) {
        return served == origin || (served.home().isEmpty() && served.naming() == origin.naming()
                && completeAt.equals(Optional.of(served.root())));
    }

    /**
     * Checks the files against {@code later} from now on, if those are stamps: the library's content is the authority
     * (a download's hub goes on serving its content once complete, stamped when the library took it in; a share made
     * again after an edit is stamped anew).
     */
    void stampedAs(ContentStamps later) {
        if (later != ContentStamps.NONE) {
            stamps = later;
        }
    }

    /** Hands {@code event} to the hub, on its loop; from any thread. */
    public void post(HubEvent event) {
        onLoop(() -> deliver(event));
    }

    /** {@code session} joins as {@code joined.session()}: it hears the hub's actions for it from now on. */
    void join(ServerSession session, HubEvent.Joined joined) {
        onLoop(() -> {
            sessions.put(joined.session(), session);
            deliver(joined);
        });
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("hub of {} is shut down", id);
        }
    }

    // ---- everything below runs on the loop ----

    private void deliver(HubEvent event) {
        if (hub == null) {
            hub = making.apply(this::deliver);
        }
        inbox.deliver(event);
    }

    private void handle(HubEvent event) {
        apply(hub.handle(event));
        if (event instanceof HubEvent.Left left) {
            sessions.remove(left.session());
        }
        Optional<Path> now = hub.completeAt();
        if (!now.equals(lastCompleteAt)) {
            lastCompleteAt = now;
            completeAt = now;
        }
    }

    private void apply(List<HubAction> actions) {
        Map<SessionId, List<ServerSession.Output>> outputs = new LinkedHashMap<>();
        for (HubAction action : actions) {
            if (action instanceof HubAction.Send send) {
                to(outputs, send.session()).add(new ServerSession.Output.Send(send.message()));
            } else if (action instanceof HubAction.SendChunk chunk) {
                spansOf(chunk).ifPresent(spans -> to(outputs, chunk.session())
                        .add(new ServerSession.Output.Chunk(chunk.index(), chunk.length(), spans)));
            } else if (action instanceof HubAction.Goodbye goodbye) {
                to(outputs, goodbye.session()).add(new ServerSession.Output.Goodbye(goodbye.reason()));
            } else if (action instanceof HubAction.Close close) {
                to(outputs, close.session()).add(new ServerSession.Output.Close(close.reason()));
            } else if (action instanceof HubAction.Schedule schedule) {
                HubEvent.TimerFired fired = new HubEvent.TimerFired(schedule.timer());
                try {
                    loop.schedule(() -> deliver(fired), schedule.after().toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    log.debug("hub of {} is shut down", id);
                }
            } else if (action instanceof HubAction.PublishUploads) {
                publishing.request();
            }
        }
        outputs.forEach((session, out) -> {
            ServerSession target = sessions.get(session);
            if (target == null) {
                out.forEach(ServerSession.Output::release);
            } else {
                target.carryOut(out);
            }
        });
    }

    private static List<ServerSession.Output> to(Map<SessionId, List<ServerSession.Output>> outputs, SessionId s) {
        return outputs.computeIfAbsent(s, k -> new ArrayList<>(2));
    }

    /**
     * The chunk's spans (a chunk of a directory share may span several files), its files as they were shared; empty,
     * and the hub told, if any cannot be read or changed since it was hashed. Nothing is opened here: each file is
     * opened when its span's turn to be sent comes ({@link ServedSpan}).
     */
    private Optional<List<ServedSpan>> spansOf(HubAction.SendChunk chunk) {
        ContentStamps against = stamps;
        List<ServedSpan> spans = new ArrayList<>(chunk.spans().size());
        try {
            for (FileSpan span : chunk.spans()) {
                ServedSpan served = new ServedSpan(origin.place(), chunk.root(), span.file(), span.fileOffset(),
                        span.length(), chunk.reads(), against, () -> changed.accept(id, against));
                served.requireAsShared(span.file());
                spans.add(served);
            }
            return Optional.of(spans);
        } catch (IOException e) {
            log.warn("cannot read chunk {} of {}: {}", chunk.index(), id, e.toString());
            deliver(new HubEvent.ChunkUnreadable(chunk.session(), chunk.index()));
            return Optional.empty();
        }
    }

}
