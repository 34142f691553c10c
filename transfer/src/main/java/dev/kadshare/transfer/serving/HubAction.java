package dev.kadshare.transfer.serving;

import dev.kadshare.transfer.store.FileSpan;
import dev.kadshare.transfer.store.ReadPath;
import dev.kadshare.transfer.wire.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a hub asks of whoever runs it, in order: everything {@link ServingHub#handle} returns. */
public sealed interface HubAction {
    /** Send {@code message} on {@code session}'s connection. */
    record Send(SessionId session, Message message) implements HubAction {
    }

    /**
     * Send chunk {@code index} ({@code length} bytes) on {@code session}'s connection, read from {@code spans} (files
     * of the content at {@code root}) as {@code reads} says, whose files are to be opened now, while they are where the
     * spans say, and only if no symbolic link lies at or on the way from the root to them; then report
     * {@link HubEvent.ChunkWritten}, or {@link HubEvent.ChunkUnreadable} if they cannot be read.
     */
    record SendChunk(SessionId session, int index, int length, Path root, List<FileSpan> spans, ReadPath reads)
            implements HubAction {
        public SendChunk {
            spans = List.copyOf(spans);
        }
    }

    /** Say GOODBYE with {@code reason} on {@code session}'s connection, then close it. */
    record Goodbye(SessionId session, String reason) implements HubAction {
    }

    /** Close {@code session}'s connection at once: its peer broke the protocol ({@code reason}). */
    record Close(SessionId session, String reason) implements HubAction {
    }

    /** Report {@link HubEvent.TimerFired} with {@code timer} once {@code after} has passed. */
    record Schedule(HubTimer timer, Duration after) implements HubAction {
    }

    /** The upload counts changed: {@link ServingHub#uploads()} has news for whoever shows them. */
    record PublishUploads() implements HubAction {
    }
}
