package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.util.List;

/** What happens to a download: everything {@link Download#handle} takes. */
public sealed interface DownloadEvent permits DownloadEvent.Start, DownloadEvent.PeersAdded, DownloadEvent.Connected,
        DownloadEvent.Received, DownloadEvent.ChunkReceived, DownloadEvent.LinkClosed, DownloadEvent.LinkIdle,
        DownloadEvent.TimerFired, DownloadEvent.Cancel, DownloadEvent.Abandon, DownloadEvent.Prioritize,
        DownloadEvent.ReleasePriority, StoreResult {

    /** The first event: look for an earlier run's partial download and dial {@code peers}. */
    record Start(List<InetSocketAddress> peers) implements DownloadEvent {
        public Start {
            peers = List.copyOf(peers);
        }
    }

    /** Peers found later (a DHT refresh, say). Peers already dropped from this download are never dialled again. */
    record PeersAdded(List<InetSocketAddress> peers) implements DownloadEvent {
        public PeersAdded {
            peers = List.copyOf(peers);
        }
    }

    /**
     * The connection {@link DownloadAction.Dial} asked for is open, to {@code node} as its link handshake proved
     * ({@link PeerId#UNKNOWN} on a plaintext link, measurement only); {@code relayed}: through a relay, which may have
     * answered in the peer's place, so what the link does is charged to {@code node}, never to the peer's address.
     */
    record Connected(Link link, PeerId node, boolean relayed) implements DownloadEvent {
        /** A direct connection (dialled or punched). */
        public Connected(Link link, PeerId node) {
            this(link, node, false);
        }
    }

    /** A control message arrived on {@code link}. */
    record Received(Link link, Message message) implements DownloadEvent {
    }

    /** Chunk {@code index} arrived on {@code link}; the download owns {@code body} from now on. */
    record ChunkReceived(Link link, int index, ChunkBody body) implements DownloadEvent {
    }

    /** {@code link} closed, or could not be opened. */
    record LinkClosed(Link link) implements DownloadEvent {
    }

    /** Nothing arrived on {@code link} for {@link DownloadOptions#idleTimeout}. */
    record LinkIdle(Link link) implements DownloadEvent {
    }

    /** A timer the download scheduled fired. */
    record TimerFired(Timer timer) implements DownloadEvent {
    }

    /**
     * A reader (a player streaming the content) holding {@code ticket} waits for chunks {@code first..last}: they jump
     * the queue, replacing what that ticket waited for. Kept until released, also before the manifest is known.
     */
    record Prioritize(long ticket, int first, int last) implements DownloadEvent {
    }

    /** The reader holding {@code ticket} went away. */
    record ReleasePriority(long ticket) implements DownloadEvent {
    }

    /** Stop, keeping the partial download for a later resume. */
    record Cancel() implements DownloadEvent {
    }

    /** Stop and delete the partial download. */
    record Abandon() implements DownloadEvent {
    }
}
